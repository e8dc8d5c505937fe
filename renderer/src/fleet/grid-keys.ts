/** Returns the row that `key` moves the active row to in a list of `count` rows, or undefined. */
export function targetRow(
  key: string,
  active: number,
  count: number,
  pageSize: number,
): number | undefined {
  if (count === 0) return undefined;
  const last = count - 1;
  const step = Math.max(1, pageSize);
  switch (key) {
    case 'ArrowDown':
      return Math.min(last, active + 1);
    case 'ArrowUp':
      return Math.max(0, active - 1);
    case 'PageDown':
      return Math.min(last, active + step);
    case 'PageUp':
      return Math.max(0, active - step);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}
