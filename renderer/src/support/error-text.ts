import { ControlError } from '../../../shared/control-api/control-error.js';

/** A failed call as the UI shows it: the stable code to branch on, and the message. */
export interface ErrorView {
  code: string;
  message: string;
  details: Readonly<Record<string, unknown>>;
}

export function toErrorView(error: unknown): ErrorView {
  if (error instanceof ControlError) {
    return { code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, details: {} };
}

/** Returns a string detail such as `trusted_clients`, when the service sent one. */
export function stringDetail(view: ErrorView, key: string): string | undefined {
  const value = view.details[key];
  return typeof value === 'string' ? value : undefined;
}
