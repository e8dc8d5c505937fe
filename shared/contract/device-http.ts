import { z } from 'zod';

/** HTTP endpoints of the cloud that a device calls: linking and token issue. */

export const LINK_PATH = '/api/v1/devices/link';
export const TOKEN_PATH = '/api/v1/devices/token';

export const LINK_POLL_INTERVAL_MS = 5_000;
export const LINK_TIMEOUT_MS = 120_000;

export const linkRequestSchema = z.object({ linkCode: z.string().trim().min(1) });
export type LinkRequest = z.infer<typeof linkRequestSchema>;

const stringish = z.union([z.string(), z.number()]).transform(String);

export const linkResponseSchema = z.object({
  printerId: stringish,
  deviceId: stringish,
  devicePrivateKey: z.string().min(1),
  tenantId: stringish.optional().default(''),
  linkedAt: stringish.optional().default(''),
});
export type LinkResponse = z.infer<typeof linkResponseSchema>;

/** Signed over the UTF-8 bytes of `{deviceId}:{timestamp}` with the device's Ed25519 key. */
export const tokenRequestSchema = z.object({
  deviceId: z.string().min(1),
  timestamp: z.number().int(),
  signature: z.string().min(1),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export const TOKEN_MIN_LIFETIME_SECONDS = 60;
export const TOKEN_MAX_LIFETIME_SECONDS = 604_800;

export const tokenResponseSchema = z.object({
  accessToken: z.string().min(1),
  issuedAt: z.string(),
  expiresIn: z.number().int().min(TOKEN_MIN_LIFETIME_SECONDS).max(TOKEN_MAX_LIFETIME_SECONDS),
  tokenType: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export function tokenSigningInput(deviceId: string, timestampSeconds: number): string {
  return `${deviceId}:${timestampSeconds}`;
}

/** Linked device identity as stored on disk. The private key is a base64 32-byte Ed25519 seed. */
export const deviceCredentialsSchema = z.object({
  printerId: z.string().min(1),
  deviceId: z.string().min(1),
  devicePrivateKey: z.string().min(1),
  tenantId: z.string().optional(),
  linkedAt: z.string().optional(),
});
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>;

/** Builds the stored credentials from a link response, leaving out empty optional ids. */
export function credentialsFromLink(linked: LinkResponse): DeviceCredentials {
  return {
    printerId: linked.printerId,
    deviceId: linked.deviceId,
    devicePrivateKey: linked.devicePrivateKey,
    ...(linked.tenantId ? { tenantId: linked.tenantId } : {}),
    ...(linked.linkedAt ? { linkedAt: linked.linkedAt } : {}),
  };
}
