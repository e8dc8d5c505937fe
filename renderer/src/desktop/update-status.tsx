import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import { ProgressBar } from '../fleet/progress-bar.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import type { DesktopShell } from './desktop-shell.js';
import { useDesktopShell } from './desktop-shell-context.js';
import { RestartConfirmation } from './restart-confirmation.js';
import { useRestartToUpdate } from './use-restart-to-update.js';
import { useUpdateState } from './use-update-state.js';

/**
 * Shows the updater in the top bar: checking, downloading with its percentage, a "Restart to
 * update" button once the update is downloaded, and the reason of a failed check. Renders nothing in a browser, because the headless
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
      <span role="status" className="update-text">
        {restarting ? t('update.restarting') : statusText(state, t)}
      </span>
      {state.phase === 'error' ? <UpdateFailureReason state={state} /> : null}
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
      return isFeedMissing(state) ? t('update.notSetUp') : t('update.failed');
  }
}

/**
 * Shows why the last check failed, behind a disclosure that fits the top bar. A missing feed is
 * a setup step, and its message names the setting to fill in, so it gets no generic fix.
 */
function UpdateFailureReason(props: { state: UpdateStateView }) {
  const { t } = useI18n();
  const feedMissing = isFeedMissing(props.state);
  return (
    <details className="update-reason">
      <summary>{t('update.reason')}</summary>
      {props.state.message ? <p>{props.state.message}</p> : null}
      {feedMissing ? null : <p>{t('update.failedFix')}</p>}
    </details>
  );
}

/** Reads the error code of a failed check, such as `update_feed_missing`. */
// NOTE: `updateStateSchema` has no `code` field yet and drops it while parsing, so this reads it
// only when the desktop shell sends it and the schema keeps it.
function errorCodeOf(state: UpdateStateView): string | undefined {
  return 'code' in state && typeof state.code === 'string' ? state.code : undefined;
}

function isFeedMissing(state: UpdateStateView): boolean {
  return errorCodeOf(state) === 'update_feed_missing';
}
