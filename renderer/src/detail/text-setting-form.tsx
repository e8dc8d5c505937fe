import { useState } from 'react';

import { FieldStatus } from './field-status.js';

/**
 * Edits one text setting of a printer with its own submit button, and shows the service's
 * problem or "Saved" under the input. The draft starts at `value`, so a parent that renders the
 * form with `key={value}` resets the draft when the stored value changes.
 */
export function TextSettingForm(props: {
  /** Base of the ids of the input's hint and status. */
  id: string;
  label: string;
  value: string;
  submitLabel: string;
  hint?: string;
  maxLength: number;
  inputMode?: 'text' | 'url';
  busy: boolean;
  problem: string | undefined;
  saved: boolean;
  onSave: (value: string) => Promise<boolean>;
  /** Called on every change of the draft, so the parent can drop a stale problem. */
  onEdit?: () => void;
}) {
  const [draft, setDraft] = useState(props.value);
  const statusId = `${props.id}-status`;
  const hintId = `${props.id}-hint`;
  const describedBy = props.hint ? `${hintId} ${statusId}` : statusId;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSave(draft);
      }}
    >
      <div className="row">
        <label className="grow">
          {props.label}
          <input
            type="text"
            value={draft}
            maxLength={props.maxLength}
            inputMode={props.inputMode ?? 'text'}
            autoComplete="off"
            spellCheck={props.inputMode === 'url' ? false : undefined}
            aria-invalid={props.problem ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => {
              setDraft(event.target.value);
              props.onEdit?.();
            }}
          />
        </label>
        <button type="submit" disabled={props.busy || draft === props.value}>
          {props.submitLabel}
        </button>
      </div>
      {props.hint ? (
        <p id={hintId} className="muted">
          {props.hint}
        </p>
      ) : null}
      <FieldStatus id={statusId} problem={props.problem} saved={props.saved} />
    </form>
  );
}
