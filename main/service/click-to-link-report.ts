import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import type { FleetService } from './fleet-service.js';
import { linkingError, type LinkingError } from './linking/linking-errors.js';

/** A printer of a click-to-link callback whose code did not link it. */
export interface ClickToLinkFailure {
  printerId: string;
  /** The printer's name, or its id when the printer was removed meanwhile. */
  name: string;
  error: LinkingError;
  /** The printer's summary, undefined when the printer was removed meanwhile. */
  summary?: PrinterSummary;
}

/** The outcome of one click-to-link callback, split into linked and failed printers. */
export interface ClickToLinkReport {
  linked: PrinterSummary[];
  failed: ClickToLinkFailure[];
}

/**
 * Completes click-to-link with the callback URL and sorts the printers by outcome. Throws the
 * callback's own error (malformed, unknown or expired state), and the first printer's error when
 * no printer was linked.
 */
export async function completeClickToLink(
  service: FleetService,
  callbackUrl: string,
): Promise<ClickToLinkReport> {
  const { runtime, linking } = service;
  const outcomes = await linking.completeClickToLink(callbackUrl);
  const report: ClickToLinkReport = { linked: [], failed: [] };
  for (const outcome of outcomes) {
    const summary = runtime.has(outcome.printerId) ? runtime.summary(outcome.printerId) : undefined;
    if (outcome.ok && summary) {
      report.linked.push(summary);
      continue;
    }
    if (outcome.ok) continue;
    report.failed.push({
      printerId: outcome.printerId,
      name: summary?.name ?? outcome.printerId,
      error: outcome.error,
      ...(summary ? { summary } : {}),
    });
  }
  const [firstFailure] = report.failed;
  if (report.linked.length === 0 && firstFailure) {
    if (firstFailure.summary) throw firstFailure.error;
    throw linkingError(firstFailure.error.code, removedPrinterSentence(firstFailure.printerId));
  }
  return report;
}

/** Describes a printer of the link that was removed before its code arrived, by its id. */
function removedPrinterSentence(printerId: string): string {
  return `The printer with id ${printerId} was removed before Owl Web sent its code, so it was not linked`;
}

/** Builds the text for the person who clicked the link, naming linked and failed printers apart. */
export function describeClickToLink(report: ClickToLinkReport): string {
  const sentences: string[] = [];
  if (report.linked.length > 0) {
    sentences.push(`Linked ${report.linked.map((printer) => printer.name).join(', ')}.`);
  }
  for (const failure of report.failed) {
    if (failure.summary) {
      sentences.push(`${failure.name} was not linked: ${failure.error.message}.`);
    } else {
      sentences.push(`${removedPrinterSentence(failure.printerId)}.`);
    }
  }
  return sentences.join(' ');
}
