import { z } from 'zod';

import { appSettingsSchema, settingsPatchSchema } from '../settings/app-settings.js';
import { CONTROL_ERROR_CODES } from './errors.js';
import { linkProgressSchema } from './events.js';
import { printerNameSchema } from '../settings/printer-names.js';
import {
  discoveredPrinterSchema,
  networkInterfaceSchema,
  printerDetailSchema,
  printerIdSchema,
  printerSummarySchema,
  sweepProgressSchema,
  temperatureHistorySchema,
} from './printer-views.js';

/**
 * Every method of the control API with the schema of its arguments and of its result. The
 * desktop shell's IPC and the headless WebSocket both carry exactly these, validated on both sides.
 */

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const byPrinter = z.object({ printerId: printerIdSchema }).strict();

/**
 * A host as typed or pasted: a name or an address, optionally with a port, or an http(s) URL of
 * one. The service splits off the port and rejects other forms with a message. 300 characters fit
 * a 253-character host name with a scheme, a port and a trailing slash.
 */
const hostSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .regex(
    /^[A-Za-z0-9.:/[\]_-]+$/,
    'must be a host name, an IPv4 or IPv6 address, or an http:// URL',
  );

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

/** Maximum length of one renderer log message, in characters. The renderer cuts longer ones. */
export const RENDERER_LOG_MAX_CHARS = 4000;

/**
 * A line that the UI writes to the service's log: its own errors and warnings. The service
 * rate-limits these lines, so a page in an error loop cannot flood the log.
 */
export const rendererLogLineSchema = z
  .object({
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string().min(1).max(RENDERER_LOG_MAX_CHARS),
  })
  .strict();
export type RendererLogLine = z.infer<typeof rendererLogLineSchema>;

export const controlMethods = {
  'printers.list': { params: empty, result: z.array(printerSummarySchema) },
  'printers.get': { params: byPrinter, result: printerDetailSchema },
  'printers.temperatureHistory': { params: byPrinter, result: temperatureHistorySchema },
  'printers.add': {
    params: z
      .object({
        name: printerNameSchema.optional(),
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
    params: z.object({ printerId: printerIdSchema, name: printerNameSchema }).strict(),
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
  /**
   * Starts click-to-link for the printers that can link now. A printer that is already linked or
   * exchanging a code is left out and listed in `skipped`; the call fails only when every printer
   * is left out.
   */
  'link.start': {
    params: z.object({ printerIds: z.array(printerIdSchema).min(1).max(50) }).strict(),
    result: z.object({
      url: z.string(),
      state: z.string(),
      expiresAt: z.number(),
      skipped: z.array(
        z.object({
          printerId: printerIdSchema,
          code: z.enum(CONTROL_ERROR_CODES),
          message: z.string(),
        }),
      ),
    }),
  },
  'link.complete': {
    params: z.object({ callbackUrl: z.string().max(4096) }).strict(),
    result: z.array(printerSummarySchema),
  },
  /** Stops a link in flight or waiting for the browser; does nothing when none runs. */
  'link.cancel': { params: byPrinter, result: printerSummarySchema },
  'link.unlink': { params: byPrinter, result: printerSummarySchema },
  /** The latest `link.progress` of each printer that is linking or has an outcome to show. */
  'link.activity': { params: empty, result: z.array(linkProgressSchema) },
  /** Forgets the printer's last link outcome, once the user has read it. */
  'link.dismissOutcome': { params: byPrinter, result: ok },
  'settings.get': { params: empty, result: appSettingsSchema },
  'settings.update': { params: settingsPatchSchema, result: appSettingsSchema },
  /** Removes the `loadProblem` notice of the settings and returns the settings without it. */
  'settings.dismissProblem': { params: empty, result: appSettingsSchema },
  'diagnostics.export': {
    params: z.object({ path: z.string().min(1).optional() }).strict(),
    result: z.object({ path: z.string(), bytes: z.number().int() }),
  },
  'log.write': { params: rendererLogLineSchema, result: z.object({ logged: z.boolean() }) },
  'logs.recent': {
    params: z.object({ limit: z.number().int().min(1).max(2000).optional() }).strict(),
    result: z.array(
      z.object({
        at: z.number(),
        level: z.string(),
        message: z.string(),
        printer: z.string().optional(),
        /** The local id of the printer that the line is about. */
        printerId: z.string().optional(),
      }),
    ),
  },
  /** Facts about the running service that the settings show read-only. */
  'service.info': {
    params: empty,
    result: z.object({ dataDir: z.string(), version: z.string() }),
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
