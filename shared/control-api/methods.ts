import { z } from 'zod';

import { appSettingsSchema, settingsPatchSchema } from '../settings/app-settings.js';
import {
  discoveredPrinterSchema,
  networkInterfaceSchema,
  printerDetailSchema,
  printerIdSchema,
  printerSummarySchema,
  sweepProgressSchema,
} from './printer-views.js';

/**
 * Every method of the control API with the schema of its arguments and of its result. The
 * desktop shell's IPC and the headless WebSocket both carry exactly these, validated on both sides.
 */

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const byPrinter = z.object({ printerId: printerIdSchema }).strict();

const hostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, 'must be a host name or an IPv4 or IPv6 address');

/**
 * The HTTP base URL of a Moonraker: http or https, a host, an optional port and an optional base
 * path for a Moonraker behind a reverse proxy. A user name or password is rejected because the
 * Moonraker client refuses it, and a query or fragment because the client would drop it silently.
 */
const moonrakerUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .pipe(
    z.url({
      protocol: /^https?$/,
      error: 'must be an http:// or https:// URL such as http://192.168.1.20:7125',
    }),
  )
  // The refinements run even when the URL check failed, so they pass a value it rejected.
  .refine((url) => {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    return !parsed || (parsed.username === '' && parsed.password === '');
  }, 'must not contain a user name or password (set the API key instead)')
  .refine((url) => {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    return !parsed || (parsed.search === '' && parsed.hash === '');
  }, 'must not contain a query (?…) or a fragment (#…)');

export const controlMethods = {
  'printers.list': { params: empty, result: z.array(printerSummarySchema) },
  'printers.get': { params: byPrinter, result: printerDetailSchema },
  'printers.add': {
    params: z
      .object({
        name: z.string().trim().min(1).max(64).optional(),
        host: hostSchema,
        port: z.number().int().min(1).max(65_535).optional(),
        apiKey: z.string().min(1).max(256).optional(),
        /** Add even when the probe fails, for a printer that is switched off right now. */
        force: z.boolean().optional(),
      })
      .strict(),
    result: printerSummarySchema,
  },
  'printers.remove': { params: byPrinter, result: ok },
  'printers.rename': {
    params: z
      .object({ printerId: printerIdSchema, name: z.string().trim().min(1).max(64) })
      .strict(),
    result: printerSummarySchema,
  },
  'printers.setEnabled': {
    params: z.object({ printerId: printerIdSchema, enabled: z.boolean() }).strict(),
    result: printerSummarySchema,
  },
  'printers.setApiKey': {
    params: z
      .object({ printerId: printerIdSchema, apiKey: z.string().min(1).max(256).nullable() })
      .strict(),
    result: printerSummarySchema,
  },
  'printers.setMoonrakerUrl': {
    params: z.object({ printerId: printerIdSchema, moonrakerUrl: moonrakerUrlSchema }).strict(),
    result: printerSummarySchema,
  },
  'printers.setTelemetryRate': {
    params: z
      .object({
        printerId: printerIdSchema,
        mode: z.enum(['idle', 'watch']),
        intervalSeconds: z.number().min(0.5).max(60).optional(),
        durationSeconds: z
          .number()
          .int()
          .min(1)
          .max(4 * 3600)
          .optional(),
      })
      .strict(),
    result: printerSummarySchema,
  },
  'discovery.list': { params: empty, result: z.array(discoveredPrinterSchema) },
  'discovery.refresh': { params: empty, result: ok },
  'discovery.interfaces': { params: empty, result: z.array(networkInterfaceSchema) },
  'discovery.probe': {
    params: z
      .object({ host: hostSchema, port: z.number().int().min(1).max(65_535).optional() })
      .strict(),
    result: discoveredPrinterSchema,
  },
  'discovery.startSweep': {
    params: z
      .object({
        /** IPv4 CIDR such as 192.168.1.0/24; the chosen interface's own network when absent. */
        cidr: z.string().optional(),
        port: z.number().int().min(1).max(65_535).optional(),
      })
      .strict(),
    result: sweepProgressSchema,
  },
  'discovery.cancelSweep': { params: z.object({ sweepId: z.string() }).strict(), result: ok },
  'link.withCode': {
    params: z
      .object({ printerId: printerIdSchema, code: z.string().trim().min(1).max(64) })
      .strict(),
    result: printerSummarySchema,
  },
  'link.start': {
    params: z.object({ printerIds: z.array(printerIdSchema).min(1).max(50) }).strict(),
    result: z.object({ url: z.string(), state: z.string(), expiresAt: z.number() }),
  },
  'link.complete': {
    params: z.object({ callbackUrl: z.string().max(4096) }).strict(),
    result: z.array(printerSummarySchema),
  },
  'link.unlink': { params: byPrinter, result: printerSummarySchema },
  'settings.get': { params: empty, result: appSettingsSchema },
  'settings.update': { params: settingsPatchSchema, result: appSettingsSchema },
  'diagnostics.export': {
    params: z.object({ path: z.string().min(1).optional() }).strict(),
    result: z.object({ path: z.string(), bytes: z.number().int() }),
  },
  'logs.recent': {
    params: z.object({ limit: z.number().int().min(1).max(2000).optional() }).strict(),
    result: z.array(
      z.object({
        at: z.number(),
        level: z.string(),
        message: z.string(),
        printer: z.string().optional(),
      }),
    ),
  },
} as const;

export type ControlMethodName = keyof typeof controlMethods;
export type ControlParams<M extends ControlMethodName> = z.input<
  (typeof controlMethods)[M]['params']
>;
export type ControlResult<M extends ControlMethodName> = z.infer<
  (typeof controlMethods)[M]['result']
>;

export function isControlMethod(name: string): name is ControlMethodName {
  return Object.hasOwn(controlMethods, name);
}

/** The service side: one async function per method, receiving validated arguments. */
export type ControlApi = {
  [M in ControlMethodName]: (
    params: z.infer<(typeof controlMethods)[M]['params']>,
  ) => Promise<ControlResult<M>>;
};
