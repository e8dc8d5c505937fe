import { useRef, useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { fieldProblem } from '../support/field-problem.js';
import { toErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** The inputs of the printer settings, named as the control API's arguments. */
export type PrinterField = 'name' | 'enabled' | 'moonrakerUrl' | 'apiKey';

/** A rejected change, with the stored value of its field when the service rejected it. */
interface FieldProblem {
  message: string;
  storedValue: string;
}

/** Returns the stored value of `field`, to tell whether it changed since a problem was shown. */
function storedValueOf(printer: PrinterSummary, field: PrinterField): string {
  switch (field) {
    case 'name':
      return printer.name;
    case 'enabled':
      return String(printer.enabled);
    case 'moonrakerUrl':
      return printer.moonrakerUrl;
    case 'apiKey':
      return String(printer.apiKeySet);
  }
}

/** The summary that the last accepted change returned, and the summary prop it replaced. */
interface ReturnedSummary {
  summary: PrinterSummary;
  replaced: PrinterSummary;
}

/**
 * Renames a printer, enables or disables it, changes its Moonraker URL and sets or clears its
 * Moonraker API key. Each call keeps its outcome by field: the problem to show next to that
 * input, or that it was saved. A problem lasts until the field is edited or its stored value
 * changes, such as by a later successful save from here or elsewhere, and only the latest call
 * of a field sets its outcome. `current` is the summary that the last accepted change returned
 * until the `printer` prop changes, because a printer without a running bridge may send its
 * `printer.changed` event only later.
 */
export function usePrinterEdits(printer: PrinterSummary) {
  const transport = useTransport();
  const printerId = printer.id;
  const [busy, setBusy] = useState<PrinterField | null>(null);
  const [saved, setSaved] = useState<PrinterField | null>(null);
  const [rejected, setRejected] = useState<Partial<Record<PrinterField, FieldProblem>>>({});
  const [returned, setReturned] = useState<ReturnedSummary | null>(null);
  const latestCall = useRef<Partial<Record<PrinterField, number>>>({});
  const current = returned?.replaced === printer ? returned.summary : printer;
  const problems = currentProblems(rejected, current);

  const setProblem = (field: PrinterField, problem: FieldProblem | undefined) =>
    setRejected((previous) => ({ ...previous, [field]: problem }));

  /** Forgets the outcome shown for `field`, because the user changed its input. */
  const edit = (field: PrinterField) => {
    setProblem(field, undefined);
    setSaved((previous) => (previous === field ? null : previous));
  };

  /** Runs one change; resolves to whether the service accepted it. */
  const run = async (field: PrinterField, call: () => Promise<PrinterSummary>) => {
    const callNumber = (latestCall.current[field] ?? 0) + 1;
    latestCall.current[field] = callNumber;
    const isLatest = () => latestCall.current[field] === callNumber;
    setBusy(field);
    setSaved(null);
    setProblem(field, undefined);
    try {
      const summary = await call();
      if (!isLatest()) return true;
      setReturned({ summary, replaced: printer });
      setProblem(field, undefined);
      setSaved(field);
      return true;
    } catch (failure) {
      if (!isLatest()) return false;
      const message = fieldProblem(toErrorView(failure), field);
      setProblem(field, { message, storedValue: storedValueOf(current, field) });
      return false;
    } finally {
      if (isLatest()) setBusy(null);
    }
  };

  return {
    busy,
    saved,
    problems,
    current,
    edit,
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

/** Returns the messages of the problems whose field still has the value it had when rejected. */
function currentProblems(
  rejected: Partial<Record<PrinterField, FieldProblem>>,
  printer: PrinterSummary,
): Partial<Record<PrinterField, string>> {
  const problems: Partial<Record<PrinterField, string>> = {};
  for (const [field, problem] of Object.entries(rejected) as [PrinterField, FieldProblem?][]) {
    if (problem && problem.storedValue === storedValueOf(printer, field)) {
      problems[field] = problem.message;
    }
  }
  return problems;
}
