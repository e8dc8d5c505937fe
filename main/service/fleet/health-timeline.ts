import {
  HEALTH_LINKS,
  type HealthLink,
  type HealthLinkName,
} from '../../../shared/control-api/printer-views.js';
import type { HealthLinkReport } from './health-levels.js';

/**
 * One transition of a health link at an epoch millisecond: its new level, summary and the
 * link's machine-readable details, whose codes let a UI translate the summary.
 */
export interface TimelineEntry {
  at: number;
  link: HealthLinkName;
  level: HealthLink['level'];
  summary: string;
  details?: Record<string, unknown>;
}

export const DEFAULT_TIMELINE_LIMIT = 200;

/**
 * Remembers one printer's health over time: since when each link has had its level, and the
 * latest transitions of each link (200 by default), for the detail view and the diagnostics.
 * A change of the summary alone is a transition too, but keeps `since`.
 */
export class HealthTimeline {
  private readonly current = new Map<HealthLinkName, HealthLink>();
  private readonly entries = new Map<HealthLinkName, TimelineEntry[]>();

  constructor(private readonly limitPerLink = DEFAULT_TIMELINE_LIMIT) {}

  /** Records the links derived at `now` and returns them with their `since`. */
  update(reports: readonly HealthLinkReport[], now: number): HealthLink[] {
    return reports.map((next) => this.updateLink(next, now));
  }

  /** Returns the links as last updated, in chain order. */
  links(): HealthLink[] {
    return HEALTH_LINKS.flatMap((name) => {
      const link = this.current.get(name);
      return link ? [{ ...link }] : [];
    });
  }

  /** Returns every remembered transition of every link, oldest first. */
  timeline(): TimelineEntry[] {
    return [...this.entries.values()]
      .flat()
      .sort((a, b) => a.at - b.at || HEALTH_LINKS.indexOf(a.link) - HEALTH_LINKS.indexOf(b.link));
  }

  private updateLink(next: HealthLinkReport, now: number): HealthLink {
    const previous = this.current.get(next.link);
    const since = previous && previous.level === next.level ? previous.since : now;
    const link: HealthLink = { ...next, since };
    this.current.set(next.link, link);
    if (!previous || previous.level !== next.level || previous.summary !== next.summary) {
      this.record({
        at: now,
        link: next.link,
        level: next.level,
        summary: next.summary,
        ...(next.details ? { details: { ...next.details } } : {}),
      });
    }
    return { ...link };
  }

  private record(entry: TimelineEntry): void {
    const list = this.entries.get(entry.link) ?? [];
    list.push(entry);
    if (list.length > this.limitPerLink) list.splice(0, list.length - this.limitPerLink);
    this.entries.set(entry.link, list);
  }
}
