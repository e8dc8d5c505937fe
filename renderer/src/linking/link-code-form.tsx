import { useId } from 'react';

import { useLinkCode } from '../hooks/use-link-code.js';
import { useI18n } from '../i18n/i18n-context.js';

/**
 * Links one printer with a code from Owl Web, when the browser flow is not possible. The link
 * panel shows the progress and the outcome, which the linking store keeps across views.
 */
export function LinkCodeForm(props: { printerId: string; linking: boolean }) {
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
        <button type="submit" disabled={form.busy || props.linking || form.code.trim() === ''}>
          {t('linking.codeSubmit')}
        </button>
      </div>
    </form>
  );
}
