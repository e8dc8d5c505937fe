import { useAddPrinter, type AddressFields } from '../hooks/use-add-printer.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { ErrorMessage } from '../app/error-message.js';
import { stringDetail } from '../support/error-text.js';

const FIELDS: readonly { field: keyof AddressFields; label: MessageKey; type: string }[] = [
  { field: 'host', label: 'address.host', type: 'text' },
  { field: 'port', label: 'address.port', type: 'number' },
  { field: 'apiKey', label: 'address.apiKey', type: 'password' },
  { field: 'name', label: 'address.name', type: 'text' },
];

/** Adds a printer by host, with an optional port, API key and name. */
export function AddByAddressForm() {
  const { t } = useI18n();
  const form = useAddPrinter();
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
        {FIELDS.map(({ field, label, type }) => (
          <label key={field}>
            {t(label)}
            <input
              type={type}
              value={form.fields[field]}
              required={field === 'host'}
              autoComplete="off"
              {...(field === 'port' ? { min: 1, max: 65535 } : {})}
              onChange={(event) => form.setField(field, event.target.value)}
            />
          </label>
        ))}
      </div>
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
