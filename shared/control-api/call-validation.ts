import { ControlError } from './control-error.js';
import { describeIssues, summarizeIssues } from './issue-message.js';
import { controlMethods, type ControlMethodName, type ControlResult } from './methods.js';

/** Returns the `invalid_arguments` error for params that do not match the method, else null. */
export function checkParams(method: ControlMethodName, params: unknown): ControlError | null {
  const checked = controlMethods[method].params.safeParse(params);
  if (checked.success) return null;
  const message = `Invalid arguments for ${method}: ${describeIssues(checked.error.issues)}`;
  const issues = summarizeIssues(checked.error.issues);
  return new ControlError('invalid_arguments', message, { details: { issues } });
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
