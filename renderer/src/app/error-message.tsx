import type { ReactNode } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import { errorSentence, errorTitle } from '../i18n/service-text.js';
import type { ErrorView } from '../support/error-text.js';

/**
 * Renders a failed call: its code, the service's message, and an optional hint below. In a
 * language other than English, a known code gets a translated title and sentence, and the
 * service's English message follows them for the specifics.
 */
export function ErrorMessage(props: { error: ErrorView; title?: string; children?: ReactNode }) {
  const { t, language } = useI18n();
  const { code, message } = props.error;
  const translatedTitle = errorTitle(language, code);
  const sentence = errorSentence(language, code);
  const title =
    props.title ??
    (translatedTitle
      ? t('common.errorTitleNamed', { title: translatedTitle, code })
      : t('common.errorTitle', { code }));
  return (
    <div className="error" role="alert">
      <strong>{title}</strong>
      {sentence ? <p>{sentence}</p> : null}
      {/* The service and the client write their messages in English. */}
      <p className={sentence ? 'muted' : undefined} lang="en">
        {message}
      </p>
      {props.children}
    </div>
  );
}
