import { z } from 'zod';

import { printerPhaseSchema } from '../contract/status.js';

/** What the control API shows of printers: summaries for the fleet view, details for one printer. */

export const printerIdSchema = z.string().min(1).max(64);

/** One link of the health chain, from the network to the cloud. */
export const HEALTH_LINKS = ['lan', 'moonraker', 'klippy', 'cloud'] as const;
export const healthLinkNameSchema = z.enum(HEALTH_LINKS);
export type HealthLinkName = z.infer<typeof healthLinkNameSchema>;

export const HEALTH_LEVELS = ['ok', 'pending', 'warning', 'error', 'offline', 'unknown'] as const;
export const healthLevelSchema = z.enum(HEALTH_LEVELS);
export type HealthLevel = z.infer<typeof healthLevelSchema>;

export const healthLinkSchema = z.object({
  link: healthLinkNameSchema,
  level: healthLevelSchema,
  /** Epoch milliseconds since this link has had its level. */
  since: z.number(),
  /** One sentence for a person: what is wrong (or "Connected"). */
  summary: z.string(),
  /** What to do about it, when there is something to do. */
  fix: z.string().optional(),
  /** Machine-readable extras, such as the `trusted_clients` line. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HealthLink = z.infer<typeof healthLinkSchema>;

export const linkStateSchema = z.enum(['unlinked', 'linking', 'linked']);
export type LinkState = z.infer<typeof linkStateSchema>;

export const temperatureSchema = z.object({
  name: z.string(),
  value: z.number().nullable(),
  target: z.number().optional(),
});

/** Outcome of the latest probe of a printer without a running bridge. */
export const PROBE_OUTCOMES = [
  'ready',
  'klippy_not_ready',
  'unreachable',
  'unauthorized',
  'not_moonraker',
] as const;
export const probeOutcomeSchema = z.enum(PROBE_OUTCOMES);
export type ProbeOutcome = z.infer<typeof probeOutcomeSchema>;

/**
 * The latest probe of a printer that has no running bridge (unlinked or disabled), repeated about
 * every 45 s and at once after the printer was added or changed.
 */
export const printerProbeSchema = z.object({
  /** Epoch milliseconds when the probe finished. */
  at: z.number(),
  outcome: probeOutcomeSchema,
  /** One sentence for a person, such as "Moonraker v0.9.3 responds and Klippy is ready". */
  summary: z.string(),
  /** The step that fixes the problem, when there is one. */
  fix: z.string().optional(),
  moonrakerVersion: z.string().optional(),
  klipperVersion: z.string().optional(),
  /** Klippy's state as Moonraker reports it: ready, startup, shutdown, error or disconnected. */
  klippyState: z.string().optional(),
  /** Machine-readable extras, such as `trustedClient` and `configSnippet` after a 401. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type PrinterProbe = z.infer<typeof printerProbeSchema>;

/**
 * A one-word state for a printer without a running bridge, for the place where a bridged printer
 * shows its phase. `checking` is shown until the first probe finished.
 */
export const STANDBY_STATES = [
  'checking',
  'ready_to_link',
  'ready',
  'klippy_not_ready',
  'needs_api_key',
  'unreachable',
  'not_moonraker',
] as const;
export const standbyStateSchema = z.enum(STANDBY_STATES);
export type StandbyState = z.infer<typeof standbyStateSchema>;

export const printerSummarySchema = z.object({
  id: printerIdSchema,
  name: z.string(),
  moonrakerUrl: z.string(),
  enabled: z.boolean(),
  /** Whether a Moonraker API key is stored for the printer; the key itself is never sent. */
  apiKeySet: z.boolean(),
  link: linkStateSchema,
  deviceId: z.string().optional(),
  phase: printerPhaseSchema.optional(),
  reason: z.string().optional(),
  job: z
    .object({
      name: z.string().optional(),
      progressPercent: z.number().optional(),
      remainingSeconds: z.number().optional(),
      layers: z.object({ current: z.number().optional(), total: z.number().optional() }).optional(),
    })
    .optional(),
  temperatures: z.array(temperatureSchema),
  health: z.array(healthLinkSchema),
  /** The worst level of the health chain, for colouring the row and the tray. */
  overall: healthLevelSchema,
  /** Set while no bridge runs because the printer is unlinked or disabled. */
  standby: standbyStateSchema.optional(),
  /** The latest probe, while no bridge runs and once one finished. */
  probe: printerProbeSchema.optional(),
  telemetry: z.object({
    mode: z.enum(['idle', 'watch']),
    intervalSeconds: z.number(),
    watchWindowExpires: z.string().optional(),
  }),
  /**
   * Set while `temperatures` and `job` are the last known values rather than current readings,
   * because Moonraker or Klippy is not connected.
   */
  staleReadings: z
    .object({
      /** Epoch milliseconds of the last sample taken while both were connected, if any. */
      lastSeenAt: z.number().optional(),
    })
    .optional(),
});
export type PrinterSummary = z.infer<typeof printerSummarySchema>;

export const recentEventSchema = z.object({
  at: z.number(),
  name: z.string(),
  severity: z.string(),
  message: z.string(),
  /** The event's text values, such as `filename` or Klippy's `stateMessage`, for a translation. */
  data: z.record(z.string(), z.string()).optional(),
});

export const commandRecordSchema = z.object({
  commandId: z.string(),
  command: z.string(),
  receivedAt: z.number(),
  acks: z.array(
    z.object({
      at: z.number(),
      status: z.string(),
      stage: z.string(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

export const timelineEntrySchema = z.object({
  at: z.number(),
  link: healthLinkNameSchema,
  level: healthLevelSchema,
  /** The link's summary in English at that time. */
  summary: z.string(),
  /** The link's machine-readable details at that time, with the codes that translate `summary`. */
  details: z.record(z.string(), z.unknown()).optional(),
});

export const printerDetailSchema = printerSummarySchema.extend({
  recentEvents: z.array(recentEventSchema),
  commands: z.array(commandRecordSchema),
  timeline: z.array(timelineEntrySchema),
});
export type PrinterDetail = z.infer<typeof printerDetailSchema>;

/**
 * A printer's temperatures over the last ten minutes, one sample about every two seconds while
 * its bridge runs, oldest first. A sample in which every sensor is null is a gap: Moonraker or
 * Klippy was not connected, or the bridge stopped.
 */
export const temperatureHistorySchema = z.object({
  /** Epoch milliseconds of each sample. */
  times: z.array(z.number()),
  sensors: z.array(
    z.object({
      name: z.string(),
      /** The reading at each time, in °C; null where the sensor had none. */
      values: z.array(z.number().nullable()),
      /** The target at each time; absent for a sensor that had no target in these samples. */
      targets: z.array(z.number().nullable()).optional(),
    }),
  ),
});
export type TemperatureHistoryView = z.infer<typeof temperatureHistorySchema>;

/** A printer found on the network and confirmed to be Moonraker (or to need authorization). */
export const discoveredPrinterSchema = z.object({
  /** Stable key of the Moonraker instance: its instance id when reported, else host and port. */
  key: z.string(),
  host: z.string(),
  port: z.number().int(),
  addresses: z.array(z.string()),
  hostname: z.string().optional(),
  via: z.array(z.enum(['mdns', 'sweep', 'manual'])),
  state: z.enum(['confirmed', 'unauthorized', 'unreachable']),
  moonrakerVersion: z.string().optional(),
  klipperVersion: z.string().optional(),
  /** Another host reported the same Moonraker identity, as a cloned SD card would. */
  duplicateOf: z.string().optional(),
  /** Set once this printer is in the fleet. */
  printerId: z.string().optional(),
  hint: z.string().optional(),
});
export type DiscoveredPrinter = z.infer<typeof discoveredPrinterSchema>;

export const sweepProgressSchema = z.object({
  sweepId: z.string(),
  cidr: z.string(),
  scanned: z.number().int(),
  total: z.number().int(),
  found: z.number().int(),
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  error: z.string().optional(),
});
export type SweepProgress = z.infer<typeof sweepProgressSchema>;

export const networkInterfaceSchema = z.object({
  name: z.string(),
  address: z.string(),
  cidr: z.string(),
  /** Likely a virtual adapter or VPN rather than the printers' LAN. */
  virtual: z.boolean(),
});
export type NetworkInterfaceView = z.infer<typeof networkInterfaceSchema>;
