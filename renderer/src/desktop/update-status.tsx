import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import { ProgressBar } from '../fleet/progress-bar.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import type { DesktopShell } from './desktop-shell.js';
import { useDesktopShell } from './desktop-shell-context.js';
import { RestartConfirmation } from './restart-confirmation.js';
import { useRestartToUpdate } from './use-restart-to-update.js';
import { useUpdateState } from './use-update-state.js';

/**
 * Shows the updater in the top bar: checking, downloading with its percentage, and a "Restart to
 * update" button once the update is downloaded. Renders nothing in a browser, because the headless
 * service has no updater, and nothing while there is no update.
 */
export function UpdateStatus() {
  const shell = useDesktopShell();
  return shell ? <DesktopUpdateStatus shell={shell} /> : null;
}

function DesktopUpdateStatus(props: { shell: DesktopShell }) {
  const { t } = useI18n();
  const state = useUpdateState(props.shell);
  const restart = useRestartToUpdate(props.shell);
  if (!state || state.phase === 'idle') return null;

  const restarting = state.phase === 'restart-requested' || restart.flow.step === 'restarting';
  return (
    <div className="update-status" data-phase={state.phase}>
      <span role="status" className="update-text" title={state.message}>
        {restarting ? t('update.restarting') : statusText(state, t)}
      </span>
      {state.phase === 'downloading' ? (
        <ProgressBar value={state.percent ?? 0} label={t('update.downloadLabel')} />
      ) : null}
      {state.phase === 'downloaded' && !restarting ? (
        <button
          type="button"
          className="primary"
          disabled={restart.flow.step === 'loading'}
          onClick={() => void restart.request()}
        >
          {t('update.restart')}
        </button>
      ) : null}
      {state.phase === 'error' ? (
        <button type="button" onClick={() => void props.shell.checkForUpdates()}>
          {t('update.retry')}
        </button>
      ) : null}
      {restart.error ? (
        <span className="error-text" role="alert">
          {restart.error.message}
        </span>
      ) : null}
      {restart.flow.step === 'confirming' ? (
        <RestartConfirmation
          printers={restart.flow.printers}
          onConfirm={() => void restart.confirm()}
          onCancel={restart.cancel}
        />
      ) : null}
    </div>
  );
}

/** Returns the status sentence for an update phase. */
export function statusText(state: UpdateStateView, t: Translate): string {
  const version = state.version ?? '';
  switch (state.phase) {
    case 'idle':
      return '';
    case 'checking':
      return t('update.checking');
    case 'available':
      return t('update.available', { version });
    case 'downloading':
      return t('update.downloading', { percent: Math.round(state.percent ?? 0) });
    case 'downloaded':
      return version ? t('update.ready', { version }) : t('update.readyUnnamed');
    case 'restart-requested':
      return t('update.restarting');
    case 'error':
      return t('update.failed');
  }
}
