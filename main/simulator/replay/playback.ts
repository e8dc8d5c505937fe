import type { Clock } from '../../support/clock.js';
import { toDisposable, type Disposable } from '../../support/disposable.js';
import type { RecordedNotification } from '../recording.js';
import type { TimerSet } from '../timer-set.js';

/** Frames sent in one go at unlimited speed before the event loop gets a turn. */
const UNTIMED_BATCH = 200;

/** Schedules a callback for the next turn of the event loop. */
export type YieldToEventLoop = (callback: () => void) => Disposable;

export const yieldWithSetImmediate: YieldToEventLoop = (callback) => {
  const handle = setImmediate(callback);
  return toDisposable(() => clearImmediate(handle));
};

export interface PlaybackOptions {
  readonly frames: readonly RecordedNotification[];
  /** Capture time, in epoch milliseconds, that the first gap is measured from. */
  readonly baseTime: number;
  /** Recorded gaps are divided by this; 0 and Infinity send every frame at once, in order. */
  readonly speed: number;
  readonly clock: Clock;
  readonly timers: TimerSet;
  readonly yieldToEventLoop: YieldToEventLoop;
  /** Applies and sends one frame. */
  readonly deliver: (frame: RecordedNotification) => void;
  readonly onFinished: () => void;
}

/**
 * Plays a recording's notifications to one client, each at its recorded offset from the start
 * divided by the speed. Offsets are measured from the start, so late timers do not add up.
 */
export class Playback implements Disposable {
  private index = 0;
  private startedAt = 0;
  private pending: Disposable | undefined;
  private disposed = false;

  constructor(private readonly options: PlaybackOptions) {}

  get isUntimed(): boolean {
    return this.options.speed === 0 || this.options.speed === Infinity;
  }

  start(): void {
    this.startedAt = this.options.clock.monotonic();
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.pending?.dispose();
    this.pending = undefined;
  }

  private pump(): void {
    this.pending = undefined;
    if (this.disposed) return;
    if (this.isUntimed) this.sendBatch();
    else this.sendDueFrames();
  }

  private sendBatch(): void {
    const { frames } = this.options;
    const end = Math.min(frames.length, this.index + UNTIMED_BATCH);
    while (this.index < end && !this.disposed) this.sendNext();
    if (this.disposed) return;
    if (this.index < frames.length) {
      this.pending = this.options.yieldToEventLoop(() => this.pump());
      return;
    }
    this.options.onFinished();
  }

  private sendDueFrames(): void {
    const { frames, clock } = this.options;
    while (this.index < frames.length && !this.disposed) {
      const wait = this.dueAt(this.index) - clock.monotonic();
      if (wait > 0) {
        this.pending = this.options.timers.after(wait, () => this.pump());
        return;
      }
      this.sendNext();
    }
    if (!this.disposed) this.options.onFinished();
  }

  private sendNext(): void {
    const frame = this.options.frames[this.index];
    this.index += 1;
    if (frame) this.options.deliver(frame);
  }

  private dueAt(index: number): number {
    const frame = this.options.frames[index];
    const offset = frame ? Math.max(0, frame.capturedAt - this.options.baseTime) : 0;
    return this.startedAt + offset / this.options.speed;
  }
}
