import { z } from 'zod';

import { printerIdSchema } from '../../../shared/control-api/printer-views.js';
import type { DeviceCredentials } from '../../../shared/contract/device-http.js';
import { CredentialsStore } from '../../cloud/credentials-store.js';
import type { SecretStore } from '../../cloud/secret-store.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';

export type FleetSecretsErrorCode =
  'invalid_printer_id' | 'invalid_api_key' | 'secrets_delete_failed';

const API_KEY_PREFIX = 'moonraker-api-key/';

const apiKeySchema = z.string().trim().min(1);

/**
 * The secrets of each printer in the fleet, keyed by printer id: the linked device credentials
 * (with the device's private key) and the Moonraker API key. They stay in the secret store and
 * never in the settings file. Credentials are stored under `device-credentials/<id>` and API keys
 * under `moonraker-api-key/<id>`. Logs name only the printer id, never a value.
 */
export class FleetSecrets {
  private readonly credentials: CredentialsStore;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly secrets: SecretStore,
    logger?: Logger,
  ) {
    this.credentials = new CredentialsStore(secrets);
    this.logger = logger?.child({ component: 'fleet-secrets' });
  }

  get location(): string {
    return this.secrets.location;
  }

  /** Rejects with `credentials_corrupt` when the stored entry does not parse. */
  async getCredentials(printerId: string): Promise<DeviceCredentials | undefined> {
    return this.credentials.get(checkedId(printerId));
  }

  /** Rejects with `invalid_credentials` when a field is missing or invalid. */
  async setCredentials(printerId: string, credentials: DeviceCredentials): Promise<void> {
    return this.credentials.set(checkedId(printerId), credentials);
  }

  async deleteCredentials(printerId: string): Promise<void> {
    return this.credentials.delete(checkedId(printerId));
  }

  async getApiKey(printerId: string): Promise<string | undefined> {
    return this.secrets.get(apiKeyKey(printerId));
  }

  /** Stores the key without surrounding whitespace; rejects a blank key with `invalid_api_key`. */
  async setApiKey(printerId: string, apiKey: string): Promise<void> {
    const key = apiKeyKey(printerId);
    const parsed = apiKeySchema.safeParse(apiKey);
    if (!parsed.success) {
      throw new CodedError<FleetSecretsErrorCode>(
        'invalid_api_key',
        `Moonraker API key of printer "${printerId}" is empty; paste the key from Moonraker's ` +
          'access settings, or remove the key instead',
        { details: { printerId } },
      );
    }
    await this.secrets.set(key, parsed.data);
  }

  async deleteApiKey(printerId: string): Promise<void> {
    return this.secrets.delete(apiKeyKey(printerId));
  }

  /**
   * Removes the credentials and the API key of a printer. Both deletions are attempted even when
   * one fails; a failure rejects with `secrets_delete_failed`.
   */
  async forgetPrinter(printerId: string): Promise<void> {
    const id = checkedId(printerId);
    const results = await Promise.allSettled([this.deleteCredentials(id), this.deleteApiKey(id)]);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) {
      const cause: unknown = failure.reason;
      this.logger?.error({ printerId: id, err: cause }, 'failed to remove the printer secrets');
      throw new CodedError<FleetSecretsErrorCode>(
        'secrets_delete_failed',
        `Failed to remove the secrets of printer "${id}" from ${this.location}: ` +
          `${errorMessage(cause)}`,
        { cause, details: { printerId: id } },
      );
    }
    this.logger?.info({ printerId: id }, 'printer secrets removed');
  }

  /**
   * Returns every stored secret value of these printers (API keys, private keys), so a
   * diagnostics bundle can remove them wherever they occur. Unreadable entries are logged and
   * skipped.
   */
  async secretValues(printerIds: readonly string[]): Promise<string[]> {
    const values: string[] = [];
    for (const id of printerIds) {
      const [credentials, apiKey] = await Promise.allSettled([
        this.getCredentials(id),
        this.getApiKey(id),
      ]);
      for (const result of [credentials, apiKey]) {
        if (result.status === 'rejected') {
          this.logger?.warn({ printerId: id, err: result.reason }, 'skipped an unreadable secret');
        }
      }
      if (credentials.status === 'fulfilled' && credentials.value) {
        values.push(credentials.value.devicePrivateKey);
      }
      if (apiKey.status === 'fulfilled' && apiKey.value) values.push(apiKey.value);
    }
    return values;
  }
}

function checkedId(printerId: string): string {
  if (printerIdSchema.safeParse(printerId).success) return printerId;
  throw new CodedError<FleetSecretsErrorCode>(
    'invalid_printer_id',
    `Printer id ${JSON.stringify(printerId)} is invalid; expected 1 to 64 characters`,
    { details: { printerId } },
  );
}

function apiKeyKey(printerId: string): string {
  return `${API_KEY_PREFIX}${checkedId(printerId)}`;
}
