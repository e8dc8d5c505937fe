import { describe, expect, it } from 'vitest';

import { progressPercent, readFileMetadata } from './job-progress.js';

const METADATA = { gcode_start_byte: 1000, gcode_end_byte: 11000 };

describe('progressPercent', () => {
  it('uses the position within the G-code body', () => {
    expect(progressPercent({ file_position: 3500, progress: 0.5 }, METADATA)).toBe(25);
  });

  it('is 0 before the body starts and 100 after it ends', () => {
    expect(progressPercent({ file_position: 400 }, METADATA)).toBe(0);
    expect(progressPercent({ file_position: 12000 }, METADATA)).toBe(100);
  });

  it('falls back to virtual_sdcard.progress without metadata', () => {
    expect(progressPercent({ file_position: 3500, progress: 0.4 }, undefined)).toBe(40);
  });

  it('falls back when the byte range is empty', () => {
    const metadata = { gcode_start_byte: 500, gcode_end_byte: 500 };

    expect(progressPercent({ file_position: 3500, progress: 0.4 }, metadata)).toBe(40);
  });

  it('clamps the fallback to 0..100', () => {
    expect(progressPercent({ progress: 1.2 }, undefined)).toBe(100);
  });

  it('is unknown without virtual_sdcard data', () => {
    expect(progressPercent(undefined, METADATA)).toBeUndefined();
  });
});

describe('readFileMetadata', () => {
  it('keeps the numeric fields it uses', () => {
    expect(
      readFileMetadata({ gcode_start_byte: 10, estimated_time: 569, slicer: 'OrcaSlicer' }),
    ).toEqual({ gcode_start_byte: 10, estimated_time: 569 });
  });
});
