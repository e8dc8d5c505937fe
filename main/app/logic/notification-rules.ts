import type { HealthLink, PrinterSummary } from '../../../shared/control-api/printer-views.js';
import type { AppSettings } from '../../../shared/settings/app-settings.js';
import { isBridged } from './printer-condition.js';
import type { ShellStrings } from './shell-strings.js';

export type NotificationKind = keyof AppSettings['notifications'];
export type NotificationSettings = AppSettings['notifications'];

export interface ShellNotification {
  kind: NotificationKind;
  /** The printer that a click opens; absent for a summary of several printers. */
  printerId?: string;
  title: string;
  body: string;
}

/** The facts of a printer that notifications compare between two summaries. */
interface Observed {
  phase: PrinterSummary['phase'];
  bridged: boolean;
  offline: boolean;
  /** An error of the printer itself, such as Klipper shutting down or a crashed bridge. */
  attention: boolean;
  /** An error only in reaching Owl Cloud or its broker, which affects every printer at once. */
  cloudDown: boolean;
}

export interface NotificationRulesOptions {
  /** Epoch milliseconds of the service start; nothing is announced during the grace period. */
  startedAt: number;
  /**
   * Milliseconds after the start during which printers connect and settle. Their first states
   * (offline until connected, then whatever they are doing) are not news.
   */
  startupGraceMs?: number;
  /** The same kind for the same printer is announced at most once per this many milliseconds. */
  repeatCooldownMs?: number;
  /**
   * Milliseconds that offline and attention notices wait for others, so that many printers
   * failing together give one summary.
   */
  groupWindowMs?: number;
  /** Printers in one window from which a summary replaces their own notifications. */
  groupThreshold?: number;
  /** Milliseconds in which a summary (cloud outage, many offline, many in attention) is not repeated. */
  summaryCooldownMs?: number;
  /** At most this many notifications of one printer per `printerWindowMs`, of any kind. */
  printerLimit?: number;
  printerWindowMs?: number;
}

const DEFAULTS = {
  startupGraceMs: 60_000,
  repeatCooldownMs: 5 * 60_000,
  groupWindowMs: 10_000,
  groupThreshold: 3,
  summaryCooldownMs: 15 * 60_000,
  printerLimit: 5,
  printerWindowMs: 10 * 60_000,
} satisfies Required<Omit<NotificationRulesOptions, 'startedAt'>>;

/**
 * Failure codes of the cloud health link that mean Owl Cloud or its broker cannot be reached
 * from this computer, so every linked printer reports them together.
 */
const FLEET_WIDE_CLOUD_CODES: ReadonlySet<string> = new Set([
  'cloud_unreachable',
  'connect_failed',
  'connect_timeout',
]);

/** Printers named in a summary; the rest are counted. */
const NAMED_IN_SUMMARY = 3;

type Grouped = 'printerOffline' | 'needsAttention';

/**
 * Turns printer summaries into notifications. Only a transition is announced, never a state, so a
 * repeated summary gives nothing and one transition gives one notification. The first summary of
 * a printer is its baseline. Printers without a bridge (disabled or unlinked) are not announced.
 *
 * Completed, failed and paused prints are returned by `observe` at once. Printers going offline
 * or needing attention wait `groupWindowMs` in `pending` and come out of `flush`: as their own
 * notifications when few, as one summary when `groupThreshold` or more. A cloud or broker outage
 * is always one summary, because it is the same news for every printer.
 */
export class NotificationRules {
  private readonly last = new Map<string, Observed>();
  private readonly announcedAt = new Map<string, number>();
  private readonly printerAnnouncements = new Map<string, number[]>();
  private readonly pending = new Map<string, { kind: Grouped; printer: PrinterSummary }>();
  private cloudOutagePending = false;
  private windowEndsAt: number | undefined;
  private readonly settings: Required<Omit<NotificationRulesOptions, 'startedAt'>>;

  constructor(private readonly options: NotificationRulesOptions) {
    this.settings = { ...DEFAULTS, ...withoutUndefined(options) };
  }

  /** Epoch milliseconds when `flush` has notices to return, or undefined while none wait. */
  get nextFlushAt(): number | undefined {
    return this.windowEndsAt;
  }

