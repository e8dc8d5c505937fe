/** The demo's own lines in the terminal, with counts in the singular or plural as they need. */

/** Returns `count` with the noun in the singular for one and the plural otherwise. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

export function linkingLine(printers: number): string {
  const what = countOf(printers, 'simulated printer');
  return `Linking ${what}; messages as the cloud receives them:`;
}

export function connectedLine(bridges: number): string {
  if (bridges === 1) return 'The bridge is connected. Press Ctrl+C to stop.';
  return `All ${countOf(bridges, 'bridge')} are connected. Press Ctrl+C to stop.`;
}
