import type { BusinessEvent } from '../../shared/contract/events.js';
import { printEventMessage } from './business-event-factory.js';
import type { BusinessEventFactory } from './business-event-factory.js';
import {
  failureFromState,
  outcomeOfHistoryStatus,
  terminalEvent,
  UNOBSERVED_END,
} from './print-job-outcome.js';
import type { JobOutcome, OpenJob } from './print-job-outcome.js';
import type { SessionFacts } from './session-tracker.js';
import {
  historyRecord,
  isKlippyFaulted,
  numberField,
  printState,
  sameFile,
  textField,
} from './state-fields.js';
import type { HistoryRecord } from './state-fields.js';
import type { StateReader, StoreChange } from './state-store.js';

/** One observed change of `print_stats.state` (normalised: `complete`, `cancelled`). */
export interface PrintStateTransition {
  state: string;
  previousState: string | undefined;
}

const STATE_ALIASES: Readonly<Record<string, string>> = {
  completed: 'complete',
  canceled: 'cancelled',
};

/**
 * Print events from the history record and from `print_stats.state` transitions. A job opens
 * with `print:started` and closes with exactly one terminal event, whichever source reports the
 * end first. Start and resume are suppressed while Klippy is shut down or in error, because the
 * printer data is stale then.
 */
export class PrintEventTracker {
  private job: OpenJob | undefined;
  private previousState: string | undefined;

  constructor(
    private readonly state: StateReader,
    private readonly events: BusinessEventFactory,
  ) {}

  get openJob(): Readonly<OpenJob> | undefined {
    return this.job;
  }

  /** Forgets the last print state, so the next one counts as a first observation. */
  reset(): void {
    this.previousState = undefined;
  }

  detect(
    change: StoreChange,
    session: SessionFacts,
  ): { events: BusinessEvent[]; transition: PrintStateTransition | undefined } {
    this.refreshJob(session);
    const events = change.historyChanged ? this.followHistory(session) : [];
    const transition = this.observePrintState();
    if (transition) events.push(...this.followTransition(transition, session));
    return { events, transition };
  }

  private followHistory(session: SessionFacts): BusinessEvent[] {
    const record = historyRecord(this.state);
    if (record.action === 'added' && record.status === 'in_progress') {
      return this.followHistoryAdded(record, session);
    }
    if (record.action !== 'finished' || !this.job) return [];

    const job = this.job;
    const otherJob = record.jobId && job.moonrakerJobId && record.jobId !== job.moonrakerJobId;
    if (otherJob || !sameFile(job.filename, record.filename)) return [];
    job.filamentUsedMm ??= numberField(record.job, 'filament_used');
    return this.closeOpenJob(outcomeOfHistoryStatus(record.status, this.state));
  }

  /** Moonraker may never push `state: printing`, so a job added to the history opens a job. */
  private followHistoryAdded(record: HistoryRecord, session: SessionFacts) {
    const job = this.job;
    const unnamed = job?.moonrakerJobId === undefined || job.moonrakerJobId === record.jobId;
    if (job && unnamed && sameFile(job.filename, record.filename)) {
      job.moonrakerJobId = record.jobId;
      return [];
    }
    return this.replaceJob(session, record);
  }

  private observePrintState(): PrintStateTransition | undefined {
    const raw = printState(this.state);
    const current = raw === undefined ? undefined : (STATE_ALIASES[raw] ?? raw);
    if (current === undefined || current === this.previousState) return undefined;

    const transition = { state: current, previousState: this.previousState };
    this.previousState = current;
    return transition;
  }

  private followTransition(transition: PrintStateTransition, session: SessionFacts) {
    switch (transition.state) {
      case 'printing':
        return this.followPrinting(transition.previousState, session);
      case 'paused':
        return this.followPaused(transition.previousState);
      case 'complete':
        return this.closeOpenJob({ kind: 'completed' });
      case 'cancelled': {
        const message = textField(this.state.get('print_stats'), 'message');
        return this.closeOpenJob({ kind: 'cancelled', message });
      }
      case 'error':
        return this.closeOpenJob(failureFromState(this.state));
      default:
        return [];
    }
  }