  /**
   * Records the new summary. Returns what to announce about it at once under `enabled`, and
   * queues offline and attention notices for `flush`.
   */
  observe(
    printer: PrinterSummary,
    enabled: NotificationSettings,
    now: number,
    strings: ShellStrings,
  ): ShellNotification[] {
    const previous = this.last.get(printer.id);
    const next = observe(printer);
    this.last.set(printer.id, next);

    // A printer that just got a bridge starts a new baseline, like a new printer.
    if (!previous?.bridged || !next.bridged) return [];
    if (now < this.options.startedAt + this.settings.startupGraceMs) return [];

    if (next.cloudDown && !previous.cloudDown) this.queueCloudOutage(now);
    if (next.offline && !previous.offline) this.queue('printerOffline', printer, now);
    if (next.attention && !previous.attention && !printFailed(previous, next)) {
      this.queue('needsAttention', printer, now);
    }
    return printTransitions(previous, next, printer, strings)
      .filter((notification) => enabled[notification.kind])
      .filter((notification) => this.admit(notification, now));
  }

  /** Returns the queued notices once their window is over, as summaries where they are many. */
  flush(now: number, enabled: NotificationSettings, strings: ShellStrings): ShellNotification[] {
    if (this.windowEndsAt === undefined || now < this.windowEndsAt) return [];
    this.windowEndsAt = undefined;
    const found: ShellNotification[] = [];

    if (this.cloudOutagePending && enabled.needsAttention) {
      const outage = this.cloudOutageSummary(now, strings);
      if (outage) found.push(outage);
    }
    this.cloudOutagePending = false;

    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const kind of ['printerOffline', 'needsAttention'] as const) {
      if (!enabled[kind]) continue;
      const printers = pending
        .filter((entry) => entry.kind === kind && this.stillIn(kind, entry.printer.id))
        .map((entry) => entry.printer);
      found.push(...this.announceGroup(kind, printers, now, strings));
    }
    return found;
  }

  forget(printerId: string): void {
    this.last.delete(printerId);
    this.pending.delete(printerId);
    this.printerAnnouncements.delete(printerId);
    for (const key of this.announcedAt.keys()) {
      if (key.startsWith(`${printerId}\n`)) this.announcedAt.delete(key);
    }
  }

  private queue(kind: Grouped, printer: PrinterSummary, now: number): void {
    this.pending.set(printer.id, { kind, printer });
    this.windowEndsAt ??= now + this.settings.groupWindowMs;
  }

  private queueCloudOutage(now: number): void {
    this.cloudOutagePending = true;
    this.windowEndsAt ??= now + this.settings.groupWindowMs;
  }

  /** Returns whether the printer is still offline, or still needs attention, as the window ends. */
  private stillIn(kind: Grouped, printerId: string): boolean {
    const observed = this.last.get(printerId);
    if (!observed?.bridged) return false;
    return kind === 'printerOffline' ? observed.offline : observed.attention;
  }

  private cloudOutageSummary(now: number, strings: ShellStrings): ShellNotification | undefined {
    const waiting = [...this.last.values()].filter(
      (observed) => observed.bridged && observed.cloudDown,
    );
    if (waiting.length === 0 || this.summaryRecent('cloud', now)) return undefined;
    this.announcedAt.set(summaryKey('cloud'), now);
    return {
      kind: 'needsAttention',
      title: strings.cloudOutageTitle,
      body: strings.cloudOutageBody(waiting.length),
    };
  }

  private announceGroup(
    kind: Grouped,
    printers: readonly PrinterSummary[],
    now: number,
    strings: ShellStrings,
  ): ShellNotification[] {
    if (printers.length === 0) return [];
    // Printers that fail soon after a summary of the same kind belong to the same incident.
    if (this.summaryRecent(kind, now)) return [];
    if (printers.length < this.settings.groupThreshold) {
      return printers
        .map((printer) => groupedNotification(kind, printer, strings))
        .filter((notification) => this.admit(notification, now));
    }
    this.announcedAt.set(summaryKey(kind), now);
    const names = printers.slice(0, NAMED_IN_SUMMARY).map((printer) => printer.name);
    const title =
      kind === 'printerOffline'
        ? strings.manyOfflineTitle(printers.length)
        : strings.manyAttentionTitle(printers.length);
    return [{ kind, title, body: strings.printerList(names, printers.length - names.length) }];
  }

  /** Applies the per-kind cooldown and the per-printer limit to one printer's notification. */
  private admit(notification: ShellNotification, now: number): boolean {
    const printerId = notification.printerId ?? '';
    const key = `${printerId}\n${notification.kind}`;
    const at = this.announcedAt.get(key);
    if (at !== undefined && now - at < this.settings.repeatCooldownMs) return false;

    const recent = (this.printerAnnouncements.get(printerId) ?? []).filter(
      (time) => now - time < this.settings.printerWindowMs,
    );
    if (recent.length >= this.settings.printerLimit) return false;
    this.printerAnnouncements.set(printerId, [...recent, now]);
    this.announcedAt.set(key, now);
    return true;
  }

  private summaryRecent(summary: Summary, now: number): boolean {
    const at = this.announcedAt.get(summaryKey(summary));
    return at !== undefined && now - at < this.settings.summaryCooldownMs;
  }
}

