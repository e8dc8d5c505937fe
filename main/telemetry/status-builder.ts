import type { StatusPayload } from '../../shared/contract/status.js';
import { isoSeconds } from '../../shared/contract/time.js';
import { contractKey } from './contract-key.js';
import { clampPercent } from './job-progress.js';
import { resolvePhase } from './printer-phase.js';
import { displayMessage } from './session-message.js';
import type { SessionSnapshot } from './session-tracker.js';
import { hasActiveJob, isKlippyShutdown } from './state-fields.js';
import type { StateReader } from './state-store.js';
import { isHeating, printParameters, toolheadStatus } from './status-sections.js';

export type StatusCadence = StatusPayload['cadence'];

export interface StatusBuilderOptions {
  state: StateReader;
  session: { current(): SessionSnapshot };
  now: () => number;
}

type StatusBody = Omit<StatusPayload, 'cadence' | 'lastUpdated'>;

/** A status body with the key that changes exactly when its `contractKey` changes. */
export interface KeyedStatus {
  payload: StatusPayload;
  changeKey: string;
}

/**
 * Builds the status channel body. `lastUpdated` is the time of the last build whose content
 * differed from the one before, ignoring elapsed and remaining time and the cadence block.
 */
export class StatusBuilder {
  private readonly state: StateReader;
  private readonly session: { current(): SessionSnapshot };
  private readonly now: () => number;
  private lastKey: string | undefined;
  /** `lastUpdated` of the current body, formatted once per change. */
  private lastUpdated = isoSeconds(0);

  constructor(options: StatusBuilderOptions) {
    this.state = options.state;
    this.session = options.session;
    this.now = options.now;
  }

  build(cadence: StatusCadence): StatusPayload {
    return this.buildWithKey(cadence).payload;
  }

  /**
   * Builds the body and its change key in one pass. The key combines the body's contract key
   * with the cadence block's, so the caller need not serialise the payload again.
   */
  buildWithKey(cadence: StatusCadence): KeyedStatus {
    const body = this.buildBody(this.session.current());
    const key = contractKey(body);
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastUpdated = isoSeconds(this.now());
    }
    const payload = { ...body, cadence: { ...cadence }, lastUpdated: this.lastUpdated };
    return { payload, changeKey: `[${key},${contractKey(cadence)}]` };
  }

  private buildBody(session: SessionSnapshot): StatusBody {
    const toolhead = toolheadStatus(this.state);
    const job = jobStatus(session);
    const parameters = printParameters(this.state);
    return {
      lifecycle: this.lifecycle(session),
      ...(toolhead ? { toolhead } : {}),
      ...(job ? { job } : {}),
      ...(parameters ? { printParameters: parameters } : {}),
    };
  }

  private lifecycle(session: SessionSnapshot): StatusPayload['lifecycle'] {
    const resolution = resolvePhase(this.state);
    const activeJob = hasActiveJob(this.state);
    const reason = resolution.reason ?? session.message ?? displayMessage(this.state, activeJob);
    return {
      phase: resolution.phase,
      isHeating: isHeating(this.state),
      hasActiveJob: activeJob,
      isShutdown: isKlippyShutdown(this.state),
      ...(reason ? { reason } : {}),
    };
  }
}

/** Builds the `job` block, which is present while a session id exists. */
export function jobStatus(session: SessionSnapshot): StatusPayload['job'] {
  if (!session.active || session.sessionId === null) return undefined;

  const elapsed = session.printDurationSeconds;
  const remaining = session.remainingSeconds;
  const progress = session.progressPercent;
  return {
    sessionId: session.sessionId,
    ...(session.moonrakerJobId ? { moonrakerJobId: session.moonrakerJobId } : {}),
    ...(session.filename ? { name: session.filename } : {}),
    ...(progress === undefined ? {} : { progressPercent: Math.floor(clampPercent(progress)) }),
    ...(session.layers ? { layers: session.layers } : {}),
    progress: {
      elapsedSeconds: elapsed === undefined ? 0 : Math.max(0, Math.trunc(elapsed)),
      ...(remaining === undefined ? {} : { estimatedTimeRemainingSeconds: remaining }),
    },
    ...(session.message ? { message: session.message } : {}),
  };
}
