import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How often the resident set size is sampled for its maximum. */
const RSS_SAMPLE_MS = 1000;
/** Interval of the event-loop delay timer; Node records the time between its firings. */
const EVENT_LOOP_TIMER_MS = 20;

/** Cumulative counters of one process at one moment. */
export interface ResourceMark {
  /** `performance.now()` of the process that took the mark. */
  at: number;
  /** User plus system CPU time of the whole process (all threads) since it started. */
  cpuMicros: number;
  rssBytes: number;
  /** Maximum sampled RSS since the previous mark. */
  rssMaxBytes: number;
  /** How late a 20 ms timer fired since the previous mark, in milliseconds. */
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
}

/**
 * CPU time, RSS and event-loop delay of the current process. `mark()` returns the counters and
 * starts a new interval for the RSS maximum and the event-loop delay histogram.
 */
export class ResourceMeter {
  private readonly timer: NodeJS.Timeout;
  private readonly histogram: IntervalHistogram;
  private rssMax = 0;

  constructor() {
    this.timer = setInterval(() => this.sampleRss(), RSS_SAMPLE_MS);
    this.timer.unref();
    this.histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_TIMER_MS });
    this.histogram.enable();
    this.sampleRss();
  }

  mark(): ResourceMark {
    const rssBytes = this.sampleRss();
    const cpu = process.cpuUsage();
    const eventLoopDelay = {
      p50Ms: lateness(this.histogram.percentile(50)),
      p99Ms: lateness(this.histogram.percentile(99)),
      maxMs: lateness(this.histogram.max),
    };
    const mark: ResourceMark = {
      at: performance.now(),
      cpuMicros: cpu.user + cpu.system,
      rssBytes,
      rssMaxBytes: this.rssMax,
      eventLoopDelay,
    };
    this.rssMax = rssBytes;
    this.histogram.reset();
    return mark;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private sampleRss(): number {
    const rss = process.memoryUsage.rss();
    this.rssMax = Math.max(this.rssMax, rss);
    return rss;
  }
}

/** Clock ticks per second of /proc/PID/stat times; 100 on Linux for x86-64 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Reads user plus system CPU time of another process from /proc/PID/stat, in microseconds, or
 * undefined when the file cannot be read (the process is gone, or this is not Linux).
 */
export async function readProcessCpuMicros(pid: number): Promise<number | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  // The command name in field 2 may contain spaces, so fields are counted after its closing ")".
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) return undefined;
  return ((userTicks + systemTicks) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** Turns a recorded time between timer firings into how late the timer fired. */
function lateness(nanos: number): number {
  return Number.isFinite(nanos) ? Math.max(0, nanos / 1e6 - EVENT_LOOP_TIMER_MS) : 0;
}
