import {
  invalidArgumentsError,
  unknownMethodError,
} from '../../../shared/control-api/call-validation.js';
import { describeIssues } from '../../../shared/control-api/issue-message.js';
import {
  controlMethods,
  isControlMethod,
  type ControlApi,
  type ControlMethodName,
} from '../../../shared/control-api/methods.js';
import type { RequestFrame, ResponseFrame } from '../../../shared/control-api/protocol.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { internalError, toControlErrorData } from './error-response.js';

export interface ControlDispatcherOptions {
  api: ControlApi;
  logger: Logger;
  clock: Clock;
  /** Check every result against the method's result schema before it is sent. */
  validateResults: boolean;
}

/**
 * Runs one request frame against the `ControlApi`: the method must exist, the params must match
 * its schema, and the result must match its result schema when `validateResults` is set. Every
 * outcome, including a thrown error, becomes a response frame, so `dispatch` never rejects.
 */
export class ControlDispatcher {
  constructor(private readonly options: ControlDispatcherOptions) {}

  async dispatch(request: RequestFrame): Promise<ResponseFrame> {
    const { id, method } = request;
    if (!isControlMethod(method)) {
      this.options.logger.info({ id, method }, 'Rejected a call of an unknown control method');
      return { id, error: unknownMethodError(method) };
    }
    const checked = controlMethods[method].params.safeParse(request.params ?? {});
    if (!checked.success) {
      return { id, error: invalidArgumentsError(method, checked.error.issues) };
    }

    const startedAt = this.options.clock.monotonic();
    let result: unknown;
    try {
      result = await this.invoke(method, checked.data);
    } catch (error) {
      return { id, error: toControlErrorData(error, method, this.options.logger) };
    } finally {
      const elapsedMs = Math.round(this.options.clock.monotonic() - startedAt);
      this.options.logger.debug({ id, method, elapsedMs }, 'control call finished');
    }
    return this.resultFrame(id, method, result);
  }

  private invoke(method: ControlMethodName, params: unknown): Promise<unknown> {
    // The params were parsed with this method's schema, so they have the type it expects.
    const handler = this.options.api[method] as (params: unknown) => Promise<unknown>;
    return handler.call(this.options.api, params);
  }

  private resultFrame(id: number, method: ControlMethodName, result: unknown): ResponseFrame {
    if (!this.options.validateResults) return { id, result };
    const checked = controlMethods[method].result.safeParse(result);
    if (checked.success) return { id, result: checked.data };
    const problems = describeIssues(checked.error.issues, 'result');
    this.options.logger.error({ method, problems }, 'control method returned an invalid result');
    return { id, error: internalError(method) };
  }
}
