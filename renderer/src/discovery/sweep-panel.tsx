import { useState } from 'react';

import type { SweepProgress } from '../../../shared/control-api/printer-views.js';
import { useSweep } from '../hooks/use-sweep.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { ProgressBar } from '../fleet/progress-bar.js';

function stateText(t: Translate, progress: SweepProgress): string {
  switch (progress.state) {
    case 'running':
      return t('sweep.state.running');
    case 'finished':
      return t('sweep.state.finished');
    case 'cancelled':
      return t('sweep.state.cancelled');
    case 'failed':
      return t('sweep.state.failed', { error: progress.error ?? '' });
  }
}

/** Sweeps a subnet for Moonraker, with progress and a cancel button. */
export function SweepPanel() {
  const { t } = useI18n();
  const sweep = useSweep();
  const [cidr, setCidr] = useState('');
  const { progress } = sweep;
  return (
    <section className="card stack" aria-labelledby="sweep-heading">
      <h2 id="sweep-heading">{t('sweep.heading')}</h2>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          void sweep.start(cidr);
        }}
      >
        <label className="grow">
          {t('sweep.cidr')}
          <input value={cidr} onChange={(event) => setCidr(event.target.value)} />
        </label>
        <button type="submit" disabled={sweep.running}>
          {t('sweep.start')}
        </button>
        {sweep.running ? (
          <button type="button" onClick={() => void sweep.cancel()}>
            {t('sweep.cancel')}
          </button>
        ) : null}
      </form>
      <div aria-live="polite">
        {progress ? (
          <>
            <ProgressBar
              value={progress.total === 0 ? 0 : (progress.scanned / progress.total) * 100}
              label={t('sweep.heading')}
            />
            <p>
              {stateText(t, progress)}{' '}
              {t('sweep.progress', {
                scanned: progress.scanned,
                total: progress.total,
                cidr: progress.cidr,
                found: progress.found,
              })}
            </p>
          </>
        ) : null}
      </div>
      {sweep.error ? <ErrorMessage error={sweep.error} /> : null}
    </section>
  );
}
