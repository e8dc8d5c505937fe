import type { ReactNode } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import type { ErrorView } from '../support/error-text.js';

/** Renders a failed call: its code, the service's message, and an optional hint below. */
export function ErrorMessage(props: { error: ErrorView; title?: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="error" role="alert">
      <strong>{props.title ?? t('common.errorTitle', { code: props.error.code })}</strong>
      <p>{props.error.message}</p>
      {props.children}
    </div>
  );
}
