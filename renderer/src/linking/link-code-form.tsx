import { useId } from 'react';

import { useLinkCode } from '../hooks/use-link-code.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { ErrorMessage } from '../app/error-message.js';

const ERROR_TITLES: Readonly<Record<string, MessageKey>> = {
  link_expired: 'linking.error.link_expired',
  link_failed: 'linking.error.link_failed',
  already_linked: 'linking.error.already_linked',
  cloud_unreachable: 'linking.error.cloud_unreachable',
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
      {form.linked ? <p role="status">{t('linking.linked', { name: props.printerName })}</p> : null}
      {form.error ? (
        <ErrorMessage
          error={form.error}
          title={t(ERROR_TITLES[form.error.code] ?? 'linking.error.other')}
        />
      ) : null}
    </form>
  );
}
