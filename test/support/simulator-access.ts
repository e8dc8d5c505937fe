import type { SentFrame } from '../../main/simulator/moonraker-simulator.js';
import type { RunningSimulator } from './bridge-rig.js';

/**
 * Reads what a Moonraker simulator sent and calls its HTTP API directly, as another client of
 * the printer (a web UI, a button on the printer) would.
 */

/** Returns `print_stats.state` of a `notify_status_update` frame, when the frame carries it. */
export function printStateOf(frame: SentFrame): string | undefined {
  if (frame.method !== 'notify_status_update') return undefined;
  const parsed = JSON.parse(frame.text) as { params?: unknown[] };
  const status = parsed.params?.[0] as { print_stats?: { state?: unknown } } | undefined;
  const state = status?.print_stats?.state;
  return typeof state === 'string' ? state : undefined;
}

/** Sends `POST {url}{path}` and throws with the response body unless the status is 200. */
export async function postToPrinter(url: string, path: string): Promise<void> {
  const response = await fetch(`${url}${path}`, { method: 'POST' });
  if (response.status !== 200) {
    throw new Error(`POST ${path} failed with HTTP ${response.status}: ${await response.text()}`);
  }
}

/** Queries printer objects over HTTP and returns their status. */
export async function queryPrinterObjects(
  url: string,
  objects: readonly string[],
): Promise<Record<string, Record<string, unknown>>> {
  const query = objects.map(encodeURIComponent).join('&');
  const response = await fetch(`${url}/printer/objects/query?${query}`);
  const body = (await response.json()) as {
    result?: { status?: Record<string, Record<string, unknown>> };
  };
  if (response.status !== 200 || !body.result?.status) {
    throw new Error(`Object query failed with HTTP ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.result.status;
}

/**
 * Resolves with the send time of the first frame after `after` (a `performance.now()` value)
 * that reports `print_stats.state` as `state`.
 */
export async function printerReaches(
  simulator: RunningSimulator,
  state: string,
  after: number,
  timeoutMs: number,
): Promise<number> {
  const frame = await simulator.frames.waitForItem(
    (candidate) => candidate.sentAt > after && printStateOf(candidate) === state,
    timeoutMs,
    `the printer reaching ${state}`,
  );
  return frame.sentAt;
}
