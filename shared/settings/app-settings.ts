import { z } from 'zod';

import { printerIdSchema } from '../control-api/printer-views.js';

/**
 * The settings the app keeps between runs, for the desktop app and the headless service alike.
 * Secrets (device private keys, Moonraker API keys) are not here: they live in the secret store,
 * keyed by printer id.
 */

export const SETTINGS_VERSION = 1;

export const printerSettingsSchema = z.object({
  id: printerIdSchema,
  name: z.string().trim().min(1).max(64),
  moonrakerUrl: z.url({ protocol: /^https?$/ }),
  enabled: z.boolean().default(true),
  /** Cloud identity once linked; the private key is in the secret store. */
  deviceId: z.string().optional(),
  printerId: z.string().optional(),
  tenantId: z.string().optional(),
  linkedAt: z.string().optional(),
  /** Key of the discovered Moonraker instance this printer came from, for de-duplication. */
  instanceKey: z.string().optional(),
});
export type PrinterSettings = z.infer<typeof printerSettingsSchema>;

export const notificationSettingsSchema = z.object({
  printCompleted: z.boolean().default(true),
  printFailed: z.boolean().default(true),
  printPaused: z.boolean().default(true),
  printerOffline: z.boolean().default(true),
  needsAttention: z.boolean().default(true),
});

export const appSettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  cloud: z
    .object({
      baseUrl: z.url({ protocol: /^https?$/ }).default('https://owl.example.com'),
      brokerUrl: z.url({ protocol: /^mqtts?$/ }).default('mqtts://mqtt.owl.example.com:8883'),
      /** Owl Web, where click-to-link opens the add-printer page. */
      webUrl: z.url({ protocol: /^https?$/ }).default('https://owl.example.com'),
    })
    .prefault({}),
  printers: z.array(printerSettingsSchema).default([]),
  telemetry: z
    .object({
      sensorsIntervalSeconds: z.number().positive().default(30),
      sensorAllowlist: z.array(z.string()).default([]),
      sensorDenylist: z.array(z.string()).default([]),
    })
    .prefault({}),
  discovery: z
    .object({
      mdns: z.boolean().default(true),
      /** Network interface address to browse and sweep on; every interface when absent. */
      interfaceAddress: z.string().optional(),
    })
    .prefault({}),
  notifications: notificationSettingsSchema.prefault({}),
  startAtLogin: z.boolean().default(false),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  language: z.enum(['en', 'zh-CN']).optional(),
  update: z
    .object({
      feedUrl: z.url().optional(),
      checkAutomatically: z.boolean().default(true),
    })
    .prefault({}),
});
export type AppSettings = z.infer<typeof appSettingsSchema>;

/**
 * Settings a client may change through the control API, section by section; printers change
 * through their own methods. Every field is optional and replaces the stored one.
 */
export const settingsPatchSchema = z
  .object({
    cloud: z
      .object({
        baseUrl: z.url({ protocol: /^https?$/ }),
        brokerUrl: z.url({ protocol: /^mqtts?$/ }),
        webUrl: z.url({ protocol: /^https?$/ }),
      })
      .partial(),
    telemetry: z
      .object({
        sensorsIntervalSeconds: z.number().positive(),
        sensorAllowlist: z.array(z.string()),
        sensorDenylist: z.array(z.string()),
      })
      .partial(),
    discovery: z.object({ mdns: z.boolean(), interfaceAddress: z.string().nullable() }).partial(),
    notifications: notificationSettingsSchema.partial(),
    startAtLogin: z.boolean(),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
    language: z.enum(['en', 'zh-CN']),
    update: z.object({ feedUrl: z.url(), checkAutomatically: z.boolean() }).partial(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
