import { z } from 'zod';

import { printerIdSchema } from '../control-api/printer-views.js';
import { printerNameSchema } from './printer-names.js';
import { closestKey } from './unknown-keys.js';
import {
  MAX_PRINTERS,
  MAX_TEXT_SETTING_LENGTH,
  MAX_URL_LENGTH,
  SENSORS_INTERVAL_SECONDS,
  secondsSchema,
  sensorListSchema,
} from './setting-limits.js';

/**
 * The settings the app keeps between runs, for the desktop app and the headless service alike.
 * Secrets (device private keys, Moonraker API keys) are not here: they live in the secret store,
 * keyed by printer id.
 */

export const SETTINGS_VERSION = 1;

/**
 * Builds the schema of a URL of at most MAX_URL_LENGTH characters whose scheme matches
 * `protocol`, with `error` as the message for another scheme or no URL, or has any scheme
 * without them.
 */
function urlSchema(protocol?: RegExp, error?: string) {
  return z
    .string()
    .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
    .pipe(protocol ? z.url({ protocol, ...(error ? { error } : {}) }) : z.url());
}

const textSchema = z
  .string()
  .max(MAX_TEXT_SETTING_LENGTH, `must be at most ${MAX_TEXT_SETTING_LENGTH} characters`);

const httpUrl = () => urlSchema(/^https?$/, 'must be an http:// or https:// address');
const mqttUrl = () => urlSchema(/^mqtts?$/, 'must be an mqtt:// or mqtts:// address');

/** Folder URL of the update feed. Only http and https, so a `javascript:` or `file:` URL is rejected. */
const feedUrlSchema = z
  .string()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }));

/** An IPv4 or IPv6 address, such as `192.168.1.5` or `fe80::1`. */
const ipAddressSchema = z.union([z.ipv4(), z.ipv6()], {
  error: 'must be an IPv4 or IPv6 address, such as 192.168.1.5',
});

/**
 * Builds an object schema that rejects keys it does not define. A single unknown key close to a
 * known one gets a hint, as in `is not a known field; did you mean sensorsIntervalSeconds?`.
 */
function strictSection<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys' || issue.keys.length !== 1) return undefined;
      const suggestion = closestKey(issue.keys[0] ?? '', known);
      if (suggestion === undefined) return undefined;
      return `is not a known field; did you mean ${suggestion}?`;
    },
  });
}

/** Sensors interval outside a watch window, in seconds. */
const sensorsIntervalSchema = secondsSchema(SENSORS_INTERVAL_SECONDS);

export const printerSettingsSchema = z.object({
  id: printerIdSchema,
  name: printerNameSchema,
  moonrakerUrl: httpUrl(),
  enabled: z.boolean().default(true),
  /** Cloud identity once linked; the private key is in the secret store. */
  deviceId: textSchema.optional(),
  printerId: textSchema.optional(),
  tenantId: textSchema.optional(),
  linkedAt: textSchema.optional(),
  /** Key of the discovered Moonraker instance this printer came from, for de-duplication. */
  instanceKey: textSchema.optional(),
});
export type PrinterSettings = z.infer<typeof printerSettingsSchema>;

export const notificationSettingsSchema = z.object({
  printCompleted: z.boolean().default(true),
  printFailed: z.boolean().default(true),
  printPaused: z.boolean().default(true),
  printerOffline: z.boolean().default(true),
  needsAttention: z.boolean().default(true),
});

/**
 * A problem found while the settings were loaded, kept in the settings until the user dismisses
 * it, so that a restart does not hide it. `outcome` is what the service did about it.
 */
export const settingsProblemSchema = z.object({
  code: z.enum(['settings_corrupt', 'settings_newer_version', 'settings_unreadable']),
  /**
   * `reset`: the file could not be used, so every setting went back to its default.
   * `repaired`: invalid parts were dropped, reset or replaced, and the rest was kept.
   * `read_only`: nothing was written, and changes are rejected until the file is fixed.
   */
  outcome: z.enum(['reset', 'repaired', 'read_only']),
  /** The service's English description: what was wrong, what it did and what to do. */
  message: z.string().max(8192),
  /** Location of the settings, such as the path of `settings.json`. */
  location: z.string().max(4096),
  /** Location of the copy of the original file, when one was made. */
  backup: z.string().max(4096).optional(),
  /** When the problem was found, as an ISO-8601 time. */
  detectedAt: textSchema,
});
export type SettingsProblem = z.infer<typeof settingsProblemSchema>;

export const appSettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  cloud: z
    .object({
      baseUrl: httpUrl().default('https://owl.example.com'),
      brokerUrl: mqttUrl().default('mqtts://mqtt.owl.example.com:8883'),
      /** Owl Web, where click-to-link opens the add-printer page. */
      webUrl: httpUrl().default('https://owl.example.com'),
    })
    .prefault({}),
  printers: z
    .array(printerSettingsSchema)
    .max(MAX_PRINTERS, `must have at most ${MAX_PRINTERS} printers`)
    .default([]),
  telemetry: z
    .object({
      sensorsIntervalSeconds: sensorsIntervalSchema.default(30),
      sensorAllowlist: sensorListSchema().default([]),
      sensorDenylist: sensorListSchema().default([]),
    })
    .prefault({}),
  discovery: z
    .object({
      mdns: z.boolean().default(true),
      /** Network interface address to browse and sweep on; every interface when absent. */
      interfaceAddress: ipAddressSchema.optional(),
    })
    .prefault({}),
  notifications: notificationSettingsSchema.prefault({}),
  startAtLogin: z.boolean().default(false),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  language: z.enum(['en', 'zh-CN']).optional(),
  update: z
    .object({
      feedUrl: feedUrlSchema.optional(),
      checkAutomatically: z.boolean().default(true),
    })
    .prefault({}),
  loadProblem: settingsProblemSchema.optional(),
});
export type AppSettings = z.infer<typeof appSettingsSchema>;

/**
 * Settings a client may change through the control API, section by section; printers change
 * through their own methods. Every field is optional and replaces the stored one.
 */
export const settingsPatchSchema = z
  .object({
    cloud: strictSection({ baseUrl: httpUrl(), brokerUrl: mqttUrl(), webUrl: httpUrl() }).partial(),
    telemetry: strictSection({
      sensorsIntervalSeconds: sensorsIntervalSchema,
      sensorAllowlist: sensorListSchema(),
      sensorDenylist: sensorListSchema(),
    }).partial(),
    discovery: strictSection({
      mdns: z.boolean(),
      interfaceAddress: ipAddressSchema.nullable(),
    }).partial(),
    notifications: strictSection(notificationSettingsSchema.partial().shape),
    startAtLogin: z.boolean(),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
    language: z.enum(['en', 'zh-CN']),
    update: strictSection({ feedUrl: feedUrlSchema, checkAutomatically: z.boolean() }).partial(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
