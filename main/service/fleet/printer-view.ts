import { isoSeconds, parseCloudTimestamp } from '../../../shared/contract/time.js';
import type { BusinessEvent } from '../../../shared/contract/events.js';
import type {
  HealthLink,
  LinkState,
  PrinterDetail,
  PrinterSummary,
} from '../../../shared/control-api/printer-views.js';
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
    link: linkStateOf(printer, input.linking),
    ...(printer.credentials ? { deviceId: printer.credentials.deviceId } : {}),
    ...(snapshot?.printer ? { phase: snapshot.printer.phase } : {}),
    ...(snapshot?.printer?.reason ? { reason: snapshot.printer.reason } : {}),
    ...(job ? { job } : {}),
    temperatures: (snapshot?.temperatures ?? []).map((reading) => ({ ...reading })),
    health: input.health,
    overall: worstLevel(input.health.map((link) => link.level)),
    telemetry: telemetryOf(snapshot, input.idleIntervalSeconds),
  };
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
