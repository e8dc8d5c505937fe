import { moonrakerError } from './errors.js';

/**
 * Percent-encodes every character outside RFC 3986's unreserved set. `encodeURIComponent` leaves
 * `!'()*` as they are, and Moonraker file names may contain them.
 */
export function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Encodes a relative file path segment by segment, keeping the `/` separators. */
export function encodeFilePath(path: string): string {
  return path.replace(/^\/+/, '').split('/').map(encodeStrict).join('/');
}

/**
 * The HTTP base URL of one Moonraker instance and the websocket URL derived from it. A base path
 * (Moonraker behind a reverse proxy at `/printer1`) is kept for both.
 */
export class MoonrakerEndpoint {
  private constructor(
    private readonly origin: string,
    private readonly basePath: string,
    private readonly secure: boolean,
  ) {}

  /** Parses an `http://` or `https://` URL. Throws `invalid_url` for anything else. */
  static parse(url: string): MoonrakerEndpoint {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw moonrakerError('invalid_url', `Invalid Moonraker URL "${url}".`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw moonrakerError('invalid_url', `Moonraker URL must start with http:// or https://.`);
    }
    if (parsed.username || parsed.password) {
      throw moonrakerError(
        'invalid_url',
        'Moonraker URL must not contain a user name or password.',
      );
    }
    const basePath = parsed.pathname.replace(/\/+$/, '');
    return new MoonrakerEndpoint(parsed.origin, basePath, parsed.protocol === 'https:');
  }

  /** The base URL without a trailing slash, safe to show in messages. */
  get baseUrl(): string {
    return `${this.origin}${this.basePath}`;
  }

  /** `ws://` or `wss://` (for an https base URL), then host, base path and `/websocket`. */
  websocketUrl(): string {
    const origin = this.secure
      ? this.origin.replace(/^https:/, 'wss:')
      : this.origin.replace(/^http:/, 'ws:');
    return `${origin}${this.basePath}/websocket`;
  }

  /** Joins an API path such as `/printer/info` and an already encoded query string. */
  httpUrl(path: string, query?: Readonly<Record<string, string>>): string {
    const search = query ? buildQuery(query) : '';
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }
}

function buildQuery(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeStrict(key)}=${encodeStrict(value)}`)
    .join('&');
}
