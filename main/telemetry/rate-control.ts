import type { SensorMode } from '../../shared/contract/sensors.js';
import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../shared/contract/telemetry-rate.js';
import { isoSeconds } from '../../shared/contract/time.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import { toDisposable } from '../support/disposable.js';
import { silentLogger } from '../support/logger.js';
import type { Logger } from '../support/logger.js';
import { DEFAULT_RATE_SETTINGS, idleRate, planRate } from './rate-plan.js';
import type { RatePlan, RateSettings, SensorsRate } from './rate-plan.js';
import type { SensorsCadence } from './sensors-builder.js';

export type RateChangeReason = 'applied' | 'extended' | 'expired' | 'restored' | 'reconfigured';

export interface RateChange {
  reason: RateChangeReason;
  rate: Readonly<SensorsRate>;
  previous: Readonly<SensorsRate>;
  /** A watch window started, so a fresh sensors frame should go out now. */
  windowOpened: boolean;
}

/** The rate at one moment, for carrying it over to a new instance with its remaining duration. */
export interface RateSnapshot {
  mode: SensorMode;
  intervalSeconds: number;
  /** Monotonic time in ms at which the watch window ends, valid within one process only. */
  deadline?: number;
}

export interface RateControlOptions {
  clock: Clock;
  settings?: Partial<RateSettings>;
  logger?: Logger;
}

/** Two watch intervals closer than this count as the same rate, so a repeat only extends. */
const SAME_INTERVAL_SECONDS = 0.01;

/**
 * The sensors rate of one device: idle, or a watch window with a short interval that reverts to
 * idle when it expires. It lives as long as the device, so telemetry restarts keep the rate and
 * its expiry. Listeners are called on every change.
 */
export class RateControl implements Disposable {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private settings: RateSettings;
  private current: SensorsRate;
  private expiryTimer: TimerHandle | undefined;
  private deadline: number | undefined;
  private readonly listeners = new Set<(change: RateChange) => void>();
  private disposed = false;

