import { useEffect, useState } from 'react';

import type { ControlEventData } from '../../../shared/control-api/events.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

export type LogLine = ControlEventData<'log.line'>;

/** Log lines kept on screen per printer. */
const MAX_LINES = 300;

/**
 * Log lines of one printer: the recent ones from `logs.recent`, then each `log.line` as it
 * arrives. A line belongs to the printer when its `printerId` is the printer's local id; the
 * name is no key, because two printers may share one.
 */
export function usePrinterLogs(printerId: string) {
  const transport = useTransport();
  const connection = useTransportState();
  const [lines, setLines] = useState<readonly LogLine[]>([]);

  useEffect(() => {
    if (connection !== 'open') return;
    const belongs = (line: LogLine) => line.printerId === printerId;
    let disposed = false;
    const stop = transport.on('log.line', (line) => {
      if (belongs(line)) setLines((current) => [...current, line].slice(-MAX_LINES));
    });
    transport.call('logs.recent', { limit: 2000 }).then(
      (recent) => {
        if (!disposed) setLines(recent.filter(belongs).slice(-MAX_LINES));
      },
      () => undefined,
    );
    return () => {
      disposed = true;
      stop();
    };
  }, [transport, connection, printerId]);

  return lines;
}
