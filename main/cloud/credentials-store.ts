import {
  deviceCredentialsSchema,
  type DeviceCredentials,
} from '../../shared/contract/device-http.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { SecretStore } from './secret-store.js';

export type CredentialsErrorCode = 'credentials_corrupt' | 'invalid_credentials';

const KEY_PREFIX = 'device-credentials/';

/**
 * Linked device credentials of each printer, kept in a secret store under the printer's name.
 * An entry that does not parse is reported with its location and is never replaced silently.
 */
export class CredentialsStore {
  constructor(private readonly secrets: SecretStore) {}

  async get(printerName: string): Promise<DeviceCredentials | undefined> {
    const text = await this.secrets.get(keyOf(printerName));
    if (text === undefined) return undefined;
    return this.parse(printerName, text);
  }

  async set(printerName: string, credentials: DeviceCredentials): Promise<void> {
    const parsed = deviceCredentialsSchema.safeParse(credentials);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'credentials');
      throw new CodedError<CredentialsErrorCode>(
        'invalid_credentials',
        `Credentials of printer "${printerName}" have a missing or invalid field: ${field}`,
      );
    }
    await this.secrets.set(keyOf(printerName), JSON.stringify(parsed.data));
  }

  async delete(printerName: string): Promise<void> {
    await this.secrets.delete(keyOf(printerName));
  }

  private parse(printerName: string, text: string): DeviceCredentials {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.corrupt(printerName, `not valid JSON: ${errorMessage(error)}`, error);
    }
    const parsed = deviceCredentialsSchema.safeParse(value);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'credentials');
      throw this.corrupt(printerName, `missing or invalid field: ${field}`, parsed.error);
    }
    return parsed.data;
  }

  private corrupt(printerName: string, problem: string, cause: unknown): CodedError {
    const location = this.secrets.location;
    return new CodedError<CredentialsErrorCode>(
      'credentials_corrupt',
      `Stored credentials of printer "${printerName}" in ${location} are corrupt (${problem}); link the printer again`,
      { cause, details: { printerName, location } },
    );
  }
}

function keyOf(printerName: string): string {
  if (printerName.trim() === '') {
    throw new CodedError<CredentialsErrorCode>(
      'invalid_credentials',
      'Printer name cannot be empty when storing credentials',
    );
  }
  return `${KEY_PREFIX}${printerName}`;
}
