import { describe, expect, it } from 'vitest';

import {
  printerNamed,
  printerNameKey,
  printerNameSchema,
  sanitizePrinterName,
  uniquePrinterName,
} from './printer-names.js';

describe('printerNameSchema', () => {
  it.each(['Voron 2.4', 'Ender-3 #2', '打印机 1', 'Prusa 🐙', 'x'.repeat(64)])(
    'accepts %j',
    (name) => {
      expect(printerNameSchema.parse(name)).toBe(name);
    },
  );

  it('trims the name', () => {
    expect(printerNameSchema.parse('  Voron  ')).toBe('Voron');
  });

  it.each([
    { case: 'an empty name', name: '', message: 'must not be empty' },
    { case: 'only spaces', name: '   ', message: 'must not be empty' },
    { case: '65 characters', name: 'x'.repeat(65), message: 'must be at most 64 characters' },
    {
      case: 'a NUL',
      name: 'Vo\u0000ron',
      message: 'must not contain control characters such as a line break, a tab or NUL',
    },
    {
      case: 'an inner line break',
      name: 'Voron\n2.4',
      message: 'must not contain control characters such as a line break, a tab or NUL',
    },
    {
      case: 'a tab',
      name: 'Voron\t2',
      message: 'must not contain control characters such as a line break, a tab or NUL',
    },
    {
      case: 'a C1 control',
      name: 'Voron\u0085',
      message: 'must not contain control characters such as a line break, a tab or NUL',
    },
    {
      case: 'a paragraph separator',
      name: 'Voron\u20292',
      message: 'must not contain control characters such as a line break, a tab or NUL',
    },
    ...['\u200B', '\u202E', '\u2066', '\uFEFF', '\u00AD'].map((character) => ({
      case: `format character U+${character.codePointAt(0)?.toString(16).toUpperCase()}`,
      name: `Vo${character}ron`,
      message: 'must not contain invisible format characters such as U+200B or U+202E',
    })),
  ])('rejects $case', ({ name, message }) => {
    const result = printerNameSchema.safeParse(name);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });
});

describe('printerNameKey', () => {
  it('ignores case and surrounding spaces', () => {
    expect(printerNameKey('  Voron ')).toBe(printerNameKey('VORON'));
  });

  it('treats composed and decomposed accents alike', () => {
    expect(printerNameKey('Caf\u00e9')).toBe(printerNameKey('Cafe\u0301'));
  });
});

describe('printerNamed', () => {
  const printers = [
    { id: 'a', name: 'Voron' },
    { id: 'b', name: 'Ender' },
  ];

  it('finds another printer with the name in any case', () => {
    expect(printerNamed(printers, ' voron ')?.id).toBe('a');
  });

  it('skips the printer being renamed', () => {
    expect(printerNamed(printers, 'VORON', 'a')).toBeUndefined();
  });

  it('returns undefined for a free name', () => {
    expect(printerNamed(printers, 'Prusa')).toBeUndefined();
  });
});

describe('sanitizePrinterName', () => {
  it.each([
    { name: 'Voron\n2.4', sanitized: 'Voron 2.4' },
    { name: '\u0000 Voron \u0007', sanitized: 'Voron' },
    { name: '\u0000\u0001', sanitized: '' },
    { name: 'Vo\u200Bron\u202E', sanitized: 'Voron' },
    { name: 'x'.repeat(70), sanitized: 'x'.repeat(64) },
    { name: `${'x'.repeat(63)}🐙`, sanitized: 'x'.repeat(63) },
  ])('turns $name into $sanitized', ({ name, sanitized }) => {
    expect(sanitizePrinterName(name)).toBe(sanitized);
  });
});

describe('uniquePrinterName', () => {
  it('keeps a free name', () => {
    expect(uniquePrinterName('Voron', ['Ender'])).toBe('Voron');
  });

  it('numbers a taken name from 2', () => {
    expect(uniquePrinterName('Voron', ['voron', 'VORON (2)'])).toBe('Voron (3)');
  });

  it('stays within 64 characters', () => {
    const long = 'x'.repeat(64);

    const name = uniquePrinterName(long, [long]);

    expect(name).toBe(`${'x'.repeat(60)} (2)`);
    expect(name).toHaveLength(64);
  });
});
