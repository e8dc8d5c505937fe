import { z } from 'zod';

/** Endpoints of the local cloud for tests and the demo, behind the operator bearer token. */
export const OPERATOR_LINK_CODES_PATH = '/api/v1/operator/link-codes';
export const OPERATOR_DEVICES_PATH = '/api/v1/operator/devices';

export const linkCodeRequestSchema = z
  .object({
    acceptAfterPolls: z.int().min(0).max(10_000).optional(),
    ttlSeconds: z
      .int()
      .min(1)
      .max(7 * 86_400)
      .optional(),
  })
  .strict();
export type LinkCodeRequest = z.infer<typeof linkCodeRequestSchema>;

export const linkCodeResponseSchema = z.object({
  code: z.string(),
  /** ISO 8601 UTC. */
  expiresAt: z.string(),
});
export type LinkCodeResponse = z.infer<typeof linkCodeResponseSchema>;

export const deviceSummarySchema = z.object({
  deviceId: z.string(),
  printerId: z.string(),
  tenantId: z.string(),
  linkedAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type DeviceSummary = z.infer<typeof deviceSummarySchema>;

export const deviceListResponseSchema = z.object({ devices: z.array(deviceSummarySchema) });
export type DeviceListResponse = z.infer<typeof deviceListResponseSchema>;
