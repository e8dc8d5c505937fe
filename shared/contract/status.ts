import { z } from 'zod';

/** Body of the `status` channel in the current format. */

export const PRINTER_PHASES = [
  'Printing',
  'Paused',
  'Idle',
  'Cancelled',
  'Completed',
  'Error',
  'Offline',
  'Cancelling',
] as const;

export const printerPhaseSchema = z.enum(PRINTER_PHASES);
export type PrinterPhase = z.infer<typeof printerPhaseSchema>;

export const lifecycleSchema = z.object({
  phase: printerPhaseSchema,
  isHeating: z.boolean(),
  hasActiveJob: z.boolean(),
  isShutdown: z.boolean(),
  reason: z.string().optional(),
});

export const statusCadenceSchema = z.object({
  heartbeatSeconds: z.number(),
  watchWindowActive: z.boolean(),
});

export const jobSchema = z.object({
  sessionId: z.string(),
  moonrakerJobId: z.string().optional(),
  name: z.string().optional(),
  progressPercent: z.number().int().min(0).max(100).optional(),
  layers: z
    .object({ current: z.number().int().optional(), total: z.number().int().optional() })
    .optional(),
  progress: z.object({
    elapsedSeconds: z.number().int().nonnegative(),
    estimatedTimeRemainingSeconds: z.number().int().nonnegative().optional(),
  }),
  message: z.string().optional(),
});

export const statusPayloadSchema = z.object({
  lifecycle: lifecycleSchema,
  toolhead: z
    .object({
      activeExtruder: z.string().optional(),
      activeToolIndex: z.number().int().optional(),
      dualCarriageMode: z.string().optional(),
    })
    .optional(),
  job: jobSchema.optional(),
  printParameters: z
    .object({
      speedPercent: z.number().optional(),
      flowPercent: z.number().optional(),
      zOffsetMm: z.number().optional(),
    })
    .optional(),
  cadence: statusCadenceSchema,
  lastUpdated: z.string(),
});

export type StatusPayload = z.infer<typeof statusPayloadSchema>;

/** Keys ignored when deciding whether the status "contract" changed (time that merely passes). */
export const STATUS_VOLATILE_KEYS = [
  'elapsedSeconds',
  'estimatedTimeRemainingSeconds',
  'lastUpdated',
] as const;

export const OFFLINE_REASON_WILL = 'Connection lost (LWT)';
export const OFFLINE_REASON_SHUTDOWN = 'Graceful shutdown';
