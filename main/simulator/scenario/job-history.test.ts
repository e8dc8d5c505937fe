import { describe, expect, it } from 'vitest';
import type { GcodeFile } from '../gcode-catalog.js';
import { JobHistory } from './job-history.js';

const file: GcodeFile = { filename: 'part.gcode', metadata: { size: 10 }, color: [0, 0, 0, 255] };
const totals = { print_duration: 5, total_duration: 6, filament_used: 7 };

describe('JobHistory', () => {
  it('numbers jobs in six upper-case hexadecimal digits', () => {
    const history = new JobHistory(0x2e2);

    history.add(file, 1);
    history.finish('completed', totals, 2);
    const second = history.add(file, 3);

    expect(second.job_id).toBe('0002E3');
    expect(history.list().map((job) => job.job_id)).toEqual(['0002E2', '0002E3']);
  });

  it('closes the job in progress with its totals', () => {
    const history = new JobHistory();
    history.add(file, 100);

    const finished = history.finish('cancelled', totals, 160);

    expect(finished).toMatchObject({
      job_id: '000001',
      status: 'cancelled',
      end_time: 160,
      ...totals,
    });
  });

  it('finishes nothing when no job is in progress', () => {
    const history = new JobHistory();

    expect(history.finish('completed', totals, 1)).toBeUndefined();
  });
});
