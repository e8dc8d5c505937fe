import type { TelemetryEnvelope } from '../../shared/contract/envelope.js';
import type { BusinessEvent, CommandStateItem } from '../../shared/contract/events.js';
import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../shared/contract/telemetry-rate.js';
import type { MoonrakerInput } from '../moonraker/input.js';
import type { Clock } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import { DisposableStore } from '../support/disposable.js';
import type { Disposable } from '../support/disposable.js';
import { silentLogger } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import { CadenceController } from './cadence-controller.js';
import type { KeyedBody } from './cadence-controller.js';
import type { CadenceChannel } from './cadence-policy.js';
import type { EnvelopeFactory } from './envelope-factory.js';
import { EventLimiter } from './event-limiter.js';
import type { PrintStateListener } from './event-detector.js';
import { EventsBuilder } from './events-builder.js';
import { PrinterStateModel } from './printer-state-model.js';
import type { RateChange, RateControl } from './rate-control.js';
import type { SensorFilterSettings } from './sensor-filter.js';
import { SensorsBuilder } from './sensors-builder.js';

/**
 * How long a new job's progress waits for the file metadata, in ms: longer than the metadata
 * request's 5 s timeout, so the request has settled by then unless it never started.
 */
const METADATA_WAIT_MS = 10_000;

/** Where finished envelopes go: the bridge routes them to MQTT or to the offline buffers. */
export type EnvelopeSink = (channel: CadenceChannel, envelope: TelemetryEnvelope) => void;

/** Reads a G-code file's metadata from Moonraker; null when the file has none. */
export type MetadataFetcher = (filename: string) => Promise<Record<string, unknown> | null>;

export interface TelemetrySettings {
  statusHeartbeatSeconds: number;
  statusMinIntervalSeconds: number;
  sensorFilter: Partial<SensorFilterSettings>;
}

export interface TelemetryPipelineOptions {
  clock: Clock;
  envelopes: EnvelopeFactory;
  rate: RateControl;
  sink: EnvelopeSink;
  fetchMetadata?: MetadataFetcher;
  settings?: Partial<TelemetrySettings>;
  logger?: Logger;
}

/**
 * One printer's telemetry from Moonraker input to envelopes: each input is applied to the state
 * model in arrival order, and only the publication of status and sensors is coalesced by the
 * cadence controller. Events leave at once, subject to the event limiter. The status and sensors
 * bodies are built only when the controller may publish them, not on every input.
 */
export class TelemetryPipeline implements Disposable {
  readonly model: PrinterStateModel;
  private readonly sensors: SensorsBuilder;
  private readonly limiter: EventLimiter;
  private readonly events: EventsBuilder;
  private readonly cadence: CadenceController<Record<string, unknown>>;
  private readonly disposables = new DisposableStore();
  private readonly heartbeatSeconds: number;
  private readonly recentEvents: BusinessEvent[] = [];
  private readonly logger: Logger;

  constructor(private readonly options: TelemetryPipelineOptions) {
    const { clock } = options;
    const logger = (options.logger ?? silentLogger).child({ component: 'telemetry' });
    this.heartbeatSeconds = options.settings?.statusHeartbeatSeconds ?? 60;
    this.model = new PrinterStateModel({
      now: () => clock.now(),
      logger,
      metadataWaitMs: options.fetchMetadata ? METADATA_WAIT_MS : 0,
    });
    this.sensors = new SensorsBuilder({ clock, filter: options.settings?.sensorFilter });
    this.limiter = this.disposables.add(new EventLimiter({ clock, logger }));
    this.events = new EventsBuilder(this.limiter);
    this.cadence = this.disposables.add(
      new CadenceController<Record<string, unknown>>({
        clock,
        logger,
        publish: (channel, body) => this.emit(channel, body),
        settings: {
          statusHeartbeatSeconds: this.heartbeatSeconds,
          statusMinIntervalSeconds: options.settings?.statusMinIntervalSeconds ?? 2,
          sensorsIntervalSeconds: options.rate.rate.intervalSeconds,
        },
      }),
    );
    this.disposables.add(this.limiter.onReady(() => this.offerEvents()));
    this.disposables.add(options.rate.onChange((change) => this.onRateChange(change)));
    this.logger = logger;
  }

