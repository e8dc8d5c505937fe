import { createHash } from 'node:crypto';

import type { FrozenRecord } from './frozen-merge.js';
import { progressPercent, readFileMetadata } from './job-progress.js';
import type { FileMetadata } from './job-progress.js';
import { JobProgressTracker } from './job-progress-tracker.js';
import { estimateRemainingSeconds } from './remaining-time.js';
import { sessionMessage } from './session-message.js';
import {
  ACTIVE_PRINT_STATES,
  hasActiveJob,
  historyRecord,
  isKlippyShutdown,
  jobFilename,
  numberField,
  printState,
  recordField,
} from './state-fields.js';
import type { StateReader, StoreChange } from './state-store.js';

/** The figures of the current print session that print events carry. */
export interface SessionFacts {
  active: boolean;
  /** `job-{moonraker job id}`, else the SHA-1 of the filename; null outside jobs. */
  sessionId: string | null;
  moonrakerJobId: string | undefined;
  filename: string | undefined;
  progressPercent: number | undefined;
  printDurationSeconds: number | undefined;
  filamentUsedMm: number | undefined;
  metadata: FileMetadata | undefined;
}

/** The current print session as the status channel reports it. */
export interface SessionSnapshot extends SessionFacts {
  layers: { current?: number; total?: number } | undefined;
  remainingSeconds: number | undefined;
  message: string | undefined;
}

/** The job Moonraker's history announced with `notify_history_changed`. */
interface HistoryJob {
  id: string;
  filename: string | undefined;
  finished: boolean;
}

/** Terminal print states that end a job announced only by the history. */
const ENDING_PRINT_STATES: ReadonlySet<string> = new Set(['complete', 'cancelled', 'error']);

const METADATA_CACHE_SIZE = 4;

export interface SessionTrackerOptions {
  now?: () => number;
  /** How long a new job waits for its file metadata before progress falls back, in ms. */
  metadataWaitMs?: number;
}

/**
 * Follows the print session across store changes. Moonraker announces a job through its history
 * (`added`, with the job id), sometimes before and sometimes after `print_stats` reports it.
 * Moonraker may also never push `state: printing`, so an `added` job in progress counts as active
 * until `print_stats` reports the job's end or Klippy shuts down.
 */
export class SessionTracker {
  private historyJob: HistoryJob | undefined;
  private historyPending = false;
  private lastPrintState: string | undefined;
  private sessionId: string | null = null;
  /** The last filename hashed into a session id, so each frame of a job does not hash it again. */
  private hashedFile: { filename: string; digest: string } | undefined;
  private readonly metadataByFile = new Map<string, FileMetadata>();
  private readonly progress: JobProgressTracker;

  constructor(
    private readonly state: StateReader,
    options: SessionTrackerOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.progress = new JobProgressTracker({ now, metadataWaitMs: options.metadataWaitMs ?? 0 });
  }

  /**
   * Stores slicer metadata of a file (byte range, estimates) fetched from Moonraker. An empty
   * record marks a file whose metadata could not be read, so its job stops waiting for it.
   */
  setFileMetadata(filename: string, metadata: Readonly<Record<string, unknown>>): void {
    this.metadataByFile.delete(filename);
    this.metadataByFile.set(filename, readFileMetadata(metadata));
    for (const oldest of this.metadataByFile.keys()) {
      if (this.metadataByFile.size <= METADATA_CACHE_SIZE) break;
      this.metadataByFile.delete(oldest);
    }
  }

  /** Call after every `StateStore.apply`, before reading `current()`. */
  update(change: StoreChange): void {
    if (change.historyChanged) this.followHistory();
    this.followPrintState();
    if (change.klippyShutdown) this.historyPending = false;
    const active = this.isActive();
    const filename = jobFilename(this.state);
    this.sessionId = active ? this.nextSessionId(filename) : null;
    this.progress.follow(active, filename, () => this.rawProgress(this.metadataFor(filename)));
  }

  /** Returns the session id of `current()` without building the rest of the snapshot. */
  currentSessionId(): string | null {
    return this.isActive() ? this.sessionId : null;
  }

  /**
   * Returns the session's figures without the layers, remaining time and message, which only the
   * status channel needs: the event detector reads these on every input.
   */
  facts(): SessionFacts {
    const active = this.isActive();
    const filename = jobFilename(this.state);
    const metadata = this.metadataFor(filename);
    const printStats = this.state.get('print_stats');
    return {
      active,
      sessionId: active ? this.sessionId : null,
      moonrakerJobId: active ? this.matchingHistoryJob(filename)?.id : undefined,
      filename,
      progressPercent: this.progress.clamp(this.rawProgress(metadata)),
      printDurationSeconds: numberField(printStats, 'print_duration'),
      filamentUsedMm: numberField(printStats, 'filament_used'),
      metadata,
    };
  }

