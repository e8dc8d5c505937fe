import { ControlError } from './control-error.js';
import type { ControlErrorData } from './errors.js';
import { describeIssues, summarizeIssues } from './issue-message.js';
import {
  controlMethods,
  isControlMethod,
  type ControlMethodName,
  type ControlResult,
} from './methods.js';

/**
 * Returns the `unknown_method` error for a name the control API does not define, or the
 * `invalid_arguments` error for params that do not match the method, else null.
 */
export function checkParams(method: string, params: unknown): ControlError | null {
  if (!isControlMethod(method)) {
    const { code, message, details } = unknownMethodError(method);
    return new ControlError(code, message, { details });
  }
  const checked = controlMethods[method].params.safeParse(params);
  if (checked.success) return null;
  const { code, message, details } = invalidArgumentsError(method, checked.error.issues);
  return new ControlError(code, message, { details });
}

/** Describes a call of a method that the control API does not define, as the service sends it. */
export function unknownMethodError(method: string): ControlErrorData & { details: object } {
  return {
    code: 'unknown_method',
    message:
      `Unknown control method ${JSON.stringify(method)}. ` +
      'Check the method name; the app and the service may be of different versions.',
    details: { method },
  };
}

/** Describes params that do not match the method's schema, one plain sentence per problem. */
export function invalidArgumentsError(
  method: string,
  issues: Parameters<typeof describeIssues>[0],
): ControlErrorData & { details: object } {
  return {
    code: 'invalid_arguments',
    message: `Invalid arguments for ${method}: ${describeIssues(issues)}`,
    details: { issues: summarizeIssues(issues) },
  };
}

/** Parses a result with the method's result schema, or throws `invalid_response`. */
export function parseResult<M extends ControlMethodName>(
  method: M,
  value: unknown,
): ControlResult<M> {
  const checked = controlMethods[method].result.safeParse(value);
  if (checked.success) return checked.data as ControlResult<M>;
  const problems = describeIssues(checked.error.issues, 'result');
  const message = `The control API returned an invalid result for ${method}: ${problems}`;
  const issues = summarizeIssues(checked.error.issues, 'result');
  throw new ControlError('invalid_response', message, { details: { issues } });
}
