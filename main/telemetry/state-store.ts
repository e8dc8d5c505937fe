import type { MoonrakerInput } from '../moonraker/input.js';
import type { Logger } from '../support/logger.js';
import { LogRateLimiter } from '../support/logger.js';
import {
  changedKeys,
  EMPTY_RECORD,
  freezeJson,
  isPlainObject,
  mergeRecord,
} from './frozen-merge.js';
import type { FrozenRecord } from './frozen-merge.js';
import { classifyNotification } from './moonraker-notification.js';
import type { StoreAction } from './moonraker-notification.js';

/** Read access to the printer state; every value handed out is deep-frozen. */
export interface StateReader {
  get(name: string): FrozenRecord | undefined;
  objectNames(): readonly string[];
  /** Cause text while Moonraker is unreachable (possibly empty), or null while it is reachable. */
  readonly moonrakerUnavailable: string | null;
}

/** Changes made by one applied input. */
export interface StoreChange {
  readonly source: MoonrakerInput['kind'];
  /** Object (or synthetic section) name to the top-level fields whose value changed. */
  readonly fields: ReadonlyMap<string, ReadonlySet<string>>;
  /** The input marked Klippy ready (`notify_klippy_ready`, or `webhooks.state` back to ready). */
  readonly klippyReady: boolean;
  /** The input marked Klippy shut down, even when it already was. */
  readonly klippyShutdown: boolean;
  /** The input was a `notify_history_changed` entry. */
  readonly historyChanged: boolean;
  readonly availabilityChanged: boolean;
  /** Rejection reason of a malformed input, which leaves the store unchanged. */
  readonly rejected?: string;
}

export const HISTORY_SECTION = 'history_event';

/** Synthetic section that mirrors Klippy's shutdown condition, which Klipper has no object for. */
export const PRINTER_SECTION = 'printer';

const DEFAULT_READY_DETAIL = 'Klippy ready';
const DEFAULT_SHUTDOWN_DETAIL = 'Klippy reported shutdown';

export function fieldChanged(
  change: Pick<StoreChange, 'fields'>,
  objectName: string,
  field?: string,
): boolean {
  const fields = change.fields.get(objectName);
  if (!fields) return false;
  return field === undefined || fields.has(field);
}

interface ChangeRecorder {
  fields: Map<string, Set<string>>;
  klippyReady: boolean;
  klippyShutdown: boolean;
  historyChanged: boolean;
  availabilityChanged: boolean;
}

export interface StateStoreOptions {
  logger?: Logger;
  now?: () => number;
}

/**
 * The printer state as Moonraker reported it, plus synthetic sections (`printer`,
 * `history_event`). Inputs are applied one at a time in arrival order and never merged together.
 */
export class StateStore implements StateReader {
  private readonly sections = new Map<string, FrozenRecord>();
  private unavailableDetail: string | null = null;
  private readonly logger: Logger | undefined;
  private readonly logLimiter: LogRateLimiter;

  constructor(options: StateStoreOptions = {}) {
    this.logger = options.logger?.child({ component: 'state-store' });
    this.logLimiter = new LogRateLimiter(60_000, 5, options.now);
  }

  get moonrakerUnavailable(): string | null {
    return this.unavailableDetail;
  }

  get(name: string): FrozenRecord | undefined {
    return this.sections.get(name);
  }

  objectNames(): readonly string[] {
    return [...this.sections.keys()];
  }

  apply(input: MoonrakerInput): StoreChange {
    const recorder = newRecorder();
    let rejected: string | undefined;
    switch (input.kind) {
      case 'notification':
        rejected = this.applyAction(classifyNotification(input.method, input.params), recorder);
        if (rejected) this.logRejected(input.method, rejected);
        break;
      case 'snapshot':
        this.mergeObjects(input.status, recorder);
        break;
      case 'availability':
        this.applyAvailability(input.available, input.detail, recorder);
        break;
    }
    return { source: input.kind, ...recorder, ...(rejected ? { rejected } : {}) };
  }

  /** Returns the rejection reason of a malformed notification. */
  private applyAction(action: StoreAction, recorder: ChangeRecorder): string | undefined {
    switch (action.kind) {
      case 'merge':
        this.mergeObjects(action.objects, recorder);
        return undefined;
      case 'klippy-shutdown':
        this.markShutdown(
          action.detail ?? this.shutdownDetail() ?? action.fallbackDetail,
          recorder,
        );
        return undefined;
      case 'klippy-ready':
        this.markReady(action.detail ?? DEFAULT_READY_DETAIL, recorder);
        return undefined;
      case 'klippy-state':
        this.mergeSection('webhooks', withDetail({ state: action.state }, action.detail), recorder);
        return undefined;
      case 'history':
        this.applyHistory(action.entry, recorder);
        return undefined;
      case 'ignore':
        return undefined;
      case 'invalid':
        return action.reason;
    }
  }