  /** Applies one Moonraker input and offers whatever it changed. */
  ingest(input: MoonrakerInput): void {
    const { change, events } = this.model.ingest(input);
    this.sensors.noteChanges(this.model.store, change.fields.keys());
    for (const event of events) this.acceptEvent(event);
    if (change.klippyReady || change.availabilityChanged) this.cadence.forceNext('status');
    this.offerStatus();
    this.offerSensors();
    this.offerEvents();
  }

  /** Queues a command-state item from the command processor for the events channel. */
  recordCommandState(item: CommandStateItem): void {
    this.limiter.addCommandState(item);
    this.offerEvents();
  }

  applyRate(request: TelemetryRateRequest): TelemetryRateResult {
    return this.options.rate.apply(request);
  }

  onPrintStateChange(listener: PrintStateListener): Disposable {
    return this.model.detector.onPrintStateChange(listener);
  }

  /** Sends status and sensors again even if unchanged, as after a reconnect to the broker. */
  republish(): void {
    this.cadence.forceNext('status');
    this.cadence.forceNext('sensors');
    this.offerStatus();
    this.offerSensors();
  }

  /** The most recent business events, newest last, for local views. */
  recent(): readonly BusinessEvent[] {
    return this.recentEvents;
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private acceptEvent(event: BusinessEvent): void {
    this.limiter.addEvent(event);
    this.recentEvents.push(event);
    if (this.recentEvents.length > 50) this.recentEvents.shift();
    if (event.eventName === 'print:started') this.loadMetadata(event);
  }

  private loadMetadata(event: BusinessEvent): void {
    const filename = event.data?.['filename'];
    const fetchMetadata = this.options.fetchMetadata;
    if (typeof filename !== 'string' || !fetchMetadata) return;

    // A file without metadata is stored as an empty record, so its job stops waiting for it.
    fetchMetadata(filename).then(
      (metadata) => this.storeMetadata(filename, metadata ?? {}),
      (error: unknown) => {
        this.logger.warn({ filename, err: errorMessage(error) }, 'Reading file metadata failed');
        this.storeMetadata(filename, {});
      },
    );
  }

  private storeMetadata(filename: string, metadata: Record<string, unknown>): void {
    if (this.disposables.isDisposed) return;
    this.model.session.setFileMetadata(filename, metadata);
    this.offerStatus();
  }

  private hasState(): boolean {
    return this.model.store.objectNames().length > 0;
  }

  private offerStatus(): void {
    if (!this.hasState() || this.disposables.isDisposed) return;
    this.cadence.offerWhenDue('status', this.buildStatus);
  }

  private readonly buildStatus = (): KeyedBody<Record<string, unknown>> => {
    const { payload, changeKey } = this.model.status.buildWithKey({
      heartbeatSeconds: this.heartbeatSeconds,
      watchWindowActive: this.options.rate.watchWindowActive,
    });
    return { body: payload, changeKey };
  };

  private offerSensors(): void {
    if (!this.hasState() || this.disposables.isDisposed) return;
    this.cadence.offerWhenDue('sensors', this.buildSensors);
  }

  private readonly buildSensors = (): KeyedBody<Record<string, unknown>> => {
    const frame = this.sensors.build(this.model.store, this.options.rate.sensorsCadence());
    return { body: frame.payload, changeKey: frame.changeKey };
  };

  private offerEvents(): void {
    if (this.disposables.isDisposed || this.limiter.pendingCount === 0) return;
    const body = this.events.build();
    if (body) this.emit('events', body);
  }

  private onRateChange(change: RateChange): void {
    this.cadence.setSensorsInterval(change.rate.intervalSeconds);
    if (change.windowOpened) this.cadence.forceNext('sensors');
    this.offerSensors();
    this.offerStatus();
  }

  private emit(channel: CadenceChannel, body: Record<string, unknown>): void {
    const sessionId = this.model.session.currentSessionId();
    const envelope = this.options.envelopes.wrap(channel, body, { sessionId });
    this.options.sink(channel, envelope);
  }
}
