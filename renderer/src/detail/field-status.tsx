import { useI18n } from '../i18n/i18n-context.js';

/**
 * Renders the outcome of saving one input: the service's problem, announced, or "Saved". `id`
 * is what the input's `aria-describedby` points to.
 */
export function FieldStatus(props: { id: string; problem: string | undefined; saved: boolean }) {
  const { t } = useI18n();
  if (props.problem) {
    return (
      <p id={props.id} className="error-text field-status" role="alert">
        {props.problem}
      </p>
    );
  }
  return (
    <p id={props.id} className="muted field-status" role="status">
      {props.saved ? t('common.saved') : ''}
    </p>
  );
}
