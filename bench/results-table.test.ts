import { describe, expect, it } from 'vitest';

import { stepResult } from './__testing__/step-results.js';
import { resultTables, summaryTable } from './results-table.js';
import { renderMarkdown, renderText } from './table-format.js';

describe('summaryTable', () => {
  it('has one row per printer count with every column', () => {
    const table = summaryTable([stepResult(1), stepResult(10)]);

    expect(table.header).toHaveLength(7);
    expect(table.rows).toEqual([
      ['1', '1.3 / 4.5 / 8.0', '150', '6.0 / 15.3', '3.5 / 9.0', '173 / 0.24', '580 / 1.68'],
      ['10', '1.3 / 4.5 / 8.0', '150', '6.0 / 15.3', '3.5 / 9.0', '173 / 0.24', '580 / 1.68'],
    ]);
  });

  it('shows n/a for windows and latencies that were left out', () => {
    const step = stepResult(10, { phases: {} });
    delete step.frameLatency;
    delete step.commandLatency;

    const [row] = summaryTable([step]).rows;

    expect(row).toEqual(['10', 'n/a / n/a / n/a', '150', 'n/a / n/a', 'n/a / n/a', 'n/a', 'n/a']);
  });
});

describe('resultTables', () => {
  it('puts the summary first and one row per window in the window tables', () => {
    const tables = resultTables([stepResult(10)]);

    expect(tables[0]?.title).toBe('Results per printer count (kB = 1000 bytes)');
    const bridge = tables.find((table) => table.title === 'Bridge host per window');
    expect(bridge?.rows.map((row) => row[1])).toEqual(['idle', 'printing', 'commands']);
  });

  it('lists both latency paths with their counts', () => {
    const tables = resultTables([stepResult(10)]);

    const latency = tables.find((table) => table.title === 'Latencies in the commands window');
    expect(latency?.rows).toEqual([
      [
        '10',
        'command → Moonraker',
        '200 (0 unmatched, 0 unexpected)',
        'http',
        '3.5 / 9.0 / 12.0',
        '0.100',
      ],
      ['10', 'frame → broker', '200 (1 missing)', 'websocket', '6.0 / 15.3 / 21.0', '0.100'],
    ]);
  });

  it('shows the acks channel of each window', () => {
    const traffic = resultTables([stepResult(10)]).find((table) =>
      table.title.startsWith('Traffic per printer'),
    );

    expect(traffic?.rows[2]?.[6]).toBe('40.0 (900)');
  });
});

describe('renderMarkdown', () => {
  it('writes a pipe table under a bold title', () => {
    const text = renderMarkdown({ title: 'T', header: ['a', 'b'], rows: [['1', '2']] });

    expect(text).toBe('**T**\n\n| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});

describe('renderText', () => {
  it('aligns columns to the right', () => {
    const text = renderText({ title: 'T', header: ['a', 'bb'], rows: [['100', '2']] });

    expect(text).toBe('T\n  a  bb\n100   2');
  });
});
