import { v7 as uuidv7 } from 'uuid';

import { EVENT_CATALOGUE } from '../../shared/contract/events.js';
import type {
  BusinessEvent,
  BusinessEventName,
  PrintEventName,
} from '../../shared/contract/events.js';
import { isoMicros } from '../../shared/contract/time.js';

/** Builds business event items: id, timestamp, severity from the catalogue and the message. */

export interface BusinessEventFactoryOptions {
  now: () => number;
  /** Event id source; UUIDv7 by default. */
  newEventId?: () => string;
}

export interface EventContent {
  message: string;
  sessionId?: string | null;
  /** Entries whose value is undefined are left out; an empty `data` is omitted. */
  data?: Record<string, unknown>;
}

export const UNKNOWN_FILE = 'Unknown file';

const PRINT_VERBS: Record<Exclude<PrintEventName, 'print:toolchange'>, string> = {
  'print:started': 'started',
  'print:paused': 'paused',
  'print:resumed': 'resumed',
  'print:completed': 'completed',
  'print:cancelled': 'cancelled',
  'print:failed': 'failed',
};

export class BusinessEventFactory {
  private readonly now: () => number;
  private readonly newEventId: () => string;

  constructor(options: BusinessEventFactoryOptions) {
    this.now = options.now;
    this.newEventId = options.newEventId ?? (() => uuidv7());
  }

  create(name: BusinessEventName, content: EventContent): BusinessEvent {
    const data = definedEntries(content.data ?? {});
    return {
      eventId: this.newEventId(),
      eventName: name,
      severity: EVENT_CATALOGUE[name].severity,
      message: content.message,
      occurredAt: isoMicros(this.now()),
      ...(content.sessionId ? { sessionId: content.sessionId } : {}),
      ...(Object.keys(data).length > 0 ? { data } : {}),
    };
  }
}

/** "Print started: demo.gcode", with "Unknown file" when the file is not known. */
export function printEventMessage(
  name: Exclude<PrintEventName, 'print:toolchange'>,
  filename: string | undefined,
): string {
  return `Print ${PRINT_VERBS[name]}: ${filename || UNKNOWN_FILE}`;
}

export function toolchangeMessage(from: string, to: string): string {
  return `Tool changed: ${from} -> ${to}`;
}

function definedEntries(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}
