import type { z } from 'zod';
import { CodedError } from '../support/coded-error.js';
import {
  OPERATOR_DEVICES_PATH,
  OPERATOR_LINK_CODES_PATH,
  deviceListResponseSchema,
  linkCodeResponseSchema,
  type DeviceSummary,
  type LinkCodeRequest,
  type LinkCodeResponse,
} from './operator-api.js';

export interface OperatorClientOptions {
  baseUrl: string;
  operatorToken: string;
  requestTimeoutMs?: number;
}

/** Calls the operator endpoints of a local cloud, as the demo and integration tests do. */
export class OperatorClient {
  constructor(private readonly options: OperatorClientOptions) {}

  async mintLinkCode(request: LinkCodeRequest = {}): Promise<LinkCodeResponse> {
    const text = await this.send('POST', OPERATOR_LINK_CODES_PATH, request, 201);
    return parse(linkCodeResponseSchema, text);
  }

  async listDevices(): Promise<DeviceSummary[]> {
    const text = await this.send('GET', OPERATOR_DEVICES_PATH, undefined, 200);
    return parse(deviceListResponseSchema, text).devices;
  }

  async revokeDevice(deviceId: string): Promise<void> {
    const path = `${OPERATOR_DEVICES_PATH}/${encodeURIComponent(deviceId)}`;
    await this.send('DELETE', path, undefined, 204);
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    expectedStatus: number,
  ): Promise<string> {
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.options.operatorToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (response.status !== expectedStatus) {
      throw new CodedError(
        'operator_request_failed',
        `${method} ${path} failed with HTTP ${response.status}: ${text.trim()}`,
        { details: { status: response.status } },
      );
    }
    return text;
  }
}

function parse<Schema extends z.ZodType>(schema: Schema, text: string): z.infer<Schema> {
  return schema.parse(JSON.parse(text));
}
