import { useEffect, useRef, type FocusEvent } from 'react';

import { useAddPrinter, type AddressFields } from '../hooks/use-add-printer.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { ErrorMessage } from '../app/error-message.js';
import { stringDetail } from '../support/error-text.js';
import type { AddressProblem } from './address-input.js';

const FIELDS: readonly { field: keyof AddressFields; label: MessageKey; type: string }[] = [
  { field: 'host', label: 'address.host', type: 'text' },
  { field: 'port', label: 'address.port', type: 'number' },
  { field: 'apiKey', label: 'address.apiKey', type: 'password' },
  { field: 'name', label: 'address.name', type: 'text' },
];

const HOST_HINT_ID = 'address-host-hint';
const PROBLEM_ID = 'address-problem';

function problemText(t: Translate, problem: AddressProblem): string {
  switch (problem.kind) {
    case 'scheme':
      return t('address.error.scheme', { scheme: problem.scheme });
    case 'path':
      return t('address.error.path');
    case 'credentials':
      return t('address.error.credentials');
    case 'invalidPort':
      return t('address.error.invalidPort', { address: problem.address });
    case 'portConflict':
      return t('address.error.portConflict', {
        urlPort: problem.urlPort,
        fieldPort: problem.fieldPort,
      });
  }
}

/**
 * Adds a printer by host, with an optional port, API key and name. The host field also takes a
 * pasted http:// or https:// address, which it splits into host and port.
 */
export function AddByAddressForm() {
  const { t } = useI18n();
  const form = useAddPrinter();
  const portInput = useRef<HTMLInputElement>(null);
  const { portFromAddress } = form;
  const portText = form.fields.port;

  // A port taken from a pasted address is selected, so that typing replaces it. The host field
  // splits the address as it loses focus, which is often to the port field.
  useEffect(() => {
    const input = portInput.current;
    if (portFromAddress && input && document.activeElement === input) input.select();
  }, [portFromAddress, portText]);

  const snippet = form.error ? stringDetail(form.error, 'configSnippet') : undefined;
  return (
    <form
      className="card stack"
      aria-labelledby="address-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void form.submit();
      }}
    >
      <h2 id="address-heading">{t('address.heading')}</h2>
      <div className="form-grid">
        {FIELDS.map(({ field, label, type }) => {
          const host = field === 'host';
          const describedBy = [host ? HOST_HINT_ID : '', host && form.problem ? PROBLEM_ID : '']
            .filter((id) => id !== '')
            .join(' ');
          const input = (
            <label key={field}>
              {t(label)}
              <input
                type={type}
                value={form.fields[field]}
                required={host}
                autoComplete="off"
                {...(field === 'port'
                  ? {
                      min: 1,
                      max: 65535,
                      ref: portInput,
                      onFocus: (event: FocusEvent<HTMLInputElement>) => {
                        if (portFromAddress) event.currentTarget.select();
                      },
                    }
                  : {})}
                {...(host
                  ? {
                      onBlur: form.splitHost,
                      'aria-describedby': describedBy,
                      'aria-invalid': form.problem ? true : undefined,
                    }
                  : {})}
                onChange={(event) => form.setField(field, event.target.value)}
              />
            </label>
          );
          if (!host) return input;
          // The hint sits outside the label, so that it describes the field but does not name it.
          return (
            <div key={field} className="stack">
              {input}
              <span id={HOST_HINT_ID} className="muted">
                {t('address.hostHint')}
              </span>
            </div>
          );
        })}
      </div>
      {form.problem ? (
        <p id={PROBLEM_ID} className="error-text" role="alert">
          {problemText(t, form.problem)}
        </p>
      ) : null}
      <div>
        <button type="submit" disabled={form.busy || form.fields.host.trim() === ''}>
          {t('address.submit')}
        </button>
      </div>
      {form.added ? <p role="status">{t('address.added', { name: form.added.name })}</p> : null}
      {form.error ? (
        <ErrorMessage error={form.error}>
          {form.error.code === 'moonraker_unauthorized' && snippet ? (
            <div className="hint">
              <p>{t('address.trustedClientsHint')}</p>
              <pre>{snippet}</pre>
            </div>
          ) : null}
        </ErrorMessage>
      ) : null}
    </form>
  );
}
