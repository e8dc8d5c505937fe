import { sameFile } from './state-fields.js';

export interface JobProgressTrackerOptions {
  now: () => number;
  /**
   * How long after a job starts its file metadata may still arrive, in ms. 0 when nothing
   * fetches metadata, so the job never waits for it.
   */
  metadataWaitMs: number;
}

interface TrackedJob {
  filename: string | undefined;
  startedAt: number;
  highestPercent: number | undefined;
}

/**
 * Keeps one job's progress from going backwards. Without file metadata, progress is Klipper's
 * `virtual_sdcard.progress`, which counts the file's header and thumbnails. Once the metadata
 * brings the G-code body's byte range, progress is the file position within that body, a lower
 * number at first. So while a job reports a file position and its metadata may still arrive,
 * its progress is unknown, and it is never reported lower than the highest value seen in the
 * same job. A job ends when no job is active or its file changes.
 */
export class JobProgressTracker {
  private job: TrackedJob | undefined;

  constructor(private readonly options: JobProgressTrackerOptions) {}

  /** Call after every store change, with the job's current progress. */
  follow(active: boolean, filename: string | undefined, progress: () => number | undefined): void {
    if (!active) {
      this.job = undefined;
      return;
    }
    if (!this.job || !sameFile(this.job.filename, filename)) {
      this.job = { filename, startedAt: this.options.now(), highestPercent: undefined };
    }
    this.job.filename ??= filename;
    const percent = progress();
    if (percent === undefined) return;
    this.job.highestPercent = Math.max(this.job.highestPercent ?? percent, percent);
  }

  /** Returns whether the job's file metadata may still arrive, so a file position waits. */
  awaitsMetadata(): boolean {
    if (!this.job) return false;
    return this.options.now() - this.job.startedAt < this.options.metadataWaitMs;
  }

  /** Returns `percent` raised to the highest progress seen in the current job. */
  clamp(percent: number | undefined): number | undefined {
    const highest = this.job?.highestPercent;
    if (highest === undefined) return percent;
    return percent === undefined ? highest : Math.max(percent, highest);
  }
}
