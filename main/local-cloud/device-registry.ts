import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ListenerSet, logListenerErrors } from '../support/listener-set.js';
import { writeFileAtomic } from '../support/atomic-file.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import { silentLogger, type Logger } from '../support/logger.js';

export const registeredDeviceSchema = z.object({
  deviceId: z.string().min(1),
  printerId: z.string().min(1),
  tenantId: z.string(),
  /** Raw 32-byte Ed25519 public key, base64. The private key is handed out once and not kept. */
  publicKey: z.string().min(1),
  linkedAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type RegisteredDevice = z.infer<typeof registeredDeviceSchema>;

const registryFileSchema = z.object({ devices: z.array(registeredDeviceSchema) });

export interface DeviceRegistryOptions {
  /** JSON file that keeps the registry across restarts; in memory only when absent. */
  filePath?: string;
  logger?: Logger;
}

/**
 * Devices linked to the local cloud, with their public keys. Revoking keeps the record, so the
 * device gets 404 on token requests and the broker can tell why it was turned away.
 */
export class DeviceRegistry {
  private readonly devices = new Map<string, RegisteredDevice>();
  private readonly revoked: ListenerSet<[RegisteredDevice]>;
  private readonly logger: Logger;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: DeviceRegistryOptions = {}) {
    this.logger = (options.logger ?? silentLogger).child({ component: 'device-registry' });
    this.revoked = new ListenerSet(logListenerErrors(this.logger, 'device revoked'));
  }

  /** Creates a registry and loads its file when one is given and exists. */
  static async open(options: DeviceRegistryOptions = {}): Promise<DeviceRegistry> {
    const registry = new DeviceRegistry(options);
    await registry.load();
    return registry;
  }

  get(deviceId: string): RegisteredDevice | undefined {
    return this.devices.get(deviceId);
  }

  /** Returns the device when it exists and is not revoked. */
  active(deviceId: string): RegisteredDevice | undefined {
    const device = this.devices.get(deviceId);
    return device && device.revokedAt === null ? device : undefined;
  }

  list(): RegisteredDevice[] {
    return [...this.devices.values()];
  }

  /** Adds a device and resolves once it is saved. */
  async register(device: Omit<RegisteredDevice, 'revokedAt'>): Promise<RegisteredDevice> {
    const record = Object.freeze({ ...device, revokedAt: null });
    this.devices.set(record.deviceId, record);
    this.logger.info({ deviceId: record.deviceId, printerId: record.printerId }, 'device linked');
    await this.save();
    return record;
  }

  /** Revokes a device. Returns false for an unknown id; revoking twice keeps the first time. */
  async revoke(deviceId: string, revokedAt: string): Promise<boolean> {
    const device = this.devices.get(deviceId);
    if (!device) return false;
    if (device.revokedAt !== null) return true;

    const record = Object.freeze({ ...device, revokedAt });
    this.devices.set(deviceId, record);
    this.logger.info({ deviceId }, 'device revoked');
    await this.save();
    this.revoked.emit(record);
    return true;
  }

  onRevoked(listener: (device: RegisteredDevice) => void): Disposable {
    return this.revoked.add(listener);
  }

  private async load(): Promise<void> {
    const path = this.options.filePath;
    if (path === undefined) return;

    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const device of parseRegistry(path, text)) {
      this.devices.set(device.deviceId, Object.freeze(device));
    }
    this.logger.info({ path, devices: this.devices.size }, 'device registry loaded');
  }

  private save(): Promise<void> {
    const path = this.options.filePath;
    if (path === undefined) return Promise.resolve();

    const write = async (): Promise<void> => {
      const text = JSON.stringify({ devices: this.list() }, null, 2);
      await writeFileAtomic(path, `${text}\n`, 0o600);
    };
    this.saving = this.saving.then(write, write);
    return this.saving;
  }
}

function parseRegistry(path: string, text: string): RegisteredDevice[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `not valid JSON: ${errorMessage(error)}`, error);
  }
  const parsed = registryFileSchema.safeParse(value);
  if (!parsed.success) throw corrupt(path, 'unexpected layout', parsed.error);
  return parsed.data.devices;
}

function corrupt(path: string, problem: string, cause: unknown): CodedError {
  return new CodedError(
    'registry_corrupt',
    `Device registry ${path} is corrupt (${problem}); fix or delete the file, then link the printers again`,
    { cause, details: { path } },
  );
}
