import { useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';

import { useI18n } from '../i18n/i18n-context.js';
import { FieldStatus } from './field-status.js';

/** Whether Moonraker requests carry an API key. */
export type ApiKeyState = 'set' | 'not-set';

/** Reads whether the printer has an API key from its summary. */
export function apiKeyStateOf(printer: PrinterSummary): ApiKeyState {
  return printer.apiKeySet ? 'set' : 'not-set';
}

/**
 * Sets or clears the printer's Moonraker API key. The key is typed into a password field and
 * never shown back: the form shows only whether one is set, and empties the field once saved.
 */
export function ApiKeyForm(props: {
  printerId: string;
  state: ApiKeyState;
  busy: boolean;
  problem: string | undefined;
  saved: boolean;
  onSave: (apiKey: string | null) => Promise<boolean>;
  /** Called on every change of the draft, so the parent can drop a stale problem. */
  onEdit?: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const statusId = `api-key-status-${props.printerId}`;
  const save = async (apiKey: string | null) => {
    if (await props.onSave(apiKey)) setDraft('');
  };
  return (
    <form
      className="stack"
      aria-labelledby={`api-key-heading-${props.printerId}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save(draft);
      }}
    >
      <h3 id={`api-key-heading-${props.printerId}`}>{t('printer.apiKey')}</h3>
      <p>
        {t('printer.apiKeyCurrent')}{' '}
        <strong data-testid="api-key-state">{t(`printer.apiKey.${props.state}`)}</strong>
      </p>
      <div className="row">
        <label className="grow">
          {t('printer.apiKeyNew')}
          <input
            type="password"
            value={draft}
            autoComplete="new-password"
            spellCheck={false}
            maxLength={256}
            aria-invalid={props.problem ? true : undefined}
            aria-describedby={statusId}
            onChange={(event) => {
              setDraft(event.target.value);
              props.onEdit?.();
            }}
          />
        </label>
        <button type="submit" disabled={props.busy || draft === ''}>
          {t('printer.apiKeySave')}
        </button>
        <button
          type="button"
          disabled={props.busy || props.state === 'not-set'}
          onClick={() => void save(null)}
        >
          {t('printer.apiKeyClear')}
        </button>
      </div>
      <FieldStatus id={statusId} problem={props.problem} saved={props.saved} />
    </form>
  );
}
