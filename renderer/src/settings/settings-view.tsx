import type { AppSettings } from '../../../shared/settings/app-settings.js';
import { ErrorMessage } from '../app/error-message.js';
import { useDesktopShell } from '../desktop/desktop-shell-context.js';
import { useDiagnosticsExport } from '../hooks/use-diagnostics-export.js';
import { useServiceInfo } from '../hooks/use-service-info.js';
import { useSettings } from '../hooks/use-settings.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { CloudEndpointsForm } from './cloud-endpoints-form.js';

type NotificationKey = keyof AppSettings['notifications'];
const NOTIFICATIONS: readonly NotificationKey[] = [
  'printCompleted',
  'printFailed',
  'printPaused',
  'printerOffline',
  'needsAttention',
];
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/**
 * Renders the settings: start at login and notifications (desktop app only), log level, the data
 * folder, cloud endpoints and diagnostics.
 */
export function SettingsView() {
  const { t } = useI18n();
  const { settings, error, update, save } = useSettings();
  const diagnostics = useDiagnosticsExport();
  const info = useServiceInfo();
  // Only the desktop app has a login item and shows notifications. The headless service is
  // started by its own unit and has no notifications to show.
  const desktop = useDesktopShell() !== null;

  return (
    <section className="stack settings-view" aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('settings.heading')}</h1>
      {error ? <ErrorMessage error={error} /> : null}
      <div className="card stack">
        {settings ? (
          <>
            {desktop ? (
              <label className="row">
                <input
                  type="checkbox"
                  checked={settings.startAtLogin}
                  onChange={(event) => void update({ startAtLogin: event.target.checked })}
                />
                {t('settings.startAtLogin')}
              </label>
            ) : null}
            <label>
              {t('settings.logLevel')}
              <select
                value={settings.logLevel}
                onChange={(event) =>
                  void update({ logLevel: event.target.value as AppSettings['logLevel'] })
                }
              >
                {LOG_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {level}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <p>{t('common.loading')}</p>
        )}
        {info ? (
          <div>
            <label>
              {t('settings.dataDir')}
              <input
                type="text"
                value={info.dataDir}
                readOnly
                spellCheck={false}
                aria-describedby="data-dir-hint"
              />
            </label>
            <p id="data-dir-hint" className="muted">
              {t('settings.dataDirHint')}
            </p>
          </div>
        ) : null}
      </div>
      {settings ? (
        <>
          <CloudEndpointsForm cloud={settings.cloud} onSave={save} />
          {desktop ? (
            <fieldset className="card stack">
              <legend>{t('settings.notifications')}</legend>
              {NOTIFICATIONS.map((key) => (
                <label key={key} className="row">
                  <input
                    type="checkbox"
                    checked={settings.notifications[key]}
                    onChange={(event) =>
                      void update({ notifications: { [key]: event.target.checked } })
                    }
                  />
                  {t(`settings.notify.${key}` satisfies MessageKey)}
                </label>
              ))}
            </fieldset>
          ) : null}
        </>
      ) : null}
      <section className="card stack" aria-labelledby="diagnostics-heading">
        <h2 id="diagnostics-heading">{t('settings.diagnostics')}</h2>
        <div>
          <button
            type="button"
            disabled={diagnostics.busy}
            onClick={() => void diagnostics.exportBundle()}
          >
            {t('settings.export')}
          </button>
        </div>
        <p role="status">
          {diagnostics.result
            ? t('settings.exported', {
                bytes: diagnostics.result.bytes,
                path: diagnostics.result.path,
              })
            : ''}
        </p>
        {diagnostics.error ? <ErrorMessage error={diagnostics.error} /> : null}
      </section>
    </section>
  );
}
