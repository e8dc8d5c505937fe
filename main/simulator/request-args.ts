import { ApiError, missingArgument } from './api-error.js';

/**
 * Reads request arguments the way Moonraker's handlers do. Values that came from an HTTP query
 * string are strings, so numbers are converted here.
 */
export type RequestArgs = Readonly<Record<string, unknown>>;

export function requireString(args: RequestArgs, name: string): string {
  const value = args[name];
  if (value === undefined || value === null || value === '') throw missingArgument(name);
  if (typeof value !== 'string') throw invalidArgument(name, value);
  return value;
}

export function optionalString(args: RequestArgs, name: string, fallback: string): string {
  const value = args[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw invalidArgument(name, value);
  return value;
}

export function optionalInteger(args: RequestArgs, name: string, fallback: number): number {
  const value = optionalNumber(args, name);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value)) throw invalidArgument(name, value);
  return value;
}

export function optionalNumber(args: RequestArgs, name: string): number | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw invalidArgument(name, value);
  return number;
}

export function invalidArgument(name: string, value: unknown): ApiError {
  return new ApiError(
    'bad_request',
    `Invalid value for argument ${name}: ${JSON.stringify(value)}`,
  );
}
