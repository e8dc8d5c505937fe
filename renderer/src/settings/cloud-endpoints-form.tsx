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

/** Edits the three cloud addresses and saves them together. */
export function CloudEndpointsForm(props: {
  cloud: AppSettings['cloud'];
  onSave: (patch: SettingsPatch) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(props.cloud);
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="card stack"
      aria-labelledby="cloud-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void props.onSave({ cloud: draft }).then(setSaved);
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