  constructor(options: RateControlOptions) {
    this.clock = options.clock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'rate-control' });
    this.settings = { ...DEFAULT_RATE_SETTINGS, ...definedSettings(options.settings) };
    this.current = idleRate(this.settings);
  }

  get rate(): Readonly<SensorsRate> {
    return { ...this.current };
  }

  /** True while a watch window is open, which the status channel reports. */
  get watchWindowActive(): boolean {
    return this.current.mode === 'watch';
  }

  /** Returns the `cadence` block of the sensors channel body. */
  sensorsCadence(): SensorsCadence {
    const cadence: SensorsCadence = {
      mode: this.current.mode,
      intervalSeconds: this.current.intervalSeconds,
    };
    if (this.current.expiresAt !== undefined) {
      cadence.watchWindowExpires = isoSeconds(this.current.expiresAt);
    }
    return cadence;
  }

  /** Applies a `control:set-telemetry-rate` request and returns the ack's result fields. */
  apply(request: TelemetryRateRequest): TelemetryRateResult {
    const plan = planRate(request, this.clock.now(), this.settings);
    if (plan.expiredOnArrival) {
      this.logger.info({ request }, 'Watch window of the rate request has already ended');
    }
    if (this.isExtension(plan.rate)) this.change(plan.rate, 'extended');
    else this.change(plan.rate, 'applied');
    return resultOf(request, plan, this.current);
  }

  /** Changes the limits, as when the cloud pushes a new sensors interval. */
  configure(settings: Partial<RateSettings>): void {
    if (this.disposed) return;
    this.settings = { ...this.settings, ...definedSettings(settings) };
    if (this.current.mode === 'idle') this.change(idleRate(this.settings), 'reconfigured');
  }

  snapshot(): RateSnapshot {
    const snapshot: RateSnapshot = {
      mode: this.current.mode,
      intervalSeconds: this.current.intervalSeconds,
    };
    if (this.deadline !== undefined) snapshot.deadline = this.deadline;
    return snapshot;
  }

  /** Re-applies a snapshot with the time its watch window has left, or idle when none is left. */
  restore(snapshot: RateSnapshot): void {
    const remainingMs =
      snapshot.deadline === undefined ? 0 : snapshot.deadline - this.clock.monotonic();
    if (snapshot.mode !== 'watch' || remainingMs <= 0) {
      this.change(idleRate(this.settings), 'restored');
      return;
    }
    const intervalSeconds = Math.max(
      this.settings.sensorsMinIntervalSeconds,
      snapshot.intervalSeconds,
    );
    const expiresAt = this.clock.now() + remainingMs;
    this.change({ mode: 'watch', intervalSeconds, expiresAt }, 'restored');
  }

  onChange(listener: (change: RateChange) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearExpiry();
    this.listeners.clear();
  }

  /** Returns true when the next rate is the open watch window with a new expiry only. */
  private isExtension(next: SensorsRate): boolean {
    if (this.current.mode !== 'watch' || next.mode !== 'watch') return false;
    return Math.abs(next.intervalSeconds - this.current.intervalSeconds) < SAME_INTERVAL_SECONDS;
  }

  private change(next: SensorsRate, reason: RateChangeReason): void {
    if (this.disposed) return;
    const previous = this.current;
    this.current = reason === 'extended' ? { ...previous, expiresAt: next.expiresAt } : next;
    this.armExpiry();
    if (sameRate(previous, this.current)) return;

    this.logger.info({ reason, previous, rate: this.current }, 'Sensors rate changed');
    const windowOpened = previous.mode !== 'watch' && this.current.mode === 'watch';
    this.notify({ reason, rate: { ...this.current }, previous, windowOpened });
  }

  private armExpiry(): void {
    this.clearExpiry();
    const expiresAt = this.current.expiresAt;
    if (expiresAt === undefined) return;

    const delayMs = Math.max(0, expiresAt - this.clock.now());
    this.deadline = this.clock.monotonic() + delayMs;
    this.expiryTimer = this.clock.setTimeout(() => {
      this.expiryTimer = undefined;
      this.change(idleRate(this.settings), 'expired');
    }, delayMs);
  }

  private clearExpiry(): void {
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.deadline = undefined;
  }

  private notify(change: RateChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ err: errorMessage(error) }, 'Rate change listener failed');
      }
    }
  }
}

function resultOf(
  request: TelemetryRateRequest,
  plan: RatePlan,
  applied: SensorsRate,
): TelemetryRateResult {
  const result: TelemetryRateResult = {
    mode: applied.mode,
    intervalSeconds: applied.intervalSeconds,
  };
  if (applied.mode === 'watch' && plan.durationSeconds !== undefined) {
    result.durationSeconds = plan.durationSeconds;
  }
  if (request.issuedAt !== undefined && Number.isFinite(request.issuedAt)) {
    result.requestedAtUtc = isoSeconds(request.issuedAt);
  }
  if (applied.mode === 'watch' && plan.reportedExpiry !== undefined) {
    result.watchWindowExpires = isoSeconds(plan.reportedExpiry);
  }
  return result;
}

function sameRate(a: SensorsRate, b: SensorsRate): boolean {
  return (
    a.mode === b.mode && a.intervalSeconds === b.intervalSeconds && a.expiresAt === b.expiresAt
  );
}

/** Keeps only valid positive settings, so a bad value from the cloud leaves the old one. */
function definedSettings(settings: Partial<RateSettings> = {}): Partial<RateSettings> {
  const valid: Partial<RateSettings> = {};
  for (const key of Object.keys(DEFAULT_RATE_SETTINGS) as (keyof RateSettings)[]) {
    const value = settings[key];
    if (value !== undefined && Number.isFinite(value) && value > 0) valid[key] = value;
  }
  return valid;
}
