import { useId } from 'react';

import { useLinkCode } from '../hooks/use-link-code.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { ErrorMessage } from '../app/error-message.js';
import type { ErrorView } from '../support/error-text.js';

const ERROR_TITLES: Readonly<Record<string, MessageKey>> = {
  link_expired: 'linking.error.link_expired',
  link_failed: 'linking.error.link_failed',
  already_linked: 'linking.error.already_linked',
  cloud_unreachable: 'linking.error.cloud_unreachable',
  invalid_arguments: 'linking.error.invalid_arguments',
  timeout: 'linking.error.timeout',
};

/** What to do next, below the service's message. An expired code's title already states the fix. */
const ERROR_FIXES: Readonly<Record<string, MessageKey>> = {
  link_failed: 'linking.fix.link_failed',
  already_linked: 'linking.fix.already_linked',
  cloud_unreachable: 'linking.fix.cloud_unreachable',
  invalid_arguments: 'linking.fix.invalid_arguments',
  timeout: 'linking.fix.timeout',
};

/** Links one printer with a code from Owl Web, when the browser flow is not possible. */
export function LinkCodeForm(props: { printerId: string; printerName: string }) {
  const { t } = useI18n();
  const form = useLinkCode(props.printerId);
  const inputId = useId();
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void form.submit();
      }}
    >
      <h3>{t('linking.codeHeading')}</h3>
      <label htmlFor={inputId}>{t('linking.code')}</label>
      <div className="row">
        <input
          id={inputId}
          value={form.code}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => form.setCode(event.target.value)}
        />
        <button type="submit" disabled={form.busy || form.code.trim() === ''}>
          {t('linking.codeSubmit')}
        </button>
      </div>
      {form.busy ? <p role="status">{t('linking.codeBusy')}</p> : null}
      {form.linked ? <p role="status">{t('linking.linked', { name: props.printerName })}</p> : null}
      {form.error ? <LinkCodeError error={form.error} /> : null}
    </form>
  );
}

/** Renders a rejected code with the service's message and, where one applies, the fix. */
function LinkCodeError(props: { error: ErrorView }) {
  const { t } = useI18n();
  const fix = ERROR_FIXES[props.error.code];
  return (
    <ErrorMessage
      error={props.error}
      title={t(ERROR_TITLES[props.error.code] ?? 'linking.error.other')}
    >
      {fix ? <p className="hint">{t(fix)}</p> : null}
    </ErrorMessage>
  );
}