type Summary = 'cloud' | Grouped;

/** Key of a summary in `announcedAt`, which no printer id can produce because ids are not empty. */
function summaryKey(summary: Summary): string {
  return `\n${summary}`;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}

function observe(printer: PrinterSummary): Observed {
  const offline = printer.phase === 'Offline' || printer.overall === 'offline';
  const failing = !offline && (printer.overall === 'error' || printer.phase === 'Error');
  const cloudDown = failing && isCloudOutage(printer);
  return {
    phase: printer.phase,
    bridged: isBridged(printer),
    offline,
    attention: failing && !cloudDown,
    cloudDown,
  };
}

/**
 * Returns whether the printer's only failing link is the cloud link, failing because Owl Cloud or its
 * broker cannot be reached. A print error or a broken Klipper is the printer's own problem.
 */
export function isCloudOutage(printer: PrinterSummary): boolean {
  if (printer.phase === 'Error') return false;
  const broken = printer.health.filter(
    (link) => link.level === 'error' || link.level === 'offline',
  );
  return broken.length > 0 && broken.every(isFleetWideCloudFailure);
}

function isFleetWideCloudFailure(link: HealthLink): boolean {
  const code = link.details?.['code'];
  return link.link === 'cloud' && typeof code === 'string' && FLEET_WIDE_CLOUD_CODES.has(code);
}

function printFailed(previous: Observed, next: Observed): boolean {
  const wasActive = previous.phase === 'Printing' || previous.phase === 'Paused';
  return wasActive && previous.phase !== next.phase && next.phase === 'Error';
}

/** Returns the notices of one printer's print transitions, which are announced at once. */
function printTransitions(
  previous: Observed,
  next: Observed,
  printer: PrinterSummary,
  strings: ShellStrings,
): ShellNotification[] {
  if (next.offline || previous.phase === next.phase) return [];
  const notify = (kind: NotificationKind, title: string, body: string) => ({
    kind,
    printerId: printer.id,
    title,
    body,
  });
  const job = printer.job?.name ?? strings.thePrint;
  const wasActive = previous.phase === 'Printing' || previous.phase === 'Paused';
  const found: ShellNotification[] = [];
  if (wasActive && next.phase === 'Completed') {
    found.push(
      notify('printCompleted', strings.finishedTitle(printer.name), strings.finishedBody(job)),
    );
  }
  if (printFailed(previous, next)) {
    const body = strings.failedBody(job, printer.reason);
    found.push(notify('printFailed', strings.failedTitle(printer.name), body));
  }
  if (previous.phase === 'Printing' && next.phase === 'Paused') {
    found.push(notify('printPaused', strings.pausedTitle(printer.name), strings.pausedBody(job)));
  }
  return found;
}

function groupedNotification(
  kind: Grouped,
  printer: PrinterSummary,
  strings: ShellStrings,
): ShellNotification {
  if (kind === 'printerOffline') {
    return {
      kind,
      printerId: printer.id,
      title: strings.offlineTitle(printer.name),
      body: printer.reason ?? strings.offlineBody,
    };
  }
  return {
    kind,
    printerId: printer.id,
    title: strings.attentionTitle(printer.name),
    body: attentionBody(printer, strings),
  };
}

/** The summary of the first unhealthy link, which says what is wrong. */
function attentionBody(printer: PrinterSummary, strings: ShellStrings): string {
  const broken = printer.health.find((link) => link.level === 'error');
  return broken?.summary ?? printer.reason ?? strings.attentionBody;
}