  current(): SessionSnapshot {
    const facts = this.facts();
    const { metadata } = facts;
    return {
      ...facts,
      layers: readLayers(this.state.get('print_stats'), metadata),
      remainingSeconds: estimateRemainingSeconds({
        printDurationSeconds: facts.printDurationSeconds,
        progressPercent: facts.progressPercent,
        filamentUsedMm: facts.filamentUsedMm,
        filamentTotalMm: metadata?.filament_total,
        slicerEstimateSeconds: metadata?.estimated_time,
      }),
      message: sessionMessage(this.state, facts.active),
    };
  }

  private rawProgress(metadata: FileMetadata | undefined): number | undefined {
    const awaiting = metadata === undefined && this.progress.awaitsMetadata();
    return progressPercent(this.state.get('virtual_sdcard'), metadata, awaiting);
  }

  private isActive(): boolean {
    if (hasActiveJob(this.state)) return true;
    return this.historyPending && !isKlippyShutdown(this.state);
  }

  private followHistory(): void {
    const record = historyRecord(this.state);
    if (record.action === 'added' && record.jobId) {
      this.historyJob = { id: record.jobId, filename: record.filename, finished: false };
      this.historyPending = record.status === 'in_progress';
      return;
    }
    if (record.action === 'finished') {
      if (this.historyJob && this.historyJob.id === record.jobId) this.historyJob.finished = true;
      this.historyPending = false;
    }
  }

  /**
   * Tracks `print_stats.state` changes. A new print after a finished history job drops that job,
   * so the new print has no job id until its own `added` arrives.
   */
  private followPrintState(): void {
    const current = printState(this.state);
    const previous = this.lastPrintState;
    if (current === previous) return;
    this.lastPrintState = current;

    const wasActive = previous !== undefined && ACTIVE_PRINT_STATES.has(previous);
    if (current === 'printing' && !wasActive && this.historyJob?.finished) {
      this.historyJob = undefined;
    }
    if (
      current !== undefined &&
      (ACTIVE_PRINT_STATES.has(current) || ENDING_PRINT_STATES.has(current))
    ) {
      this.historyPending = false;
    }
  }

  /** Keeps the previous id while a running job briefly reports no filename. */
  private nextSessionId(filename: string | undefined): string | null {
    const historyJob = this.matchingHistoryJob(filename);
    if (historyJob) return `job-${historyJob.id}`;
    if (filename) return this.filenameDigest(filename);
    return this.sessionId;
  }

  private filenameDigest(filename: string): string {
    if (this.hashedFile?.filename !== filename) {
      const digest = createHash('sha1').update(filename, 'utf8').digest('hex');
      this.hashedFile = { filename, digest };
    }
    return this.hashedFile.digest;
  }

  private matchingHistoryJob(filename: string | undefined): HistoryJob | undefined {
    const job = this.historyJob;
    if (!job) return undefined;
    if (!filename || !job.filename || sameFile(filename, job.filename)) return job;
    return undefined;
  }

  /** Prefers fetched metadata, then the history job's, then an empty record of a failed fetch. */
  private metadataFor(filename: string | undefined): FileMetadata | undefined {
    if (!filename) return undefined;
    const stored = this.metadataByFile.get(filename);
    if (stored && Object.keys(stored).length > 0) return stored;
    return this.historyMetadata(filename) ?? stored;
  }

  private historyMetadata(filename: string): FileMetadata | undefined {
    const record = historyRecord(this.state);
    if (!record.filename || !sameFile(filename, record.filename)) return undefined;
    const metadata = recordField(record.job, 'metadata');
    return metadata ? readFileMetadata(metadata) : undefined;
  }
}

/** `virtual_sdcard.file_path` is absolute while history and print_stats names are relative. */
function sameFile(name: string, relativeName: string): boolean {
  return name === relativeName || name.endsWith(`/${relativeName}`);
}

function readLayers(printStats: FrozenRecord | undefined, metadata: FileMetadata | undefined) {
  const info = recordField(printStats, 'info');
  const current = numberField(info, 'current_layer');
  const total = numberField(info, 'total_layer') ?? metadata?.layer_count;
  if (current === undefined && total === undefined) return undefined;
  return {
    ...(current === undefined ? {} : { current: Math.trunc(current) }),
    ...(total === undefined ? {} : { total: Math.trunc(total) }),
  };
}
