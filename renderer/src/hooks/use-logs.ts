import { useEffect, useState } from 'react';

import type { ControlEventData } from '../../../shared/control-api/events.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

export type LogLine = ControlEventData<'log.line'>;

/** Log lines kept on screen per printer. */
const MAX_LINES = 300;

/**
 * Log lines of one printer: the recent ones from `logs.recent`, then each `log.line` as it
 * arrives. A line belongs to the printer when its `printer` field is the printer's id or name.
 */
export function usePrinterLogs(printer: { id: string; name: string }) {
  const transport = useTransport();
  const connection = useTransportState();
  const [lines, setLines] = useState<readonly LogLine[]>([]);
  const { id, name } = printer;

  useEffect(() => {
    if (connection !== 'open') return;
    const belongs = (line: LogLine) => line.printer === id || line.printer === name;
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
  }, [transport, connection, id, name]);

  return lines;
}
