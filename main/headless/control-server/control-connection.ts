import WebSocket, { type RawData } from 'ws';

import type { ResponseFrame } from '../../../shared/control-api/protocol.js';
import type { Logger } from '../../support/logger.js';
import type { ControlDispatcher } from './control-dispatcher.js';
import { internalError } from './error-response.js';
import { parseRequestFrame } from './request-frame.js';

export interface ConnectionLimits {
  /** Invalid frames in a row after which the connection is closed with 1008. */
  maxInvalidFrames: number;
  /** Requests one client may have running at once. More get a `busy` error. */
  maxPendingRequests: number;
  /** Bytes queued on the socket beyond which a client that does not read is cut off. */
  maxBufferedBytes: number;
}

/**
 * One authenticated client of the control API. It reads request frames, dispatches them and
 * sends the responses. Invalid frames get an error response, and the connection closes only when
 * a client keeps sending them.
 */
export class ControlConnection {
  readonly closed: Promise<void>;
  private invalidFramesInARow = 0;
  private pendingRequests = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly dispatcher: ControlDispatcher,
    private readonly limits: ConnectionLimits,
    private readonly logger: Logger,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('message', (data, isBinary) => this.handleMessage(data, isBinary));
    socket.on('error', (error) => this.logger.warn({ err: error }, 'control socket error'));
  }

  /** Sends an already serialized frame, dropping a client whose send queue has grown too long. */
  sendText(text: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      const buffered = this.socket.bufferedAmount;
      this.logger.warn({ buffered }, 'control client is not reading; closing the connection');
      this.socket.terminate();
      return;
    }
    this.socket.send(text);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private handleMessage(data: RawData, isBinary: boolean): void {
    const parsed = parseRequestFrame(data, isBinary);
    if (!parsed.ok) {
      this.rejectFrame({ id: parsed.id, error: parsed.error });
      return;
    }
    this.invalidFramesInARow = 0;
    const { id, method } = parsed.request;
    if (this.pendingRequests >= this.limits.maxPendingRequests) {
      const message = `Too many requests in flight (max ${this.limits.maxPendingRequests}). Wait for responses before sending more`;
      this.send({ id, error: { code: 'busy', message } });
      return;
    }

    this.pendingRequests += 1;
    void this.dispatcher
      .dispatch(parsed.request)
      .catch((error: unknown) => {
        this.logger.error({ err: error, method }, 'control dispatch rejected');
        return { id, error: internalError(method) } satisfies ResponseFrame;
      })
      .then((response) => {
        this.pendingRequests -= 1;
        this.send(response);
      });
  }

  private rejectFrame(response: ResponseFrame): void {
    this.invalidFramesInARow += 1;
    this.logger.debug({ count: this.invalidFramesInARow }, 'control client sent an invalid frame');
    this.send(response);
    if (this.invalidFramesInARow < this.limits.maxInvalidFrames) return;
    this.logger.warn(
      { count: this.invalidFramesInARow },
      'control client keeps sending invalid frames; closing the connection',
    );
    this.socket.close(1008, 'too many invalid frames');
  }

  private send(response: ResponseFrame): void {
    let text: string;
    try {
      text = JSON.stringify(response);
    } catch (error) {
      this.logger.error({ err: error, id: response.id }, 'control response is not serializable');
      text = JSON.stringify({ id: response.id, error: internalError('the request') });
    }
    this.sendText(text);
  }
}
