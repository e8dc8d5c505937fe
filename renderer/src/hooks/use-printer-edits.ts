import { useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { fieldProblem } from '../support/field-problem.js';
import { toErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** The inputs of the printer settings, named as the control API's arguments. */
export type PrinterField = 'name' | 'enabled' | 'moonrakerUrl' | 'apiKey';

/** The summary that the last accepted change returned, and the summary prop it replaced. */
interface ReturnedSummary {
  summary: PrinterSummary;
  replaced: PrinterSummary;
}

/**
 * Renames a printer, enables or disables it, changes its Moonraker URL and sets or clears its
 * Moonraker API key. Each call keeps its outcome by field: the problem to show next to that
 * input, or that it was saved. `current` is the summary that the last accepted change returned
 * until the `printer` prop changes, because a printer without a running bridge may send its
 * `printer.changed` event only later.
 */
export function usePrinterEdits(printer: PrinterSummary) {
  const transport = useTransport();
  const printerId = printer.id;
  const [busy, setBusy] = useState<PrinterField | null>(null);
  const [saved, setSaved] = useState<PrinterField | null>(null);
  const [problems, setProblems] = useState<Partial<Record<PrinterField, string>>>({});
  const [returned, setReturned] = useState<ReturnedSummary | null>(null);
  const current = returned?.replaced === printer ? returned.summary : printer;

  /** Runs one change; resolves to whether the service accepted it. */
  const run = async (field: PrinterField, call: () => Promise<PrinterSummary>) => {
    setBusy(field);
    setSaved(null);
    setProblems((previous) => ({ ...previous, [field]: undefined }));
    try {
      const summary = await call();
      setReturned({ summary, replaced: printer });
      setSaved(field);
      return true;
    } catch (failure) {
      const problem = fieldProblem(toErrorView(failure), field);
      setProblems((previous) => ({ ...previous, [field]: problem }));
      return false;
    } finally {
      setBusy(null);
    }
  };

  return {
    busy,
    saved,
    problems,
    current,
    rename: (name: string) =>
      run('name', () => transport.call('printers.rename', { printerId, name })),
    setEnabled: (enabled: boolean) =>
      run('enabled', () => transport.call('printers.setEnabled', { printerId, enabled })),
    setMoonrakerUrl: (moonrakerUrl: string) =>
      run('moonrakerUrl', () =>
        transport.call('printers.setMoonrakerUrl', { printerId, moonrakerUrl }),
      ),
    /** Stores a new API key, or deletes the stored one with null. */
    setApiKey: (apiKey: string | null) =>
      run('apiKey', () => transport.call('printers.setApiKey', { printerId, apiKey })),
  };
}
