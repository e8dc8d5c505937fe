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
    recentEvents: input.recentEvents.map((event) => ({
      at: parseCloudTimestamp(event.occurredAt) ?? 0,
      name: event.eventName,
      severity: event.severity,
      message: event.message,
    })),
    commands: input.commands,
    timeline: input.timeline.map((entry) => ({ ...entry })),
  };
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
