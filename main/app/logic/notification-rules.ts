import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import type { AppSettings } from '../../../shared/settings/app-settings.js';

export type NotificationKind = keyof AppSettings['notifications'];

export interface PrinterNotification {
  kind: NotificationKind;
  printerId: string;
  title: string;
  body: string;
}

/** The facts of a printer that notifications compare between two summaries. */
interface Observed {
  phase: PrinterSummary['phase'];
  offline: boolean;
  attention: boolean;
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
}

const DEFAULT_GRACE_MS = 60_000;
const DEFAULT_COOLDOWN_MS = 5 * 60_000;

/**
 * Turns printer summaries into notifications. Only a transition is announced, never a state, so a
 * repeated summary gives nothing and one transition gives one notification. The first summary of
 * a printer is its baseline.
 */
export class NotificationRules {
  private readonly last = new Map<string, Observed>();
  private readonly announcedAt = new Map<string, number>();
  private readonly graceMs: number;
  private readonly cooldownMs: number;

  constructor(private readonly options: NotificationRulesOptions) {
    this.graceMs = options.startupGraceMs ?? DEFAULT_GRACE_MS;
    this.cooldownMs = options.repeatCooldownMs ?? DEFAULT_COOLDOWN_MS;
  }

  /** Records the new summary and returns what to announce about it under `enabled`. */
  observe(
    printer: PrinterSummary,
    enabled: AppSettings['notifications'],
    now: number,
  ): PrinterNotification[] {
    const previous = this.last.get(printer.id);
    const next = observe(printer);
    this.last.set(printer.id, next);

    if (!previous || !printer.enabled) return [];
    if (now < this.options.startedAt + this.graceMs) return [];

    return transitions(previous, next, printer)
      .filter((notification) => enabled[notification.kind])
      .filter((notification) => this.outsideCooldown(notification, now));
  }

  forget(printerId: string): void {
    this.last.delete(printerId);
    for (const key of this.announcedAt.keys()) {
      if (key.startsWith(`${printerId}\n`)) this.announcedAt.delete(key);
    }
  }

  private outsideCooldown(notification: PrinterNotification, now: number): boolean {
    const key = `${notification.printerId}\n${notification.kind}`;
    const at = this.announcedAt.get(key);
    if (at !== undefined && now - at < this.cooldownMs) return false;
    this.announcedAt.set(key, now);
    return true;
  }
}

function observe(printer: PrinterSummary): Observed {
  const offline = printer.phase === 'Offline' || printer.overall === 'offline';
  return {
    phase: printer.phase,
    offline,
    attention: !offline && (printer.overall === 'error' || printer.phase === 'Error'),
  };
}

function transitions(
  previous: Observed,
  next: Observed,
  printer: PrinterSummary,
): PrinterNotification[] {
  const notify = (kind: NotificationKind, title: string, body: string) => ({
    kind,
    printerId: printer.id,
    title,
    body,
  });
  const job = printer.job?.name ?? 'The print';
  const wasActive = previous.phase === 'Printing' || previous.phase === 'Paused';
  const found: PrinterNotification[] = [];

  if (next.offline) {
    if (!previous.offline)
      found.push(notify('printerOffline', `${printer.name} is offline`, offlineBody(printer)));
    return found;
  }
  if (previous.phase !== next.phase) {
    if (wasActive && next.phase === 'Completed')
      found.push(notify('printCompleted', `${printer.name} finished`, `${job} is complete.`));
    if (wasActive && next.phase === 'Error')
      found.push(notify('printFailed', `${printer.name}: print failed`, failedBody(printer, job)));
    if (previous.phase === 'Printing' && next.phase === 'Paused')
      found.push(notify('printPaused', `${printer.name} paused`, `${job} is paused.`));
  }
  const failedJustNow = found.some((notification) => notification.kind === 'printFailed');
  if (next.attention && !previous.attention && !failedJustNow) {
    found.push(notify('needsAttention', `${printer.name} needs attention`, attentionBody(printer)));
  }
  return found;
}

function offlineBody(printer: PrinterSummary): string {
  return printer.reason ?? 'Moonraker Owl cannot reach the printer.';
}

function failedBody(printer: PrinterSummary, job: string): string {
  return printer.reason ? `${job} stopped: ${printer.reason}` : `${job} stopped with an error.`;
}

/** The summary of the first unhealthy link, which says what is wrong. */
function attentionBody(printer: PrinterSummary): string {
  const broken = printer.health.find((link) => link.level === 'error');
  return broken?.summary ?? printer.reason ?? 'Open Moonraker Owl for details.';
}
