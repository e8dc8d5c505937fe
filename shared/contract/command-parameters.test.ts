import { describe, expect, it } from 'vitest';

import {
  COMMAND_PARAMETER_SCHEMAS,
  cloudTimestampParameterSchema,
  numericParameterSchema,
} from './command-parameters.js';
import { COMMAND_NAMES } from './commands.js';

describe('numericParameterSchema', () => {
  it.each([
    [12, 12],
    ['12', 12],
    [' -0.5 ', -0.5],
    ['.25', 0.25],
    ['1e2', 100],
  ])('reads %j as %d', (input, expected) => {
    expect(numericParameterSchema.parse(input)).toBe(expected);
  });

  it.each(['', ' ', 'abc', '12px', '0x10', 'NaN', 'Infinity', '1e999', true, null, [1]])(
    'rejects %j',
    (input) => {
      expect(numericParameterSchema.safeParse(input).success).toBe(false);
    },
  );
});

describe('cloudTimestampParameterSchema', () => {
  it('reads offsets, Z and naive UTC times', () => {
    const expected = Date.UTC(2025, 0, 15, 10, 33, 0);
    expect(cloudTimestampParameterSchema.parse('2025-01-15T10:33:00+00:00')).toBe(expected);
    expect(cloudTimestampParameterSchema.parse('2025-01-15T10:33:00Z')).toBe(expected);
    expect(cloudTimestampParameterSchema.parse('2025-01-15T10:33:00')).toBe(expected);
  });

  it('treats null and absence alike', () => {
    expect(cloudTimestampParameterSchema.parse(null)).toBeUndefined();
    expect(cloudTimestampParameterSchema.parse(undefined)).toBeUndefined();
  });

  it('rejects text that is not a timestamp', () => {
    expect(cloudTimestampParameterSchema.safeParse('soon').success).toBe(false);
  });
});

describe('COMMAND_PARAMETER_SCHEMAS', () => {
  it('has a schema for every command', () => {
    expect(Object.keys(COMMAND_PARAMETER_SCHEMAS).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('strips unknown fields', () => {
    const parsed = COMMAND_PARAMETER_SCHEMAS['fan:set-speed'].parse({
      fan: 'fan',
      speed: 1,
      extra: 2,
    });
    expect(parsed).toEqual({ fan: 'fan', speed: 1 });
  });
});
