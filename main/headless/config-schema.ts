import { z } from 'zod';

/**
 * The headless service's TOML configuration: cloud endpoints, a data folder, and the printers to
 * bridge. Keys are snake_case as in the file; `loadConfig` returns the parsed, defaulted value.
 */

const secondsSchema = z.number().positive();

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
  moonraker_url: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:7125'),
  api_key: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
});

export type PrinterConfig = z.infer<typeof printerConfigSchema>;

export const configSchema = z
  .object({
    data_dir: z.string().min(1).default('~/.moonraker-owl'),
    cloud: z.object({
      base_url: z.url({ protocol: /^https?$/ }),
      broker_url: z.url({ protocol: /^mqtts?$/ }),
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
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(0),
      })
      .prefault({}),
    telemetry: z
      .object({
        sensors_interval_seconds: secondsSchema.default(30),
        sensors_min_interval_seconds: secondsSchema.default(0.5),
        status_heartbeat_seconds: secondsSchema.default(60),
        status_min_interval_seconds: secondsSchema.default(2),
        sensor_allowlist: z.array(z.string()).default([]),
        sensor_denylist: z.array(z.string()).default([]),
        max_custom_sensors: z.number().int().min(0).default(0),
        max_sensor_count: z.number().int().min(1).default(6),
      })
      .prefault({}),
    resilience: z
      .object({
        session_expiry_seconds: z.number().int().min(0).default(3600),
        reconnect_perpetual_seconds: z.number().min(60).default(900),
      })
      .prefault({}),
    printers: z.array(printerConfigSchema).default([]),
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
