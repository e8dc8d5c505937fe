import { useState } from 'react';

import type { AppSettings, SettingsPatch } from '../../../shared/settings/app-settings.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';

type CloudField = keyof AppSettings['cloud'];

const FIELDS: readonly { field: CloudField; label: MessageKey }[] = [
  { field: 'baseUrl', label: 'settings.baseUrl' },
  { field: 'brokerUrl', label: 'settings.brokerUrl' },
  { field: 'webUrl', label: 'settings.webUrl' },
];

/**
 * Edits the three cloud addresses and saves them together. The form stays mounted across a save,
 * so its "Saved" confirmation survives the new `cloud` values, which replace the draft unless
 * the person has typed since submitting.
 */
export function CloudEndpointsForm(props: {
  cloud: AppSettings['cloud'];
  onSave: (patch: SettingsPatch) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(props.cloud);
  const [stored, setStored] = useState(props.cloud);
  const [edited, setEdited] = useState(false);
  const [saved, setSaved] = useState(false);
  // Adjusting state during render, as React documents for props that change.
  if (!sameCloud(stored, props.cloud)) {
    setStored(props.cloud);
    if (!edited) setDraft(props.cloud);
  }
  return (
    <form
      className="card stack"
      aria-labelledby="cloud-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        setEdited(false);
        void props.onSave({ cloud: draft }).then((accepted) => {
          setSaved(accepted);
          if (!accepted) setEdited(true);
        });
      }}
    >
      <h2 id="cloud-heading">{t('settings.cloud')}</h2>
      {FIELDS.map(({ field, label }) => (
        <label key={field}>
          {t(label)}
          <input
            type="url"
            value={draft[field]}
            required
            spellCheck={false}
            onChange={(event) => {
              setSaved(false);
              setEdited(true);
              setDraft((current) => ({ ...current, [field]: event.target.value }));
            }}
          />
        </label>
      ))}
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