  private followPrinting(previous: string | undefined, session: SessionFacts) {
    const job = this.job;
    if (job && previous === 'paused') {
      job.confirmed = true;
      return isKlippyFaulted(this.state) ? [] : [this.jobEvent('print:resumed', job)];
    }
    if (job && this.continuesJob(job, previous, session)) {
      job.confirmed = true;
      return [];
    }
    return this.replaceJob(session, undefined);
  }

  private followPaused(previous: string | undefined): BusinessEvent[] {
    const job = this.job;
    if (!job) return [];
    job.confirmed = true;
    return previous === 'printing' ? [this.jobEvent('print:paused', job)] : [];
  }

  /**
   * Decides whether printing continues the open job. It does when `print_stats` reports the job
   * for the first time: after a reset, or for a job that only the history had announced.
   */
  private continuesJob(job: OpenJob, previous: string | undefined, session: SessionFacts) {
    if (!sameFile(job.filename, session.filename)) return false;
    return previous === undefined || !job.confirmed;
  }

  /** Closes a job whose end went unobserved, then opens the new one unless data is stale. */
  private replaceJob(session: SessionFacts, record: HistoryRecord | undefined) {
    const events = this.closeOpenJob(UNOBSERVED_END);
    if (isKlippyFaulted(this.state)) return events;

    const job: OpenJob = {
      filename: session.filename ?? record?.filename,
      moonrakerJobId: session.moonrakerJobId ?? record?.jobId,
      sessionId: session.sessionId,
      progressPercent: session.progressPercent,
      printDurationSeconds: session.printDurationSeconds,
      filamentUsedMm: session.filamentUsedMm,
      confirmed: record === undefined,
    };
    this.job = job;
    events.push(
      this.events.create('print:started', {
        message: printEventMessage('print:started', job.filename),
        sessionId: job.sessionId,
        data: {
          filename: job.filename,
          moonrakerJobId: job.moonrakerJobId,
          estimatedDuration: session.metadata?.estimated_time,
        },
      }),
    );
    return events;
  }

  private jobEvent(name: 'print:paused' | 'print:resumed', job: OpenJob): BusinessEvent {
    return this.events.create(name, {
      message: printEventMessage(name, job.filename),
      sessionId: job.sessionId,
      data: {
        filename: job.filename,
        moonrakerJobId: job.moonrakerJobId,
        progressPercent: job.progressPercent,
      },
    });
  }

  /** Returns the terminal event of the open job, or nothing when no job is open. */
  private closeOpenJob(outcome: JobOutcome): BusinessEvent[] {
    const job = this.job;
    if (!job) return [];
    this.job = undefined;
    return [terminalEvent(this.events, job, outcome)];
  }

  /**
   * Copies the session's figures into the open job while they describe its file. This also runs
   * on the input that ends the job, which still carries the final print duration.
   */
  private refreshJob(session: SessionFacts): void {
    const job = this.job;
    if (!job || !sameFile(job.filename, session.filename)) return;
    job.filename ??= session.filename;
    job.sessionId = session.sessionId ?? job.sessionId;
    job.moonrakerJobId = session.moonrakerJobId ?? job.moonrakerJobId;
    job.printDurationSeconds = session.printDurationSeconds ?? job.printDurationSeconds;
    job.filamentUsedMm = session.filamentUsedMm ?? job.filamentUsedMm;
    job.progressPercent = maxDefined(job.progressPercent, session.progressPercent);
  }
}

function maxDefined(left: number | undefined, right: number | undefined) {
  if (left === undefined) return right;
  if (right === undefined) return left;
  return Math.max(left, right);
}
