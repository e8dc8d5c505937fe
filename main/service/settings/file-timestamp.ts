/** Formats epoch milliseconds for a file name, without colons: `2026-01-01T12-00-00-000Z`. */
export function fileTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[:.]/g, '-');
}
