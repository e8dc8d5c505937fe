import { isoSeconds } from '../../shared/contract/time.js';
import type { Clock } from '../support/clock.js';
import type { ConnectionState } from './connection-state.js';
import type { DisconnectCause, UnplannedDisconnectCause } from './connection-events.js';

/** How long a disconnect stays in `recentDisconnects`. */
export const RECENT_DISCONNECT_WINDOW_MS = 60_000;

export interface DisconnectRecord {
  /** ISO seconds. */
  at: string;
  cause: UnplannedDisconnectCause;
  reasonCode: number;
}

/** Counters of one device connection, as the health channel reports them. */
export interface ConnectionStatsSnapshot {
  state: ConnectionState;
  connected: boolean;
  /** Reason code of the last CONNACK, or null before any CONNACK arrived. */
  lastConnectRc: number | null;
  connectAttemptsTotal: number;
  reconnectsTotal: number;
  reconnectsByCause: Record<DisconnectCause, number>;
  /** Unplanned disconnects only: token renewals are not counted here. */
  disconnectsTotal: number;
  disconnectsByCause: Record<UnplannedDisconnectCause, number>;
  /** Times the subscriptions were replayed on a new client. */
  resubscribedTotal: number;
  recentDisconnects: DisconnectRecord[];
}

export class ConnectionStats {
  private lastConnectRc: number | null = null;
  private connectAttempts = 0;
  private resubscribed = 0;
  private readonly reconnects: Record<DisconnectCause, number> = zeroByCause();
  private readonly disconnects: Record<UnplannedDisconnectCause, number> = {
    connection_lost: 0,
    auth_failure: 0,
    broker_disconnect: 0,
  };
  private recent: { monotonicMs: number; record: DisconnectRecord }[] = [];

  constructor(private readonly clock: Clock) {}

  recordConnectAttempt(): void {
    this.connectAttempts += 1;
  }

  /** `reasonCode` is the CONNACK code, or null when the attempt got no CONNACK. */
  recordConnectResult(reasonCode: number | null): void {
    if (reasonCode !== null) this.lastConnectRc = reasonCode;
  }

  recordDisconnect(cause: DisconnectCause, reasonCode: number): void {
    if (cause === 'token_renewed') return;
    this.disconnects[cause] += 1;
    const record = { at: isoSeconds(this.clock.now()), cause, reasonCode };
    this.recent.push({ monotonicMs: this.clock.monotonic(), record });
    this.pruneRecent();
  }

  recordReconnect(cause: DisconnectCause): void {
    this.reconnects[cause] += 1;
  }

  recordResubscribe(): void {
    this.resubscribed += 1;
  }

  snapshot(state: ConnectionState): ConnectionStatsSnapshot {
    this.pruneRecent();
    return {
      state,
      connected: state === 'connected',
      lastConnectRc: this.lastConnectRc,
      connectAttemptsTotal: this.connectAttempts,
      reconnectsTotal: sum(this.reconnects),
      reconnectsByCause: { ...this.reconnects },
      disconnectsTotal: sum(this.disconnects),
      disconnectsByCause: { ...this.disconnects },
      resubscribedTotal: this.resubscribed,
      recentDisconnects: this.recent.map((entry) => ({ ...entry.record })),
    };
  }

  private pruneRecent(): void {
    const oldest = this.clock.monotonic() - RECENT_DISCONNECT_WINDOW_MS;
    this.recent = this.recent.filter((entry) => entry.monotonicMs >= oldest);
  }
}

function zeroByCause(): Record<DisconnectCause, number> {
  return { connection_lost: 0, auth_failure: 0, broker_disconnect: 0, token_renewed: 0 };
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}
