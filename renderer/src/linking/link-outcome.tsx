import { ErrorMessage } from '../app/error-message.js';
import type { LinkOutcomeView } from '../hooks/use-link-activity.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';

const ERROR_TITLES: Readonly<Record<string, MessageKey>> = {
  link_expired: 'linking.error.link_expired',
  code_used: 'linking.error.code_used',
  link_failed: 'linking.error.link_failed',
  already_linked: 'linking.error.already_linked',
  cloud_unreachable: 'linking.error.cloud_unreachable',
  invalid_arguments: 'linking.error.invalid_arguments',
  timeout: 'linking.error.timeout',
};

/** The next step for each error code, shown below the service's message. */
const ERROR_FIXES: Readonly<Record<string, MessageKey>> = {
  code_used: 'linking.fix.code_used',
  link_failed: 'linking.fix.link_failed',
  already_linked: 'linking.fix.already_linked',
  cloud_unreachable: 'linking.fix.cloud_unreachable',
  invalid_arguments: 'linking.fix.invalid_arguments',
  timeout: 'linking.fix.timeout',
};

/**
 * Codes whose title and fix repeat all of the service's message, such as "create a new one in
 * Owl Web", so the message is left out.
 */
const TITLE_ONLY_CODES: ReadonlySet<string> = new Set(['link_expired', 'code_used']);

/**
 * Renders how a printer's last link ended, with a button that dismisses it: linked, cancelled,
 * or failed with a title, the service's message and the fix for its code.
 */
export function LinkOutcome(props: {
  printerName: string;
  outcome: LinkOutcomeView;
  onDismiss: () => void;
}) {
  const { t } = useI18n();
  const { outcome } = props;
  const linked = outcome.state === 'linked';
  return (
    <div className="link-outcome stack" data-state={outcome.state}>
      {linked ? <p role="status">{t('linking.linked', { name: props.printerName })}</p> : null}
      {!linked && outcome.cancelled ? <p role="status">{t('linking.cancelled')}</p> : null}
      {!linked && !outcome.cancelled ? (
        <LinkFailure printerName={props.printerName} outcome={outcome} />
      ) : null}
      <div>
        <button type="button" onClick={props.onDismiss}>
          {linked ? t('linking.done') : t('linking.close')}
        </button>
      </div>
    </div>
  );
}

function LinkFailure(props: { printerName: string; outcome: LinkOutcomeView }) {
  const { t } = useI18n();
  const code = props.outcome.code ?? 'link_failed';
  // A browser link that expired after its 10 minutes has the code of an expired link code.
  const browserExpired = code === 'link_expired' && props.outcome.step === 'browser';
  const title = t(
    browserExpired
      ? 'linking.error.browser_expired'
      : (ERROR_TITLES[code] ?? 'linking.error.other'),
  );
  const fixKey = ERROR_FIXES[code];
  const fix = fixKey ? <p className="hint">{t(fixKey)}</p> : null;
  if (browserExpired || TITLE_ONLY_CODES.has(code)) {
    return (
      <div className="error" role="alert">
        <strong>{title}</strong>
        {fix}
      </div>
    );
  }
  const message = t('linking.failed', { name: props.printerName, message: props.outcome.message });
  return (
    <ErrorMessage error={{ code, message, details: {} }} title={title}>
      {fix}
    </ErrorMessage>
  );
}
