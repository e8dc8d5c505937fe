import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { credentialsFromLink } from '../../shared/contract/device-http.js';
import type { LinkResponse } from '../../shared/contract/device-http.js';
import type { ControlApi } from '../../shared/control-api/methods.js';
import type { ControlEventData, ControlEventName } from '../../shared/control-api/events.js';
import type { AppSettings } from '../../shared/settings/app-settings.js';
import { LinkClient } from '../cloud/link-client.js';
import { FileSecretStore, type SecretStore } from '../cloud/secret-store.js';
import { DiscoveryService, type DiscoveryServiceOptions } from '../discovery/discovery-service.js';
import type { Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import { DisposableStore, toDisposable } from '../support/disposable.js';
import type { Disposable } from '../support/disposable.js';
import type { LogBuffer } from '../support/log-buffer.js';
import type { Logger } from '../support/logger.js';
import { buildControlApi } from './fleet-control-api.js';
import type { FleetPrinter } from './fleet/fleet-bridge.js';
import type { FleetRuntimeOptions } from './fleet/fleet-options.js';
import { FleetRuntime } from './fleet/fleet-runtime.js';
import { LinkCoordinator } from './linking/link-coordinator.js';
import { LINK_STATES_FILE_NAME, LinkStateBook } from './linking/link-state-book.js';
import { LinkClientExchange, type LinkTargetStore } from './linking/linking-ports.js';
import { linkedFields, toFleetPrinter } from './printer-records.js';
import { FleetSecrets } from './settings/fleet-secrets.js';
import { FileSettingsBackend, type SettingsBackend } from './settings/settings-backend.js';
import { SettingsStore } from './settings/settings-store.js';

export interface FleetServiceOptions {
  dataDir: string;
  version: string;
  clock: Clock;
  logger: Logger;
  logBuffer: LogBuffer;
  /** Storage of the settings; `settings.json` in the data folder by default. */
  settingsBackend?: SettingsBackend;
  /** Storage of the secrets; a 0600 `credentials.json` in the data folder by default. */
  secretStore?: SecretStore;
  discovery?: Partial<DiscoveryServiceOptions>;
  /** Runtime tuning and test seams. */
  runtime?: Partial<
    Omit<FleetRuntimeOptions, 'cloud' | 'dataDir' | 'version' | 'clock' | 'logger'>
  >;
}

export type ControlEventListener = <E extends ControlEventName>(
  event: E,
  data: ControlEventData<E>,
) => void;

/**
 * The service behind the control API: the printers in the settings, one supervised bridge per
 * linked printer, discovery and linking. The desktop shell and the headless service both run
 * one and hand its `api` to their transport.
 */
export class FleetService implements Disposable {
  readonly api: ControlApi;
  private readonly listeners = new Set<ControlEventListener>();
  private readonly disposables = new DisposableStore();
  private linkCallback: string | undefined;
  /** Secrets of the transport, such as the control token, that logs and bundles must not show. */
  private readonly transportSecrets = new Set<string>();

  private constructor(
    readonly options: FleetServiceOptions,
    readonly settings: SettingsStore,
    readonly secrets: FleetSecrets,
    readonly runtime: FleetRuntime,
    readonly discovery: DiscoveryService,
    readonly linking: LinkCoordinator,
    private readonly linkStates: LinkStateBook,
  ) {
    this.api = buildControlApi(this);
    this.wireEvents();
  }

  static async open(options: FleetServiceOptions): Promise<FleetService> {
    const { clock, logger } = options;
    const settings = await SettingsStore.open({
      backend: options.settingsBackend ?? FileSettingsBackend.inFolder(options.dataDir),
      logger,
      clock,
    });
    const secrets = new FleetSecrets(
      options.secretStore ?? FileSecretStore.inFolder(options.dataDir, logger),
      logger,
    );
    const current = settings.get();
    const runtime = new FleetRuntime({
      cloud: { baseUrl: current.cloud.baseUrl, brokerUrl: current.cloud.brokerUrl },
      dataDir: options.dataDir,
      version: options.version,
      clock,
      logger,
      telemetry: telemetryOf(current),
      ...options.runtime,
    });
    const discovery = new DiscoveryService({
      logger,
      clock,
      mdns: current.discovery.mdns,
      ...(current.discovery.interfaceAddress
        ? { interfaceAddress: current.discovery.interfaceAddress }
        : {}),
      ...options.discovery,
    });
    const holder: { service?: FleetService } = {};
    const targets: LinkTargetStore = {
      target: (printerId) => holder.service?.linkTarget(printerId),
      onLinked: (printerId, response) =>
        holder.service?.saveLink(printerId, response) ?? Promise.resolve(),
    };
    // Saved click-to-link states let a callback that starts the app complete its link.
    const states = await LinkStateBook.open({
      clock,
      logger,
      file: join(options.dataDir, LINK_STATES_FILE_NAME),
    });
    const linking = new LinkCoordinator({
      exchange: new LinkClientExchange(
        () => new LinkClient({ baseUrl: settings.get().cloud.baseUrl, clock, logger }),
      ),
      targets,
      webUrl: () => settings.get().cloud.webUrl,
      clock,
      logger,
      states,
    });
    const service = new FleetService(
      options,
      settings,
      secrets,
      runtime,
      discovery,
      linking,
      states,
    );
    holder.service = service;
    return service;
  }

  /**
   * Starts discovery and the bridges of every enabled, linked printer, and reports the printers
   * of saved click-to-link states as linking again.
   */
  async start(): Promise<void> {
    const printers = await Promise.all(
      this.settings.get().printers.map((printer) => toFleetPrinter(printer, this.secrets)),
    );
    this.warnMissingCredentials(printers);
    this.runtime.start(printers);
    this.linking.resume();
    this.discovery.start();
  }

  /**
   * Logs each printer whose settings keep a device id while the secret store has no credentials
   * for it. Such a printer counts as unlinked, because only the credentials let a bridge connect.
   */
  private warnMissingCredentials(printers: readonly FleetPrinter[]): void {
    for (const printer of printers) {
      if (printer.credentials || !this.printerSettings(printer.id).deviceId) continue;
      this.options.logger.warn(
        { localPrinterId: printer.id, printer: printer.name },
        `Printer ${printer.name} has a device id but no credentials; link it again`,
      );
    }
  }

  onEvent(listener: ControlEventListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  emit<E extends ControlEventName>(event: E, data: ControlEventData<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, data);
      } catch (error) {
        // A failure of a log-line listener is not logged, because that log line would fail again.
        if (event !== 'log.line') {
          this.options.logger.error({ event, err: error }, 'A control event listener threw');
        }
      }
    }
  }

  /**
   * Sets where Owl Web sends the link codes: `owl://link` (the default) in the desktop app, the
   * control server's loopback callback in the headless service.
   */
  setLinkCallback(callback: string | undefined): void {
    this.linkCallback = callback;
  }

  /** Adds a secret of the transport, such as the control token, to `redactedValues`. */
  addRedactedValue(secret: string): void {
    this.transportSecrets.add(secret);
  }

  /**
   * Lists the values that the UI's log lines and the diagnostics bundle must not contain: the
   * transport's secrets and the click-to-link states that still wait for their callback.
   */
  redactedValues(): string[] {
    const states = this.linkStates.pendingStates().map((pending) => pending.state);
    return [...this.transportSecrets, ...states];
  }

  linkCallbackOptions(): { callback?: string } {
    return this.linkCallback ? { callback: this.linkCallback } : {};
  }

  printerSettings(printerId: string): AppSettings['printers'][number] {
    const printer = this.settings.get().printers.find((candidate) => candidate.id === printerId);
    if (!printer) throw new CodedError('not_found', `No printer with id ${printerId}`);
    return printer;
  }

  async stop(): Promise<void> {
    this.disposables.dispose();
    this.linking.dispose();
    await this.linking.saved();
    this.discovery.dispose();
    await this.runtime.stop();
    await this.settings.flush();
    this.settings.dispose();
  }

  dispose(): void {
    void this.stop();
  }

  /**
   * Deletes the data folder of a device, `devices/<deviceId>` with its outbox journal and
   * command store, unless a printer in the settings still uses the device. Call it after the
   * device's bridge has stopped and its credentials are gone, because then nothing in the folder
   * can be sent any more. A failure is logged and not thrown.
   */
  async removeDeviceData(deviceId: string): Promise<void> {
    const { logger, dataDir } = this.options;
    if (this.settings.get().printers.some((printer) => printer.deviceId === deviceId)) return;
    const devicesFolder = resolve(dataDir, 'devices');
    const folder = resolve(devicesFolder, deviceId);
    // Owl Cloud issues device ids, so one that names another folder (such as `..`) is skipped.
    if (dirname(folder) !== devicesFolder) {
      logger.warn(
        { deviceId },
        `Kept the data of device ${deviceId}, because its id is not a plain folder name`,
      );
      return;
    }
    try {
      await rm(folder, { recursive: true, force: true });
      logger.info({ deviceId, folder }, 'Removed the data folder of a device no printer uses');
    } catch (error) {
      logger.warn(
        { deviceId, folder, err: errorMessage(error) },
        `Failed to remove the data folder of device ${deviceId}; delete ${folder} by hand`,
      );
    }
  }

  /** Returns the printer's facts for linking, or undefined once it is being removed. */
  private linkTarget(
    printerId: string,
  ): { printerId: string; name: string; linked: boolean } | undefined {
    const printer = this.settings.get().printers.find((candidate) => candidate.id === printerId);
    // `printers.remove` takes the printer out of the runtime first, before its settings go.
    if (!printer || !this.runtime.has(printerId)) return undefined;
    // Linked means stored credentials, as for the runtime: a device id alone is not enough.
    const linked = this.runtime.hasCredentials(printerId);
    return { printerId, name: printer.name, linked };
  }

  /**
   * Saves new credentials and starts the printer's bridge with them. Throws `not_found` without
   * keeping any secret when the printer was removed while linking. A new device id replaces the
   * printer's earlier device, whose data folder is then deleted.
   */
  private async saveLink(printerId: string, response: LinkResponse): Promise<void> {
    const credentials = credentialsFromLink(response);
    const previousDeviceId = this.checkLinkTarget(printerId).deviceId;
    await this.secrets.setCredentials(printerId, credentials);
    if (!this.linkTarget(printerId)) {
      // The printer was removed while the secret was written.
      await this.secrets.deleteCredentials(printerId);
      this.checkLinkTarget(printerId);
    }
    await this.settings.update((draft) => {
      const printer = draft.printers.find((candidate) => candidate.id === printerId);
      if (printer) Object.assign(printer, linkedFields(credentials));
    });
    this.runtime.setLinking(printerId, false);
    await this.runtime.reconfigure(printerId, { credentials });
    if (previousDeviceId && previousDeviceId !== credentials.deviceId) {
      await this.removeDeviceData(previousDeviceId);
    }
  }

  /** Returns the printer's settings, or throws `not_found` when it is gone or being removed. */
  private checkLinkTarget(printerId: string): AppSettings['printers'][number] {
    const printer = this.settings.get().printers.find((candidate) => candidate.id === printerId);
    if (!printer || !this.runtime.has(printerId)) {
      throw new CodedError('not_found', `Printer ${printerId} was removed while linking`);
    }
    return printer;
  }

  private wireEvents(): void {
    const { disposables, runtime, discovery, linking } = this;
    disposables.add(
      runtime.onChange((printerId) => {
        if (runtime.has(printerId)) this.emit('printer.changed', runtime.summary(printerId));
      }),
    );
    disposables.add(discovery.onChange((printers) => this.emit('discovery.changed', printers)));
    disposables.add(discovery.onSweepProgress((progress) => this.emit('sweep.progress', progress)));
    disposables.add(
      linking.onProgress((progress) => {
        // The coordinator reports every start, expiry, cancellation and result, so the summary's
        // `linking` follows it; a call rejected as busy reports nothing and changes nothing.
        if (runtime.has(progress.printerId)) {
          runtime.setLinking(progress.printerId, progress.state === 'waiting');
        }
        this.emit('link.progress', progress);
      }),
    );
    const stopLogs = this.options.logBuffer.onLine((line) =>
      this.emit('log.line', {
        at: line.at,
        level: line.level,
        message: line.message,
        ...(line.printer ? { printer: line.printer } : {}),
        ...(line.printerId ? { printerId: line.printerId } : {}),
      }),
    );
    disposables.add(toDisposable(stopLogs));
  }
}

export function telemetryOf(settings: AppSettings): FleetRuntimeOptions['telemetry'] {
  return {
    sensorsIntervalSeconds: settings.telemetry.sensorsIntervalSeconds,
    sensorFilter: {
      allowlist: settings.telemetry.sensorAllowlist,
      denylist: settings.telemetry.sensorDenylist,
    },
  };
}
