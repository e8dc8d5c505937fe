import { useEffect, useState } from 'react';

import type { SettingsProblem } from '../../../shared/settings/app-settings.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';
import { ErrorMessage } from './error-message.js';

/**
 * Renders the problem that the service found in the stored settings (`loadProblem`), such as a
 * corrupt file that was reset to defaults, until the user dismisses it. Renders nothing while
 * the settings have no problem.
 */
export function SettingsProblemBanner() {
  const { t } = useI18n();
  const transport = useTransport();
  const connection = useTransportState();
  const [problem, setProblem] = useState<SettingsProblem | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);
  const [dismissing, setDismissing] = useState(false);

  useEffect(() => {
    if (connection !== 'open') return;
    let disposed = false;
    transport.call('settings.get', {}).then(
      (settings) => {
        if (!disposed) setProblem(settings.loadProblem ?? null);
      },
      // The settings view shows a failed settings.get; without the settings there is no banner.
      () => undefined,
    );
    return () => {
      disposed = true;
    };
  }, [transport, connection]);

  if (!problem) return null;

  const dismiss = async (): Promise<void> => {
    setError(null);
    setDismissing(true);
    try {
      const settings = await transport.call('settings.dismissProblem', {});
      // The banner and its Dismiss button go away, so the focus moves to the page's heading.
      if (!settings.loadProblem) focusMainHeading();
      setProblem(settings.loadProblem ?? null);
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setDismissing(false);
    }
  };

  return (
    <div className="banner settings-problem" role="alert" data-outcome={problem.outcome}>
      <strong>{t('settingsProblem.title')}</strong>
      <p>{summaryOf(problem, t)}</p>
      <details open={problem.outcome === 'read_only'}>
        <summary>{t('settingsProblem.details')}</summary>
        {/* The service writes its messages in English. */}
        <p lang="en">{problem.message}</p>
      </details>
      <button type="button" onClick={() => void dismiss()} disabled={dismissing}>
        {t('settingsProblem.dismiss')}
      </button>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

/** Returns the translated sentence for what the service did and what the user should do. */
function summaryOf(problem: SettingsProblem, t: Translate): string {
  const backup = problem.backup ?? '';
  switch (problem.outcome) {
    case 'reset':
      return t('settingsProblem.reset', { backup });
    case 'repaired':
      return t('settingsProblem.repaired', { backup });
    case 'read_only':
      return t('settingsProblem.readOnly', { location: problem.location });
  }
}

/** Focuses the heading of the view in `<main>`, making it focusable by script if it is not. */
function focusMainHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus();
}
