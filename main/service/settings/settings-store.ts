import {
  settingsPatchSchema,
  type AppSettings,
  type SettingsPatch,
} from '../../../shared/settings/app-settings.js';
import type { Clock } from '../../support/clock.js';
import { toDisposable, type Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import type { SettingsBackend } from './settings-backend.js';
import { describeIssues, formatSettings, validateSettings } from './settings-document.js';
import {
  closed,
  invalidChange,
  readOnly,
  writeFailed,
  type SettingsError,
} from './settings-errors.js';
import { loadSettings, type InitialSettings } from './settings-loader.js';
import { applySettingsPatch } from './settings-patch.js';

export interface SettingsStoreOptions {
  backend: SettingsBackend;
  logger: Logger;
  /** Wall-clock time for the names of backup copies. */
  clock: Clock;
}

/** Changes a mutable copy of the settings in place, or returns the replacement. */
export type SettingsMutator = (draft: AppSettings) => AppSettings | undefined;

export type SettingsChangeListener = (
  settings: Readonly<AppSettings>,
  previous: Readonly<AppSettings>,
) => void;

/**
 * The app settings, loaded once and kept in memory. Every change is validated against the schema,
 * stored through the backend, and then announced to `onChange` listeners. Changes run one at a
 * time in call order, and each one starts from the result of the one before it.
 */
export class SettingsStore implements Disposable {
  private current: Readonly<AppSettings>;
  private readonly startProblem: SettingsError | undefined;
  private readonly isReadOnly: boolean;
  private readonly listeners = new Set<SettingsChangeListener>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly backend: SettingsBackend,
    private readonly logger: Logger,
    initial: InitialSettings,
  ) {
    this.current = deepFreeze(initial.settings);
    this.startProblem = initial.problem;
    this.isReadOnly = initial.readOnly;
  }

  /** Loads, migrates and validates the stored settings. Problems are reported in `problem`. */
  static async open(options: SettingsStoreOptions): Promise<SettingsStore> {
    const logger = options.logger.child({ component: 'settings' });
    const initial = await loadSettings({ backend: options.backend, logger, clock: options.clock });
    return new SettingsStore(options.backend, logger, initial);
  }

  get location(): string {
    return this.backend.location;
  }

  /**
   * Problem found while loading in this run, such as a corrupt file that was copied aside. The
   * user sees it as `loadProblem` of the settings, which can also come from an earlier run.
   */
  get problem(): SettingsError | undefined {
    return this.startProblem;
  }

  /** True when the stored file must not be written: newer version, unreadable, or no backup. */
  get readOnly(): boolean {
    return this.isReadOnly;
  }

  /** Returns the current settings, deeply frozen. */
  get(): Readonly<AppSettings> {
    return this.current;
  }

  /**
   * Applies a mutator or a control API patch, validates the result, stores it, and notifies
   * listeners. Resolves with the stored settings. Rejects with `settings_invalid`,
   * `settings_write_failed`, `settings_read_only` or `settings_closed`, leaving the settings as
   * they were.
   */
  update(change: SettingsMutator | SettingsPatch): Promise<Readonly<AppSettings>> {
    if (this.disposed) return Promise.reject(closed());
    if (this.isReadOnly && this.startProblem) return Promise.reject(readOnly(this.startProblem));
    return this.exclusive(() => this.apply(change));
  }

  /**
   * Removes `loadProblem` from the settings, because the user has read it, and resolves with the
   * settings without it. Read-only settings drop it in memory only, so it returns with the next
   * start, as long as the file still has the problem. Rejects like `update` when the write fails.
   */
  dismissProblem(): Promise<Readonly<AppSettings>> {
    if (this.disposed) return Promise.reject(closed());
    return this.exclusive(async () => {
      if (this.current.loadProblem === undefined) return this.current;
      if (!this.isReadOnly) {
        return this.apply((draft) => {
          delete draft.loadProblem;
        });
      }
      const previous = this.current;
      const next = structuredClone(previous) as AppSettings;
      delete next.loadProblem;
      this.current = deepFreeze(next);
      this.notify(previous);
      return this.current;
    });
  }

  onChange(listener: SettingsChangeListener): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /** Resolves once every update accepted so far has settled. */
  async flush(): Promise<void> {
    await this.queue;
  }

  /** Rejects further updates and drops the listeners; updates already accepted still finish. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async apply(change: SettingsMutator | SettingsPatch): Promise<Readonly<AppSettings>> {
    const validation = validateSettings(this.candidateFrom(change));
    if (!validation.ok) throw invalidChange(validation.problem);

    const text = formatSettings(validation.settings);
    if (text === formatSettings(this.current)) return this.current;
    try {
      await this.backend.write(text);
    } catch (error) {
      const failure = writeFailed(this.backend.location, error);
      this.logger.error({ location: this.backend.location, err: error }, failure.message);
      throw failure;
    }

    const previous = this.current;
    this.current = deepFreeze(validation.settings);
    this.logger.debug({ location: this.backend.location }, 'settings saved');
    this.notify(previous);
    return this.current;
  }

  private candidateFrom(change: SettingsMutator | SettingsPatch): unknown {
    if (typeof change === 'function') {
      const draft = structuredClone(this.current) as AppSettings;
      return change(draft) ?? draft;
    }
    const patch = settingsPatchSchema.safeParse(change);
    if (!patch.success) throw invalidChange(describeIssues(patch.error));
    return applySettingsPatch(this.current, patch.data);
  }

  private notify(previous: Readonly<AppSettings>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current, previous);
      } catch (error) {
        this.logger.error(
          { err: error },
          'settings change listener threw; other listeners still run',
        );
      }
    }
  }
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
