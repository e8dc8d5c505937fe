import type { GcodeFile } from '../gcode-catalog.js';
import { cloneJson } from '../object-status.js';
import type { HistoryJob } from '../printer-backend.js';

/** Final job statuses Moonraker's history records. */
export type JobOutcome =
  'completed' | 'cancelled' | 'error' | 'klippy_shutdown' | 'klippy_disconnect';

export interface JobTotals {
  readonly print_duration: number;
  readonly total_duration: number;
  readonly filament_used: number;
}

/** Moonraker records jobs started through its API as this user when no login is configured. */
const TRUSTED_USER = '_TRUSTED_USER_';

/**
 * Moonraker's job history: one entry a print, with ids counting up in six hexadecimal digits
 * (`0002E3`).
 */
export class JobHistory {
  private readonly jobs: Record<string, unknown>[] = [];
  private nextNumber: number;

  constructor(firstNumber = 1) {
    this.nextNumber = firstNumber;
  }

  /** Records a started job and returns the entry for `notify_history_changed` `added`. */
  add(file: GcodeFile, startTime: number): HistoryJob {
    const job = {
      end_time: null,
      filament_used: 0,
      filename: file.filename,
      metadata: cloneJson(file.metadata),
      print_duration: 0,
      status: 'in_progress',
      start_time: startTime,
      total_duration: 0,
      auxiliary_data: [],
      user: TRUSTED_USER,
      exists: true,
      job_id: this.nextNumber.toString(16).toUpperCase().padStart(6, '0'),
    };
    this.nextNumber += 1;
    this.jobs.push(job);
    return cloneJson(job);
  }

  /** Closes the job in progress; returns the entry for `finished`, or undefined if none runs. */
  finish(outcome: JobOutcome, totals: JobTotals, endTime: number): HistoryJob | undefined {
    const job = this.jobs.at(-1);
    if (!job || job['status'] !== 'in_progress') return undefined;
    Object.assign(job, totals, { status: outcome, end_time: endTime });
    return cloneJson(job) as HistoryJob;
  }

  list(): readonly HistoryJob[] {
    return cloneJson(this.jobs) as HistoryJob[];
  }
}
