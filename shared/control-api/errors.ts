import { z } from 'zod';

/**
 * Errors of the control API cross the transport as plain data with a stable code, so the UI can
 * branch on the code and show the message, which says what failed and what to do.
 */
export const CONTROL_ERROR_CODES = [
  'invalid_frame',
  'invalid_arguments',
  'unknown_method',
  'unauthorized',
  'not_found',
  'already_exists',
  'unreachable',
  'not_moonraker',
  'moonraker_unauthorized',
  'link_failed',
  'link_expired',
  'link_state_invalid',
  'code_used',
  'already_linked',
  'not_linked',
  'cloud_unreachable',
  'settings_corrupt',
  'settings_read_only',
  'settings_invalid',
  'settings_write_failed',
  'settings_closed',
  'diagnostics_write_failed',
  'fleet_stopped',
  'busy',
  'internal',
] as const;

export type ControlErrorCode = (typeof CONTROL_ERROR_CODES)[number];

export const controlErrorSchema = z.object({
  code: z.enum(CONTROL_ERROR_CODES),
  message: z.string(),
  /** Extra facts for the UI, such as the `trusted_clients` line to add. */
  details: z.record(z.string(), z.unknown()).optional(),
});

export type ControlErrorData = z.infer<typeof controlErrorSchema>;

export function isControlErrorCode(code: string): code is ControlErrorCode {
  return (CONTROL_ERROR_CODES as readonly string[]).includes(code);
}
