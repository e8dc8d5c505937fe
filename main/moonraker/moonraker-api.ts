import { assertNever } from '../support/coded-error.js';
import { encodeFilePath } from './endpoint.js';
import { isMoonrakerError } from './errors.js';
import { ACTION_TIMEOUT_MS, QUERY_TIMEOUT_MS, type MoonrakerHttp } from './http-transport.js';
import type { ObjectFieldMap, ObjectStatus } from './input.js';
import type { PrintAction } from './printer-actions.js';
import {
  fileMetadataSchema,
  objectsListSchema,
  parseResult,
  parseStatus,
  printerInfoSchema,
  serverInfoSchema,
  type PrinterInfo,
  type ServerInfo,
} from './schemas.js';

/** Maximum file size `fetchFile` accepts. Thumbnails are usually far smaller. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const FILE_TIMEOUT_MS = 10_000;

/** Moonraker's HTTP endpoints with validated results. */
export class MoonrakerApi {
  constructor(private readonly http: MoonrakerHttp) {}

  async printAction(action: PrintAction): Promise<void> {
    await this.post(`/printer/print/${printActionPath(action)}`);
  }

  async emergencyStop(): Promise<void> {
    await this.post('/printer/emergency_stop');
  }

  async firmwareRestart(): Promise<void> {
    await this.post('/printer/firmware_restart');
  }

  async startPrint(filename: string): Promise<void> {
    await this.post('/printer/print/start', { query: { filename } });
  }

  async runGcode(script: string, timeoutMs = ACTION_TIMEOUT_MS): Promise<void> {
    await this.post('/printer/gcode/script', { body: { script }, timeoutMs });
  }

  async queryObjects(objects: ObjectFieldMap, timeoutMs = QUERY_TIMEOUT_MS): Promise<ObjectStatus> {
    const path = '/printer/objects/query';
    const result = await this.http.request('POST', path, { body: { objects }, timeoutMs });
    return parseStatus(result, `POST ${path}`);
  }

  async listObjects(): Promise<string[]> {
    const result = await this.get('/printer/objects/list');
    return parseResult(objectsListSchema, result, 'GET /printer/objects/list').objects;
  }

  async serverInfo(): Promise<ServerInfo> {
    return parseResult(serverInfoSchema, await this.get('/server/info'), 'GET /server/info');
  }

  async printerInfo(): Promise<PrinterInfo> {
    return parseResult(printerInfoSchema, await this.get('/printer/info'), 'GET /printer/info');
  }

  /** Slicer metadata of a G-code file, or null when Moonraker has none for it (404). */
  async fileMetadata(
    filename: string,
    timeoutMs = QUERY_TIMEOUT_MS,
  ): Promise<Record<string, unknown> | null> {
    const path = '/server/files/metadata';
    try {
      const result = await this.http.request('GET', path, { query: { filename }, timeoutMs });
      return parseResult(fileMetadataSchema, result, `GET ${path}`);
    } catch (error) {
      if (isMoonrakerError(error) && error.code === 'not_found') return null;
      throw error;
    }
  }

  /** A file below the `gcodes` root, such as a thumbnail, or null when it does not exist. */
  async fetchFile(
    path: string,
    options: { timeoutMs?: number; maxBytes?: number } = {},
  ): Promise<Uint8Array | null> {
    const timeoutMs = options.timeoutMs ?? FILE_TIMEOUT_MS;
    const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
    try {
      return await this.http.download(`/server/files/gcodes/${encodeFilePath(path)}`, {
        timeoutMs,
        maxBytes,
      });
    } catch (error) {
      if (isMoonrakerError(error) && error.code === 'not_found') return null;
      throw error;
    }
  }

  private get(path: string): Promise<unknown> {
    return this.http.request('GET', path, { timeoutMs: QUERY_TIMEOUT_MS });
  }

  private post(
    path: string,
    options: { query?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
  ): Promise<unknown> {
    return this.http.request('POST', path, {
      query: options.query,
      body: options.body,
      timeoutMs: options.timeoutMs ?? ACTION_TIMEOUT_MS,
    });
  }
}

/** Maps the action to its path segment, rejecting values that slipped past the type checker. */
function printActionPath(action: PrintAction): string {
  switch (action) {
    case 'pause':
    case 'resume':
    case 'cancel':
      return action;
    default:
      return assertNever(action, 'print action');
  }
}
