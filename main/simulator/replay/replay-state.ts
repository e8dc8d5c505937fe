import { cloneJson, isPlainObject, mergeStatus, type StatusObjects } from '../object-status.js';
import type { HistoryJob, KlippyState, PrinterSnapshot } from '../printer-backend.js';
import type { RecordedNotification, Recording } from '../recording.js';

const KLIPPY_STATES: readonly string[] = ['ready', 'startup', 'shutdown', 'error', 'disconnected'];
const READY_MESSAGE = 'Printer is ready';

/**
 * The printer as reconstructed from a recording's frames, up to the last one applied. Status
 * updates merge into the objects, Klippy notifications change the `webhooks` state, and history
 * notifications fill the job history.
 */
export class ReplayState {
  private constructor(
    private readonly status: StatusObjects,
    private klippyState: KlippyState,
    private stateMessage: string,
    private eventtime: number,
    private readonly history: Map<string, HistoryJob>,
  ) {}

  /** The state before any notification: what the recording client's own requests returned. */
  static initial(recording: Recording, objectNames: readonly string[]): ReplayState {
    const state = new ReplayState({}, 'ready', READY_MESSAGE, 0, new Map());
    for (const frame of recording.frames) {
      if (frame.kind === 'response' && isPlainObject(frame.result)) state.applyResult(frame.result);
    }
    state.status['webhooks'] ??= { state: state.klippyState, state_message: state.stateMessage };
    state.status['heaters'] ??= heatersObject(objectNames);
    return state;
  }

  clone(): ReplayState {
    return new ReplayState(
      cloneJson(this.status),
      this.klippyState,
      this.stateMessage,
      this.eventtime,
      new Map(this.history),
    );
  }

  snapshot(): PrinterSnapshot {
    return {
      klippyState: this.klippyState,
      stateMessage: this.stateMessage,
      eventtime: this.eventtime,
      status: cloneJson(this.status),
      history: [...this.history.values()],
    };
  }

  apply(frame: RecordedNotification): void {
    const params = Array.isArray(frame.params) ? (frame.params as unknown[]) : [];
    switch (frame.method) {
      case 'notify_status_update':
        this.applyStatusUpdate(params);
        return;
      case 'notify_klippy_shutdown':
        this.setKlippy('shutdown', this.webhooksMessage('shutdown') ?? 'Klippy reported shutdown');
        return;
      case 'notify_klippy_disconnected':
        this.setKlippy('disconnected', 'Klippy Disconnected');
        return;
      case 'notify_klippy_ready':
        this.setKlippy('ready', READY_MESSAGE);
        return;
      case 'notify_history_changed':
        this.applyHistory(params[0]);
        return;
      default:
        return;
    }
  }

  private applyResult(result: Record<string, unknown>): void {
    if (isPlainObject(result['status'])) this.applyStatus(result['status'], result['eventtime']);
    const klippy = result['klippy_state'];
    if (isKlippyState(klippy)) this.klippyState = klippy;
    const { state, state_message: message } = result;
    if (isKlippyState(state) && typeof message === 'string') {
      this.klippyState = state;
      this.stateMessage = message;
    }
  }

  private applyStatusUpdate(params: unknown[]): void {
    const [update, eventtime] = params;
    if (!isPlainObject(update)) return;
    this.applyStatus(update, eventtime);
    const webhooks = update['webhooks'];
    if (!isPlainObject(webhooks)) return;
    if (isKlippyState(webhooks['state'])) this.klippyState = webhooks['state'];
    if (typeof webhooks['state_message'] === 'string')
      this.stateMessage = webhooks['state_message'];
  }

  private applyStatus(update: Record<string, unknown>, eventtime: unknown): void {
    mergeStatus(this.status, update);
    if (typeof eventtime === 'number') this.eventtime = eventtime;
  }

  private applyHistory(change: unknown): void {
    if (!isPlainObject(change) || !isPlainObject(change['job'])) return;
    const job = change['job'];
    if (typeof job['job_id'] !== 'string' || typeof job['start_time'] !== 'number') return;
    this.history.set(job['job_id'], cloneJson(job) as HistoryJob);
  }

  private setKlippy(state: KlippyState, message: string): void {
    this.klippyState = state;
    this.stateMessage = message;
    if (state === 'disconnected') return;
    this.status['webhooks'] = { state, state_message: message };
  }

  private webhooksMessage(state: KlippyState): string | undefined {
    const webhooks = this.status['webhooks'];
    const message = webhooks?.['state_message'];
    return webhooks?.['state'] === state && typeof message === 'string' ? message : undefined;
  }
}

function isKlippyState(value: unknown): value is KlippyState {
  return typeof value === 'string' && KLIPPY_STATES.includes(value);
}

/** Klipper's `heaters` object for the heaters and sensors among `objectNames`. */
function heatersObject(objectNames: readonly string[]): Record<string, unknown> {
  const heaterPattern = /^(extruder\d*|heater_bed|heater_generic \S+)$/;
  const sensorPattern = /^(temperature_sensor|temperature_fan) \S+$/;
  const heaters = objectNames.filter((name) => heaterPattern.test(name));
  const sensors = objectNames.filter((name) => sensorPattern.test(name));
  return {
    available_heaters: heaters,
    available_sensors: [...heaters, ...sensors],
    available_monitors: [],
  };
}
