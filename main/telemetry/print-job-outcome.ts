import type { BusinessEvent } from '../../shared/contract/events.js';
import { printEventMessage } from './business-event-factory.js';
import type { BusinessEventFactory } from './business-event-factory.js';
import { cancelledEndReason, COMPLETED_END_REASON, failedEndReason } from './end-reason.js';
import type { FailureCause } from './end-reason.js';
import { isKlippyShutdown, shutdownMessage, textField, webhooksState } from './state-fields.js';
import type { StateReader } from './state-store.js';

/** Print job outcomes and the terminal events that report them. */

export type JobOutcome =
  | { kind: 'completed' }
  | { kind: 'cancelled'; message: string | undefined }
  | { kind: 'failed'; cause: FailureCause; error: string | undefined };

/** The detector's record of the job it announced with `print:started`. */
export interface OpenJob {
  filename: string | undefined;
  moonrakerJobId: string | undefined;
  sessionId: string | null;
  /** Highest progress seen: Klipper resets `virtual_sdcard.progress` to 0 on cancel. */
  progressPercent: number | undefined;
  printDurationSeconds: number | undefined;
  filamentUsedMm: number | undefined;
  /** `print_stats` reported the job as printing or paused (not only the history). */
  confirmed: boolean;
}

const UNOBSERVED_END_ERROR = 'The job ended without a reported outcome';

export const UNOBSERVED_END: JobOutcome = {
  kind: 'failed',
  cause: { kind: 'unknown' },
  error: UNOBSERVED_END_ERROR,
};

/** Judges why a print failed from the printer state when `print_stats.state` became error. */
export function failureFromState(state: StateReader): JobOutcome {
  if (isKlippyShutdown(state)) {
    return { kind: 'failed', cause: { kind: 'klippy_shutdown' }, error: shutdownMessage(state) };
  }
  const webhooks = state.get('webhooks');
  if (webhooksState(state) === 'error') {
    const error = textField(webhooks, 'state_message');
    return { kind: 'failed', cause: { kind: 'klippy_error' }, error };
  }
  const message = textField(state.get('print_stats'), 'message');
  if (message) return { kind: 'failed', cause: { kind: 'message', message }, error: message };
  return { kind: 'failed', cause: { kind: 'unknown' }, error: undefined };
}

/** Maps a Moonraker history job status that ends a job to its outcome. */
export function outcomeOfHistoryStatus(status: string | undefined, state: StateReader): JobOutcome {
  switch (status) {
    case 'completed':
    case 'complete':
      return { kind: 'completed' };
    case 'cancelled':
    case 'canceled':
      return { kind: 'cancelled', message: textField(state.get('print_stats'), 'message') };
    case 'klippy_shutdown':
    case 'klippy_disconnect':
      return { kind: 'failed', cause: { kind: 'klippy_shutdown' }, error: shutdownMessage(state) };
    case 'error':
      return failureFromState(state);
    case undefined:
      return UNOBSERVED_END;
    default:
      // `interrupted` and `server_exit`: Moonraker lost track of the job.
      return { kind: 'failed', cause: { kind: 'message', message: status }, error: status };
  }
}

export function terminalEvent(
  events: BusinessEventFactory,
  job: OpenJob,
  outcome: JobOutcome,
): BusinessEvent {
  const common = {
    filename: job.filename,
    moonrakerJobId: job.moonrakerJobId,
    printDuration:
      job.printDurationSeconds === undefined ? undefined : Math.trunc(job.printDurationSeconds),
    filamentUsedMm: job.filamentUsedMm,
  };
  const sessionId = job.sessionId;
  switch (outcome.kind) {
    case 'completed':
      return events.create('print:completed', {
        message: printEventMessage('print:completed', job.filename),
        sessionId,
        data: { ...common, progressPercent: 100, endReason: COMPLETED_END_REASON },
      });
    case 'cancelled':
      return events.create('print:cancelled', {
        message: printEventMessage('print:cancelled', job.filename),
        sessionId,
        data: {
          ...common,
          progressPercent: job.progressPercent,
          endReason: cancelledEndReason(outcome.message),
        },
      });
    case 'failed':
      return events.create('print:failed', {
        message: printEventMessage('print:failed', job.filename),
        sessionId,
        data: {
          ...common,
          progressPercent: job.progressPercent,
          error: outcome.error,
          endReason: failedEndReason(outcome.cause),
        },
      });
  }
}
