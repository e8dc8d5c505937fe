import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { statusText } from '../client-registry.js';
import { fileFromMetadata, GcodeCatalog, type GcodeFile } from '../gcode-catalog.js';
import { isPlainObject, type StatusObjects } from '../object-status.js';
import type { ClientHub, PrinterBackend, PrinterSnapshot } from '../printer-backend.js';
import type { RecordedNotification, Recording } from '../recording.js';
import type { TimerSet } from '../timer-set.js';
import { Playback, yieldWithSetImmediate, type YieldToEventLoop } from './playback.js';
import { ReplayState } from './replay-state.js';

export interface ReplayBackendOptions {
  readonly recording: Recording;
  readonly speed: number;
  readonly clock: Clock;
  readonly timers: TimerSet;
  readonly hub: ClientHub;
  readonly logger: Logger;
  readonly yieldToEventLoop?: YieldToEventLoop;
}

interface Session {
  readonly state: ReplayState;
  playback?: Playback;
  sent: number;
  skipped: number;
}

/**
 * Replays a recorded session. Each client gets every recorded notification from the moment it
 * first subscribes, and its requests are served from the state its own replay has reached.
 * HTTP requests, which belong to no client, see the replay that started last.
 */
export class ReplayBackend implements PrinterBackend {
  readonly catalog: GcodeCatalog;
  private readonly names: readonly string[];
  private readonly notifications: readonly RecordedNotification[];
  private readonly baseTime: number;
  private readonly initial: ReplayState;
  private readonly sessions = new Map<number, Session>();
  private latest: ReplayState;

  constructor(private readonly options: ReplayBackendOptions) {
    const { frames } = options.recording;
    this.notifications = frames.filter((frame) => frame.kind === 'notification');
    this.names = recordedObjectNames(options.recording);
    this.initial = ReplayState.initial(options.recording, this.names);
    this.latest = this.initial;
    this.baseTime = playbackBaseTime(options.recording);
    this.catalog = new GcodeCatalog(recordedFiles(this.notifications));
  }

  start(): void {
    this.options.logger.info(
      { source: this.options.recording.source, notifications: this.notifications.length },
      'Replay ready; each client is replayed from its first subscribe',
    );
  }

  snapshot(clientId?: number): PrinterSnapshot {
    const session = clientId === undefined ? undefined : this.sessions.get(clientId);
    return (session?.state ?? this.latest).snapshot();
  }

  subscribedStatus(clientId: number): StatusObjects {
    return this.snapshot(clientId).status;
  }

  objectNames(): readonly string[] {
    return this.names;
  }

  beginSubscription(clientId: number): void {
    if (this.sessions.has(clientId)) return;
    const state = this.initial.clone();
    this.sessions.set(clientId, { state, sent: 0, skipped: 0 });
    this.latest = state;
  }

  subscriptionResponseSent(clientId: number): void {
    const session = this.sessions.get(clientId);
    if (!session || session.playback) return;
    session.playback = new Playback({
      frames: this.notifications,
      baseTime: this.baseTime,
      speed: this.options.speed,
      clock: this.options.clock,
      timers: this.options.timers,
      yieldToEventLoop: this.options.yieldToEventLoop ?? yieldWithSetImmediate,
      deliver: (frame) => this.deliver(clientId, session, frame),
      onFinished: () => this.finish(clientId, session),
    });
    session.playback.start();
  }

  clientClosed(clientId: number): void {
    this.sessions.get(clientId)?.playback?.dispose();
    this.sessions.delete(clientId);
  }

  /** Commands reach a replay but change nothing: the recording decides what happens. */
  startPrint(filename: string): void {
    this.ignore('printer.print.start', { filename });
  }

  pausePrint(): void {
    this.ignore('printer.print.pause');
  }

  resumePrint(): void {
    this.ignore('printer.print.resume');
  }

  cancelPrint(): void {
    this.ignore('printer.print.cancel');
  }

