import { countOf } from '../../support/count-of.js';

/** The demo's own lines in the terminal, with counts in the singular or plural as they need. */

export function linkingLine(printers: number): string {
  const what = countOf(printers, 'simulated printer');
  return `Linking ${what}; messages as the cloud receives them:`;
}

export function connectedLine(bridges: number): string {
  if (bridges === 1) return 'The bridge is connected. Press Ctrl+C to stop.';
  return `All ${countOf(bridges, 'bridge')} are connected. Press Ctrl+C to stop.`;
}
