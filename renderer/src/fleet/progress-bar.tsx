/** Renders a labelled progress bar for `value`, a percentage from 0 to 100. */
export function ProgressBar(props: { value: number; label: string }) {
  const value = Math.min(100, Math.max(0, props.value));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
    >
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
