import { useState } from 'react';

import type { AppSettings, SettingsPatch } from '../../../shared/settings/app-settings.js';
import { ErrorMessage } from '../app/error-message.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import type { ErrorView } from '../support/error-text.js';
import { fieldIssues } from '../support/field-problem.js';

type CloudField = keyof AppSettings['cloud'];

const FIELDS: readonly {
  field: CloudField;
  label: MessageKey;
  /** URL schemes the setting accepts, as `settings.update` checks them. */
  protocols: readonly string[];
  problem: MessageKey;
}[] = [
  {
    field: 'baseUrl',
    label: 'settings.baseUrl',
    protocols: ['http:', 'https:'],
    problem: 'settings.invalidHttpUrl',
  },
  {
    field: 'brokerUrl',
    label: 'settings.brokerUrl',
    protocols: ['mqtt:', 'mqtts:'],
    problem: 'settings.invalidMqttUrl',
  },
  {
    field: 'webUrl',
    label: 'settings.webUrl',
    protocols: ['http:', 'https:'],
    problem: 'settings.invalidHttpUrl',
  },
];

type FieldProblems = Partial<Record<CloudField, MessageKey>>;

/** Returns the problem of each address that is not a URL with one of its field's schemes. */
function checkAddresses(cloud: AppSettings['cloud']): FieldProblems {
  const problems: FieldProblems = {};
  for (const { field, protocols, problem } of FIELDS) {
    const value = cloud[field].trim();
    const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
    if (!protocol || !protocols.includes(protocol)) problems[field] = problem;
  }
  return problems;
}

/**
 * Returns the fields that the service's rejection names. Every rule of these settings is the
 * URL's form and scheme, so each such field gets its own sentence in the user's language.
 */
function rejectedFields(error: ErrorView): FieldProblems {
  const problems: FieldProblems = {};
  for (const { field, problem } of FIELDS) {
    if (fieldIssues(error, `cloud.${field}`).length > 0) problems[field] = problem;
  }
  return problems;
}

/**
 * Edits the three cloud addresses and saves them together. An address that is not a URL with
 * the right scheme gets its problem under its input, found here before the save or from the
 * service's rejection; other failures show under the form. The form stays mounted across a save,
 * so its "Saved" confirmation survives the new `cloud` values, which replace the draft unless
 * the person has typed since submitting.
 */
export function CloudEndpointsForm(props: {
  cloud: AppSettings['cloud'];
  /** Resolves to the service's rejection, or null once the addresses are stored. */
  onSave: (patch: SettingsPatch) => Promise<ErrorView | null>;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(props.cloud);
  const [stored, setStored] = useState(props.cloud);
  const [edited, setEdited] = useState(false);
  const [saved, setSaved] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [failure, setFailure] = useState<ErrorView | null>(null);
  // Adjusting state during render, as React documents for props that change.
  if (!sameCloud(stored, props.cloud)) {
    setStored(props.cloud);
    if (!edited) setDraft(props.cloud);
  }

  const submit = async () => {
    setSaved(false);
    setFailure(null);
    const found = checkAddresses(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setEdited(false);
    const rejection = await props.onSave({ cloud: draft });
    if (!rejection) {
      setSaved(true);
      return;
    }
    setEdited(true);
    const rejected = rejectedFields(rejection);
    setProblems(rejected);
    if (Object.keys(rejected).length === 0) setFailure(rejection);
  };

  return (
    <form
      className="card stack"
      aria-labelledby="cloud-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2 id="cloud-heading">{t('settings.cloud')}</h2>
      {FIELDS.map(({ field, label }) => {
        const problem = problems[field];
        const problemId = `cloud-${field}-problem`;
        return (
          <div key={field}>
            <label>
              {t(label)}
              <input
                type="url"
                value={draft[field]}
                required
                spellCheck={false}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? problemId : undefined}
                onChange={(event) => {
                  setSaved(false);
                  setEdited(true);
                  setProblems((current) => ({ ...current, [field]: undefined }));
                  setDraft((current) => ({ ...current, [field]: event.target.value }));
                }}
              />
            </label>
            {problem ? (
              <p id={problemId} className="error-text field-status" role="alert">
                {t(problem)}
              </p>
            ) : null}
          </div>
        );
      })}
      {failure ? <ErrorMessage error={failure} /> : null}
      <div className="row">
        <button type="submit">{t('common.save')}</button>
        <span role="status">{saved ? t('common.saved') : ''}</span>
      </div>
    </form>
  );
}

function sameCloud(a: AppSettings['cloud'], b: AppSettings['cloud']): boolean {
  return FIELDS.every(({ field }) => a[field] === b[field]);
}
