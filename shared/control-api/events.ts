import { z } from 'zod';

import { CONTROL_ERROR_CODES } from './errors.js';
import {
  discoveredPrinterSchema,
  printerIdSchema,
  printerSummarySchema,
  sweepProgressSchema,
} from './printer-views.js';

/**
 * A step of one printer's linking: `waiting` while it waits for the browser or for Owl Cloud,
 * then `linked` or `failed`. The service keeps the latest of each printer, which `link.activity`
 * returns, so a page opened later shows a link that is still running or how the last one ended.
 */
export const linkProgressSchema = z.object({
  printerId: printerIdSchema,
  state: z.enum(['waiting', 'linked', 'failed']),
  message: z.string(),
  /** Epoch milliseconds when the service reported this step. */
  at: z.number().optional(),
  /**
   * The party a waiting printer waits for: `browser` until Owl Web returns a link code, `cloud`
   * while Owl Cloud has not accepted the code yet.
   */
  step: z.enum(['browser', 'cloud']).optional(),
  /** The link request to Owl Cloud, 1 for the first; set while the step is `cloud`. */
  attempt: z.number().int().min(1).optional(),
  /** Epoch milliseconds when the waiting step gives up. */
  expiresAt: z.number().optional(),
  /** The control API error code of a failure. */
  code: z.enum(CONTROL_ERROR_CODES).optional(),
  /** Set on a failure because `link.cancel` stopped the link. */
  cancelled: z.boolean().optional(),
});
export type LinkProgressView = z.infer<typeof linkProgressSchema>;

/** Events the service pushes to every connected client of the control API. */
export const controlEvents = {
  'printer.changed': printerSummarySchema,
  'printer.removed': z.object({ printerId: printerIdSchema }),
  'discovery.changed': z.array(discoveredPrinterSchema),
  'sweep.progress': sweepProgressSchema,
  'link.progress': linkProgressSchema,
  'log.line': z.object({
    at: z.number(),
    level: z.string(),
    message: z.string(),
    printer: z.string().optional(),
    /** The local id of the printer that the line is about. */
    printerId: z.string().optional(),
  }),
} as const;

export type ControlEventName = keyof typeof controlEvents;
export type ControlEventData<E extends ControlEventName> = z.infer<(typeof controlEvents)[E]>;

export function isControlEvent(name: string): name is ControlEventName {
  return Object.hasOwn(controlEvents, name);
}
