/** The application version, sent as `$origin` `moonraker-owl@<version>`; kept equal to package.json. */
export const APP_VERSION = '0.1.0';
