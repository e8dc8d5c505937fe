/**
 * What the Moonraker side hands to telemetry, one item at a time and in arrival order. Nothing is
 * merged on the way: the state store applies each input separately.
 */

/** Printer objects as Moonraker reports them: object name to its fields. */
export type ObjectStatus = Record<string, Record<string, unknown>>;

/** Object name to the fields to subscribe or query, `null` meaning every field. */
export type ObjectFieldMap = Record<string, string[] | null>;

export type MoonrakerInput =
  /** A JSON-RPC notification received on the websocket, such as `notify_status_update`. */
  | { kind: 'notification'; method: string; params: unknown; receivedAt: number }
  /** A full status read: the answer to a subscribe (on every connect) or to an HTTP query. */
  | { kind: 'snapshot'; source: 'subscribe' | 'query'; status: ObjectStatus; receivedAt: number }
  /** Moonraker itself became reachable or unreachable (socket up and probed, or lost). */
  | { kind: 'availability'; available: boolean; detail: string; receivedAt: number };

/** Stable codes of Moonraker client failures. */
export type MoonrakerErrorCode =
  | 'timeout'
  | 'unreachable'
  | 'unauthorized'
  | 'not_found'
  | 'http_error'
  | 'rpc_error'
  | 'invalid_response'
  | 'closed'
  | 'invalid_url';
