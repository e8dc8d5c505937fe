import type {
  HealthLevel,
  HealthLink,
  HealthLinkName,
} from '../../../shared/control-api/printer-views.js';

/** One link of the health chain as derived from the facts; the tracker adds `since`. */
export type HealthLinkReport = Omit<HealthLink, 'since'>;

/**
 * Severity of each level, for the overall level of a printer. `offline` ranks below `warning`
 * and `error`, so a printer that is switched off colours its row calm instead of red.
 */
const SEVERITY: Readonly<Record<HealthLevel, number>> = {
  ok: 0,
  unknown: 1,
  pending: 2,
  offline: 3,
  warning: 4,
  error: 5,
};

export function worstLevel(levels: readonly HealthLevel[]): HealthLevel {
  let worst: HealthLevel = 'ok';
  for (const level of levels) if (SEVERITY[level] > SEVERITY[worst]) worst = level;
  return worst;
}

export function report(
  link: HealthLinkName,
  level: HealthLevel,
  summary: string,
  extra: { fix?: string; details?: Record<string, unknown> } = {},
): HealthLinkReport {
  return {
    link,
    level,
    summary,
    ...(extra.fix ? { fix: extra.fix } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

/** Returns where a URL points as `host:port`, with the scheme's default port when none is given. */
export function endpointLabel(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.port) return parsed.host;
    const port = DEFAULT_PORTS[parsed.protocol];
    return port ? `${parsed.host}:${port}` : parsed.host;
  } catch {
    return url;
  }
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  'http:': '80',
  'https:': '443',
  'ws:': '80',
  'wss:': '443',
  'mqtt:': '1883',
  'mqtts:': '8883',
};
