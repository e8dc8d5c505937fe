import { withDeadline } from '../cloud/deadline.js';
import type { Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import { toDisposable, type Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';

/** Puts a device's new token in place at a broker that keeps its own password per client. */
export type BrokerProvisioner = (issued: { deviceId: string; token: string }) => Promise<void>;

export type ProvisioningErrorCode = 'provisioning_failed' | 'provisioning_timeout';

/** Default bound of one token's provisioning, above the 10 s command timeout of dynsec. */
export const DEFAULT_PROVISION_TIMEOUT_MS = 15_000;

/**
 * The brokers that must know a token before the device may use it, such as a mosquitto whose
 * dynamic-security plugin stores each device's password. A broker that checks the JWT itself,
 * as the embedded one does, needs no provisioner: a signed token is in place at once.
 */
export class BrokerProvisioning {
  private readonly provisioners = new Set<BrokerProvisioner>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs = DEFAULT_PROVISION_TIMEOUT_MS,
  ) {}

  add(provisioner: BrokerProvisioner): Disposable {
    this.provisioners.add(provisioner);
    return toDisposable(() => this.provisioners.delete(provisioner));
  }

  /**
   * Resolves once every provisioner has put the token in place. Rejects with
   * `provisioning_failed` when one fails and with `provisioning_timeout` when they take longer
   * than the bound, so the token is never handed out before the broker accepts it.
   */
  async run(deviceId: string, token: string): Promise<void> {
    if (this.provisioners.size === 0) return;
    const work = Promise.all(
      [...this.provisioners].map((provision) => provision({ deviceId, token })),
    );
    try {
      await withDeadline(work, this.clock, this.timeoutMs, 'Setting up the broker login');
    } catch (error) {
      const failure = this.failureOf(error, deviceId);
      this.logger.error(
        { deviceId, code: failure.code, err: errorMessage(error) },
        failure.message,
      );
      throw failure;
    }
  }

  private failureOf(error: unknown, deviceId: string): CodedError<ProvisioningErrorCode> {
    if (error instanceof CodedError && error.code === 'timed_out') {
      return new CodedError<ProvisioningErrorCode>(
        'provisioning_timeout',
        `Setting up the broker login of device ${deviceId} took longer than ` +
          `${this.timeoutMs} ms; request a token again`,
        { details: { deviceId, timeoutMs: this.timeoutMs } },
      );
    }
    return new CodedError<ProvisioningErrorCode>(
      'provisioning_failed',
      `Setting up the broker login of device ${deviceId} failed: ${errorMessage(error)}; ` +
        'request a token again',
      { cause: error, details: { deviceId } },
    );
  }
}
