import { z } from 'zod';

/** Body of the `sensors` channel in the current format. */

export const SENSOR_TYPES = [
  'heater',
  'sensor',
  'temperatureFan',
  'fan',
  'controllerFan',
  'led',
  'filamentSensor',
  'outputPin',
] as const;

export const SENSOR_UNITS = ['celsius', 'percent', 'brightness', 'boolean'] as const;

export const sensorEntrySchema = z.object({
  channel: z.string(),
  type: z.enum(SENSOR_TYPES),
  unit: z.enum(SENSOR_UNITS),
  value: z.number().nullable(),
  sourceObject: z.string(),
  target: z.number().optional(),
  isHeating: z.boolean().optional(),
  pwm: z.boolean().optional(),
  status: z.string(),
  lastUpdated: z.string(),
});

export type SensorEntry = z.infer<typeof sensorEntrySchema>;

export const SENSOR_MODES = ['idle', 'watch'] as const;
export const sensorModeSchema = z.enum(SENSOR_MODES);
export type SensorMode = z.infer<typeof sensorModeSchema>;

export const sensorsPayloadSchema = z.object({
  cadence: z.object({
    mode: sensorModeSchema,
    intervalSeconds: z.number().positive(),
    watchWindowExpires: z.string().optional(),
  }),
  sensors: z.array(sensorEntrySchema),
});

export type SensorsPayload = z.infer<typeof sensorsPayloadSchema>;
