import { ControlError } from '../../../shared/control-api/control-error.js';
import type { ControlErrorCode } from '../../../shared/control-api/errors.js';
import type { ControlEventData, ControlEventName } from '../../../shared/control-api/events.js';
import type {
  ControlMethodName,
  ControlParams,
  ControlResult,
} from '../../../shared/control-api/methods.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import type { ControlTransport, TransportState } from '../transport/control-transport.js';

type Handler<M extends ControlMethodName> = (
  params: ControlParams<M>,
) => ControlResult<M> | Promise<ControlResult<M>>;

/**
 * Control transport for component tests. Each method returns what a handler set by the test
 * returns, every call is recorded, and `emit` delivers an event to the UI's listeners.
 */
export class FakeTransport implements ControlTransport {
  state: TransportState = 'open';
  readonly calls: { method: ControlMethodName; params: unknown }[] = [];
  readonly opened: string[] = [];
  private readonly handlers = new Map<ControlMethodName, Handler<ControlMethodName>>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();

  handle<M extends ControlMethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as unknown as Handler<ControlMethodName>);
    return this;
  }

  /** Makes a method reject with a coded error, as the service would. */
  fail(method: ControlMethodName, code: ControlErrorCode, message: string, details = {}): this {
    this.handlers.set(method, () => {
      throw new ControlError(code, message, { details, source: 'service' });
    });
    return this;
  }

  async call<M extends ControlMethodName>(
    method: M,
    params: ControlParams<M>,
  ): Promise<ControlResult<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) throw new ControlError('unknown_method', `No fake handler for ${method}`);
    return (await handler(params)) as ControlResult<M>;
  }

  callsOf(method: ControlMethodName): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params);
  }

  on<E extends ControlEventName>(
    event: E,
    listener: (data: ControlEventData<E>) => void,
  ): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (data: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (data: unknown) => void);
  }

  emit<E extends ControlEventName>(event: E, data: ControlEventData<E>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(data);
  }

  onStateChange(): () => void {
    return () => undefined;
  }

  openExternal(url: string): void {
    this.opened.push(url);
  }
}

/** Builds a printer summary with plausible defaults, overridden field by field. */
export function printerSummary(overrides: Partial<PrinterSummary> = {}): PrinterSummary {
  return {
    id: 'p1',
    name: 'Voron 2.4',
    moonrakerUrl: 'http://192.0.2.10:7125',
    enabled: true,
    apiKeySet: false,
    link: 'linked',
    phase: 'Idle',
    temperatures: [
      { name: 'extruder', value: 24.5, target: 0 },
      { name: 'heater_bed', value: 23.1, target: 0 },
    ],
    health: [
      { link: 'lan', level: 'ok', since: 0, summary: 'Reachable' },
      { link: 'moonraker', level: 'ok', since: 0, summary: 'Connected' },
      { link: 'klippy', level: 'ok', since: 0, summary: 'Ready' },
      { link: 'cloud', level: 'ok', since: 0, summary: 'Connected' },
    ],
    overall: 'ok',
    telemetry: { mode: 'idle', intervalSeconds: 30 },
    ...overrides,
  };
}
