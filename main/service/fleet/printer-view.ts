import { isoSeconds, parseCloudTimestamp } from '../../../shared/contract/time.js';
import type { BusinessEvent } from '../../../shared/contract/events.js';
import type {
  HealthLink,
  LinkState,
  PrinterDetail,
  PrinterProbe,
  PrinterSummary,
  StandbyState,
} from '../../../shared/control-api/printer-views.js';
import { assertNever } from '../../support/coded-error.js';
import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import type { CommandRecord } from '../../bridge/command-history.js';
import type { FleetPrinter } from './fleet-bridge.js';
import { worstLevel } from './health-levels.js';
import type { TimelineEntry } from './health-timeline.js';
import { liveReadings } from './temperature-history.js';

export interface SummaryInput {
  printer: FleetPrinter;
  linking: boolean;
  health: HealthLink[];
  snapshot?: BridgeSnapshot;
  /**
   * Set for a printer that has no bridge to run: its latest probe, or null before the first one
   * finished.
   */
  standby?: PrinterProbe | null;
  /** Sensors interval outside a watch window, shown while no bridge runs. */
  idleIntervalSeconds: number;
  /** Epoch milliseconds of the last temperature sample taken while the readings were live. */
  lastLiveAt?: number;
}

export interface DetailInput extends SummaryInput {
  recentEvents: readonly BusinessEvent[];
  commands: CommandRecord[];
  timeline: TimelineEntry[];
}

/** Builds the fleet view's row of one printer. */
export function buildPrinterSummary(input: SummaryInput): PrinterSummary {
  const { printer, snapshot } = input;
  const job = jobOf(snapshot);
  return {
    id: printer.id,
    name: printer.name,
    moonrakerUrl: printer.moonrakerUrl,
    enabled: printer.enabled,
    apiKeySet: printer.apiKey !== undefined,
    link: linkStateOf(printer, input.linking),
    ...(printer.credentials ? { deviceId: printer.credentials.deviceId } : {}),
    ...(snapshot?.printer ? { phase: snapshot.printer.phase } : {}),
    ...(snapshot?.printer?.reason ? { reason: snapshot.printer.reason } : {}),
    ...(job ? { job } : {}),
    temperatures: (snapshot?.temperatures ?? []).map((reading) => ({ ...reading })),
    health: input.health,
    overall: worstLevel(input.health.map((link) => link.level)),
    ...standbyOf(input),
    telemetry: telemetryOf(snapshot, input.idleIntervalSeconds),
    ...staleReadingsOf(input),
  };
}

/**
 * Marks the readings of a snapshot whose store keeps the last values it received because
 * Moonraker or Klippy is not connected. A printer without readings has nothing to mark.
 */
function staleReadingsOf(input: SummaryInput): Pick<PrinterSummary, 'staleReadings'> {
  const { snapshot } = input;
  if (!snapshot?.temperatures?.length || liveReadings(snapshot)) return {};
  return {
    staleReadings: input.lastLiveAt === undefined ? {} : { lastSeenAt: input.lastLiveAt },
  };
}

function standbyOf(input: SummaryInput): Pick<PrinterSummary, 'standby' | 'probe'> {
  if (input.standby === undefined) return {};
  const probe = input.standby;
  if (!probe) return { standby: 'checking' };
  return { standby: standbyStateOf(probe, input.printer.credentials !== undefined), probe };
}

/** Names what a probe found in one word, `ready_to_link` for a ready printer not yet linked. */
export function standbyStateOf(probe: PrinterProbe, linked: boolean): StandbyState {
  switch (probe.outcome) {
    case 'ready':
      return linked ? 'ready' : 'ready_to_link';
    case 'unauthorized':
      return 'needs_api_key';
    case 'klippy_not_ready':
    case 'unreachable':
    case 'not_moonraker':
      return probe.outcome;
    default:
      return assertNever(probe.outcome, 'probe outcome');
  }
}

/** Builds the detail view of one printer: its summary plus events, commands and timeline. */
export function buildPrinterDetail(input: DetailInput): PrinterDetail {
  return {
    ...buildPrinterSummary(input),
    recentEvents: input.recentEvents.map((event) => {
      const data = textValuesOf(event.data);
      return {
        at: parseCloudTimestamp(event.occurredAt) ?? 0,
        name: event.eventName,
        severity: event.severity,
        message: event.message,
        ...(data ? { data } : {}),
      };
    }),
    commands: input.commands,
    timeline: input.timeline.map((entry) => ({ ...entry })),
  };
}

/** Returns the string values of an event's data, or undefined when it has none. */
function textValuesOf(
  data: Readonly<Record<string, unknown>> | undefined,
): Record<string, string> | undefined {
  const entries = Object.entries(data ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function linkStateOf(printer: FleetPrinter, linking: boolean): LinkState {
  if (printer.credentials) return 'linked';
  return linking ? 'linking' : 'unlinked';
}

function jobOf(snapshot: BridgeSnapshot | undefined): PrinterSummary['job'] {
  const facts = snapshot?.printer;
  if (!facts) return undefined;
  const job: NonNullable<PrinterSummary['job']> = {
    ...(facts.job ? { name: facts.job } : {}),
    ...(facts.progressPercent === undefined ? {} : { progressPercent: facts.progressPercent }),
    ...(facts.remainingSeconds === undefined ? {} : { remainingSeconds: facts.remainingSeconds }),
    ...(facts.layers ? { layers: { ...facts.layers } } : {}),
  };
  return Object.keys(job).length > 0 ? job : undefined;
}

function telemetryOf(
  snapshot: BridgeSnapshot | undefined,
  idleIntervalSeconds: number,
): PrinterSummary['telemetry'] {
  const rate = snapshot?.telemetry;
  if (!rate) return { mode: 'idle', intervalSeconds: idleIntervalSeconds };
  return {
    mode: rate.mode,
    intervalSeconds: rate.intervalSeconds,
    ...(rate.expiresAt === undefined ? {} : { watchWindowExpires: isoSeconds(rate.expiresAt) }),
  };
}