  private mergeObjects(objects: Readonly<Record<string, unknown>>, recorder: ChangeRecorder) {
    for (const [name, fields] of Object.entries(objects)) {
      if (isPlainObject(fields)) this.mergeSection(name, fields, recorder);
    }
    if (fieldChanged(recorder, 'webhooks', 'state')) this.followWebhooksState(recorder);
  }

  /** Keeps the synthetic shutdown condition in step with a reported `webhooks.state`. */
  private followWebhooksState(recorder: ChangeRecorder): void {
    const webhooks = this.sections.get('webhooks') ?? EMPTY_RECORD;
    const message = typeof webhooks.state_message === 'string' ? webhooks.state_message.trim() : '';
    if (webhooks.state === 'shutdown') {
      this.markShutdown(message || DEFAULT_SHUTDOWN_DETAIL, recorder);
    } else if (webhooks.state === 'ready' && this.sections.get(PRINTER_SECTION)?.is_shutdown) {
      this.markReady(message || DEFAULT_READY_DETAIL, recorder);
    }
  }

  private markShutdown(detail: string, recorder: ChangeRecorder): void {
    this.mergeSection('webhooks', { state: 'shutdown', state_message: detail }, recorder);
    const printer = { state: 'shutdown', is_shutdown: true, state_message: detail };
    this.mergeSection(PRINTER_SECTION, printer, recorder);
    this.mergeSection('print_stats', { state: 'error', message: detail }, recorder);
    this.mergeSection('display_status', { message: detail }, recorder);
    recorder.klippyShutdown = true;
  }

  /** `print_stats` is left alone: a reset would fake a new print once the real state returns. */
  private markReady(detail: string, recorder: ChangeRecorder): void {
    this.mergeSection('webhooks', { state: 'ready', state_message: detail }, recorder);
    const printer = { state: 'ready', is_shutdown: false, state_message: detail };
    this.mergeSection(PRINTER_SECTION, printer, recorder);
    this.mergeSection('display_status', { message: null }, recorder);
    recorder.klippyReady = true;
  }

  /** Returns the message of the shutdown in force, so a bare repeat notification keeps it. */
  private shutdownDetail(): string | undefined {
    const printer = this.sections.get(PRINTER_SECTION);
    if (printer?.is_shutdown !== true) return undefined;
    return typeof printer.state_message === 'string' ? printer.state_message : undefined;
  }

  /** Replaces the history section on a new action and merges a repeat of the same action. */
  private applyHistory(entry: Record<string, unknown>, recorder: ChangeRecorder): void {
    const previous = this.sections.get(HISTORY_SECTION);
    recorder.historyChanged = true;
    if (previous && previous.action === entry.action) {
      this.mergeSection(HISTORY_SECTION, entry, recorder);
      return;
    }
    const next = freezeJson(entry) as FrozenRecord;
    this.sections.set(HISTORY_SECTION, next);
    recordFields(recorder, HISTORY_SECTION, changedKeys(previous ?? EMPTY_RECORD, next));
  }

  private applyAvailability(available: boolean, detail: string, recorder: ChangeRecorder): void {
    const next = available ? null : detail.trim();
    if (next === this.unavailableDetail) return;
    this.unavailableDetail = next;
    recorder.availabilityChanged = true;
  }

  private mergeSection(
    name: string,
    patch: Readonly<Record<string, unknown>>,
    recorder: ChangeRecorder,
  ): void {
    const previous = this.sections.get(name);
    const changed: string[] = [];
    const next = mergeRecord(previous ?? EMPTY_RECORD, patch, changed);
    if (next === previous) return;
    this.sections.set(name, next);
    recordFields(recorder, name, changed);
  }

  private logRejected(method: string, reason: string): void {
    const dropped = this.logLimiter.admit(`rejected:${method}`);
    if (dropped === null || !this.logger) return;
    this.logger.warn({ method, reason, dropped }, 'Ignored a malformed Moonraker notification');
  }
}

function newRecorder(): ChangeRecorder {
  return {
    fields: new Map(),
    klippyReady: false,
    klippyShutdown: false,
    historyChanged: false,
    availabilityChanged: false,
  };
}

function recordFields(recorder: ChangeRecorder, name: string, fields: readonly string[]): void {
  if (fields.length === 0) return;
  const known = recorder.fields.get(name) ?? new Set<string>();
  for (const field of fields) known.add(field);
  recorder.fields.set(name, known);
}

function withDetail(fields: Record<string, unknown>, detail: string | undefined) {
  return detail === undefined ? fields : { ...fields, state_message: detail };
}