  emergencyStop(): void {
    this.ignore('printer.emergency_stop');
  }

  firmwareRestart(): void {
    this.ignore('printer.firmware_restart');
  }

  runGcode(script: string): void {
    this.ignore('printer.gcode.script', { script });
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.playback?.dispose();
    this.sessions.clear();
  }

  private deliver(clientId: number, session: Session, frame: RecordedNotification): void {
    session.state.apply(frame);
    const text = this.textFor(clientId, frame);
    if (text === undefined) {
      session.skipped += 1;
    } else if (this.options.hub.sendText(clientId, frame.method, text, frame.line)) {
      session.sent += 1;
    }
    if (frame.method === 'notify_klippy_disconnected')
      this.options.hub.clearSubscriptions(clientId);
  }

  /** Returns the recorded frame itself, or a status update cut down to the subscription. */
  private textFor(clientId: number, frame: RecordedNotification): string | undefined {
    if (frame.method !== 'notify_status_update') return frame.raw;
    const params = Array.isArray(frame.params) ? (frame.params as unknown[]) : [];
    const [update, eventtime] = params;
    if (!isPlainObject(update)) return undefined;
    const kept = this.options.hub.subscription(clientId)?.filterUpdate(update);
    if (kept === undefined) return undefined;
    if (kept === update) return frame.raw;
    return statusText(kept, typeof eventtime === 'number' ? eventtime : 0);
  }

  private finish(clientId: number, session: Session): void {
    const finishedAt = this.options.clock.monotonic();
    this.options.logger.debug(
      { clientId, sent: session.sent, skipped: session.skipped },
      'Replay finished',
    );
    this.options.hub.replayFinished({
      clientId,
      framesSent: session.sent,
      framesSkipped: session.skipped,
      finishedAt,
    });
  }

  private ignore(method: string, details: Record<string, unknown> = {}): void {
    this.options.logger.debug(
      { method, ...details },
      'Replay ignores a command; the recording drives the printer',
    );
  }
}

/**
 * Collects every printer object that appears with at least one field in the recording, plus `webhooks`
 * and `heaters`, which Klipper always has. Objects only ever seen empty are left out because
 * Klipper returns an empty object for names it does not know.
 */
function recordedObjectNames(recording: Recording): string[] {
  const names = new Set<string>(['webhooks', 'heaters']);
  const collect = (status: unknown): void => {
    if (!isPlainObject(status)) return;
    for (const [name, fields] of Object.entries(status)) {
      if (isPlainObject(fields) && Object.keys(fields).length > 0) names.add(name);
    }
  };
  for (const frame of recording.frames) {
    if (frame.kind === 'response' && isPlainObject(frame.result)) collect(frame.result['status']);
    if (
      frame.kind === 'notification' &&
      frame.method === 'notify_status_update' &&
      Array.isArray(frame.params)
    ) {
      collect((frame.params as unknown[])[0]);
    }
  }
  return [...names];
}

/** Returns the capture time of the last response before the first notification, the subscribe's. */
function playbackBaseTime(recording: Recording): number {
  let base: number | undefined;
  for (const frame of recording.frames) {
    if (frame.kind === 'notification') return base ?? frame.capturedAt;
    base = frame.capturedAt;
  }
  return base ?? 0;
}

/** Files named by the recording's history notifications, with the metadata they carried. */
function recordedFiles(notifications: readonly RecordedNotification[]): GcodeFile[] {
  const files = new Map<string, GcodeFile>();
  for (const frame of notifications) {
    if (frame.method !== 'notify_history_changed' || !Array.isArray(frame.params)) continue;
    const change: unknown = (frame.params as unknown[])[0];
    const job = isPlainObject(change) ? change['job'] : undefined;
    if (
      !isPlainObject(job) ||
      typeof job['filename'] !== 'string' ||
      !isPlainObject(job['metadata'])
    )
      continue;
    files.set(job['filename'], fileFromMetadata(job['filename'], job['metadata']));
  }
  return [...files.values()];
}
