import { z } from 'zod';

import {
  MAX_PRINTERS,
  MAX_URL_LENGTH,
  RECONNECT_PERPETUAL_SECONDS,
  SENSORS_INTERVAL_SECONDS,
  SENSORS_MIN_INTERVAL_SECONDS,
  SESSION_EXPIRY_SECONDS,
  STATUS_HEARTBEAT_SECONDS,
  STATUS_MIN_INTERVAL_SECONDS,
  secondsSchema,
  sensorListSchema,
} from '../../shared/settings/setting-limits.js';

/**
 * The headless service's TOML configuration: cloud endpoints, a data folder, and the printers to
 * bridge. Keys are snake_case as in the file; `loadConfig` returns the parsed, defaulted value.
 */

function urlSchema(protocol: RegExp) {
  return z
    .string()
    .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
    .pipe(z.url({ protocol }));
}

/** Maximum number of sensors that `max_sensor_count` and `max_custom_sensors` may allow. */
const MAX_SENSOR_COUNT = 100;

export const printerConfigSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/,
      'must start with a letter or digit and contain only letters, digits, spaces, "_", "." or "-"',
    ),
  moonraker_url: urlSchema(/^https?$/).default('http://127.0.0.1:7125'),
  api_key: z.string().min(1).max(256).optional(),
  enabled: z.boolean().default(true),
});

export type PrinterConfig = z.infer<typeof printerConfigSchema>;

export const configSchema = z
  .object({
    data_dir: z.string().min(1).max(4096).default('~/.moonraker-owl'),
    cloud: z.object({
      base_url: urlSchema(/^https?$/),
      broker_url: urlSchema(/^mqtts?$/),
      broker_use_tls: z.boolean().optional(),
    }),
    logging: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
      })
      .prefault({}),
    health: z
      .object({
        enabled: z.boolean().default(false),
        host: z.string().min(1).max(253).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(0),
      })
      .prefault({}),
    telemetry: z
      .object({
        sensors_interval_seconds: secondsSchema(SENSORS_INTERVAL_SECONDS).default(30),
        sensors_min_interval_seconds: secondsSchema(SENSORS_MIN_INTERVAL_SECONDS).default(0.5),
        status_heartbeat_seconds: secondsSchema(STATUS_HEARTBEAT_SECONDS).default(60),
        status_min_interval_seconds: secondsSchema(STATUS_MIN_INTERVAL_SECONDS).default(2),
        sensor_allowlist: sensorListSchema().default([]),
        sensor_denylist: sensorListSchema().default([]),
        max_custom_sensors: z.number().int().min(0).max(MAX_SENSOR_COUNT).default(0),
        max_sensor_count: z.number().int().min(1).max(MAX_SENSOR_COUNT).default(6),
      })
      .prefault({}),
    resilience: z
      .object({
        session_expiry_seconds: secondsSchema(SESSION_EXPIRY_SECONDS)
          .int('must be a whole number of seconds')
          .default(3600),
        reconnect_perpetual_seconds: secondsSchema(RECONNECT_PERPETUAL_SECONDS).default(900),
      })
      .prefault({}),
    printers: z
      .array(printerConfigSchema)
      .max(MAX_PRINTERS, `must have at most ${MAX_PRINTERS} printers`)
      .default([]),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.printers.forEach((printer, index) => {
      const key = printer.name.toLowerCase();
      if (seen.has(key)) {
        context.addIssue({
          code: 'custom',
          path: ['printers', index, 'name'],
          message: `must be unique, but "${printer.name}" is the name of another printer too`,
        });
      }
      seen.add(key);
    });
  });

export type OwlConfig = z.infer<typeof configSchema>;
