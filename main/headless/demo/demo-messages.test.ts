import { describe, expect, it } from 'vitest';

import { countOf } from '../../support/count-of.js';
import { connectedLine, linkingLine } from './demo-messages.js';

describe('countOf', () => {
  it('uses the singular for one', () => {
    expect(countOf(1, 'printer')).toBe('1 printer');
  });

  it('uses the plural for zero and many', () => {
    expect(countOf(0, 'printer')).toBe('0 printers');
    expect(countOf(3, 'bridge')).toBe('3 bridges');
  });

  it('takes an irregular plural', () => {
    expect(countOf(2, 'entry', 'entries')).toBe('2 entries');
  });
});

describe('linkingLine', () => {
  it('counts one simulated printer', () => {
    expect(linkingLine(1)).toBe(
      'Linking 1 simulated printer; messages as the cloud receives them:',
    );
  });

  it('counts several simulated printers', () => {
    expect(linkingLine(5)).toBe(
      'Linking 5 simulated printers; messages as the cloud receives them:',
    );
  });
});

describe('connectedLine', () => {
  it('names one bridge', () => {
    expect(connectedLine(1)).toBe('The bridge is connected. Press Ctrl+C to stop.');
  });

  it('counts several bridges', () => {
    expect(connectedLine(4)).toBe('All 4 bridges are connected. Press Ctrl+C to stop.');
  });

  it('never writes a plural in brackets', () => {
    for (const count of [1, 2, 10]) {
      expect(`${linkingLine(count)} ${connectedLine(count)}`).not.toContain('(s)');
    }
  });
});
