import { z } from 'zod';

import {
  discoveredPrinterSchema,
  printerIdSchema,
  printerSummarySchema,
  sweepProgressSchema,
} from './printer-views.js';

/** Events the service pushes to every connected client of the control API. */
export const controlEvents = {
  'printer.changed': printerSummarySchema,
  'printer.removed': z.object({ printerId: printerIdSchema }),
  'discovery.changed': z.array(discoveredPrinterSchema),
  'sweep.progress': sweepProgressSchema,
  'link.progress': z.object({
    printerId: printerIdSchema,
    state: z.enum(['waiting', 'linked', 'failed']),
    message: z.string(),
  }),
  'log.line': z.object({
    at: z.number(),
    level: z.string(),
    message: z.string(),
    printer: z.string().optional(),
  }),
} as const;

export type ControlEventName = keyof typeof controlEvents;
export type ControlEventData<E extends ControlEventName> = z.infer<(typeof controlEvents)[E]>;

export function isControlEvent(name: string): name is ControlEventName {
  return Object.hasOwn(controlEvents, name);
}
