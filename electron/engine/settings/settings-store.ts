// The app's settings: loaded once from <dataDir>/settings.json, changed in memory
// through update() (validated whole) or commitChecked() (watchlist edits that
// validated only the entry), saved atomically a little later (debounced) and on
// flush() at shutdown. A bad file is never lost and never blocks startup: it is moved aside
// as settings.corrupt-<timestamp>.json, the app runs on defaults, and the load
// result says what was wrong so the UI and the log can tell the user.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Owner, type Registration } from '../../../shared/lifecycle/owner';
import { ownedTimeout, systemScheduler } from '../../../shared/lifecycle/timers';
import { defaultSettings, parseSettings, type CheckedSettings, type Settings } from '../../../shared/settings';
import { removeStaleTempFiles, writeFileAtomic, type AtomicWriteOptions } from './atomic-write';
import { settingsFilePath } from './data-dir';
import { readSettingsFile } from './settings-file';

export interface SettingsLoadProblem {
  kind: 'invalid' | 'unreadable';
  /** Readable errors with paths, e.g. `watchlist[2].symbol: a unified symbol such as "BTC/USDT"`. */
  errors: string[];
  /** Where the bad file now is, for the user to fix; absent when it could not be moved. */
  keptAs?: string;
  /** One line for the UI and the log. */
  message: string;
}

export interface LoadResult {
  settings: Settings;
  source: 'file' | 'defaults';
  path: string;
  problem?: SettingsLoadProblem;
}

export interface SettingsStoreLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface SettingsStoreOptions {
  /** The app's data directory; the file is <dataDir>/settings.json. */
  dataDir?: string;
  /** An explicit settings file instead (`--config FILE`); wins over dataDir. */
  file?: string;
  /** Delay between the first unsaved change and its save. Default 500 ms. */
  debounceMs?: number;
  logger?: SettingsStoreLogger;
  /** Wall clock for the corrupt-file timestamp. */
  now?: () => number;
  /** Passed to writeFileAtomic (tests inject rename failures). */
  write?: AtomicWriteOptions;
}

export type SettingsChange = Partial<Settings> | ((current: Settings) => Settings);

export class SettingsValidationError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`invalid settings: ${errors.join('; ')}`);
    this.name = 'SettingsValidationError';
  }
}

export class SettingsStore {
  readonly path: string;
  private readonly debounceMs: number;
  private readonly logger: SettingsStoreLogger | undefined;
  private readonly now: () => number;
  private readonly writeOptions: AtomicWriteOptions;
  private readonly owner = new Owner('settings-store');
  private readonly listeners = new Set<(settings: Settings, previous: Settings) => void>();
  private current: Settings = defaultSettings();
  private lastLoad: LoadResult | undefined;
  private dirty = false;
  private saveTimer: Registration | undefined;
  /** Saves run one after another; this is the tail of that chain. */
  private saving: Promise<void> = Promise.resolve();
  /** Set when the file on disk could not be read or moved aside: saving would destroy it. */
  private saveBlocked: string | undefined;

  constructor(options: SettingsStoreOptions) {
    if (options.file === undefined && options.dataDir === undefined) throw new Error('SettingsStore needs a dataDir or a file');
    this.path = options.file ?? settingsFilePath(options.dataDir!);
    this.debounceMs = options.debounceMs ?? 500;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.writeOptions = options.write ?? {};
  }

  get settings(): Settings {
    return this.current;
  }

  /** How the last load() went (its `problem` feeds a notice in the UI); undefined before load(). */
  get loadResult(): LoadResult | undefined {
    return this.lastLoad;
  }

  /** The current settings (validated, immutable by convention). */
  get(): Settings {
    return this.current;
  }

  async load(): Promise<LoadResult> {
    await this.removeStaleTempFiles();
    this.lastLoad = await this.read();
    return this.lastLoad;
  }

  /** A save killed between creating its temp file and renaming it leaves the temp file behind. */
  private async removeStaleTempFiles(): Promise<void> {
    try {
      const removed = await removeStaleTempFiles(this.path);
      if (removed.length) this.logger?.warn('removed temp files left by an interrupted save', { files: removed });
    } catch (error) {
      this.logger?.warn('could not look for temp files left by an interrupted save', { path: this.path, error: (error as Error).message });
    }
  }

  private async read(): Promise<LoadResult> {
    const read = await readSettingsFile(this.path);
    if (read.kind === 'ok') {
      this.current = read.settings;
      return { settings: this.current, source: 'file', path: this.path };
    }
    this.current = defaultSettings();
    if (read.kind === 'missing') return { settings: this.current, source: 'defaults', path: this.path };

    const problem: SettingsLoadProblem = { kind: read.kind, errors: read.errors, message: '' };
    if (read.kind === 'invalid') {
      const keptAs = await this.keepAside();
      if (keptAs) problem.keptAs = keptAs;
      problem.message = keptAs
        ? `Settings file ${this.path} is invalid; using defaults. Your file was kept as ${keptAs}.`
        : `Settings file ${this.path} is invalid; using defaults. It could not be moved aside, so it will not be overwritten.`;
    } else {
      this.saveBlocked = `settings file ${this.path} could not be read`;
      problem.message = `Settings file ${this.path} could not be read (${read.errors.join('; ')}); using defaults and not saving over it.`;
    }
    this.logger?.warn(problem.message, { errors: problem.errors });
    return { settings: this.current, source: 'defaults', path: this.path, problem };
  }

  /**
   * Applies a change (a partial object merged at the top level, or a function of
   * the current settings), validates the result, notifies listeners and schedules
   * a save. Throws SettingsValidationError and keeps the old settings if invalid.
   */
  update(change: SettingsChange): Settings {
    if (!this.lastLoad) throw new Error('SettingsStore.update() before load(): a save could overwrite the file unread');
    const previous = this.current;
    const candidate = typeof change === 'function' ? change(structuredClone(previous)) : { ...previous, ...change };
    const parsed = parseSettings(candidate);
    if (!parsed.ok) throw new SettingsValidationError(parsed.errors);
    return this.install(parsed.settings, previous);
  }

  /**
   * Installs settings an incremental edit derived from the current ones and checked
   * itself (addToWatchlist, removeFromWatchlist): no full schema run, no deep copy, so
   * a watchlist change costs O(1) validation however long the watchlist is.
   */
  commitChecked(next: CheckedSettings): Settings {
    if (!this.lastLoad) throw new Error('SettingsStore.commitChecked() before load(): a save could overwrite the file unread');
    return this.install(next, this.current);
  }

  private install(next: Settings, previous: Settings): Settings {
    this.current = next;
    this.dirty = true;
    this.scheduleSave();
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current, previous);
      } catch (error) {
        this.logger?.error('settings listener failed', { error: (error as Error).message });
      }
    }
    return this.current;
  }

  onChange(listener: (settings: Settings, previous: Settings) => void, owner: Owner): Registration {
    const registration = owner.add('settings-listener', () => void this.listeners.delete(listener));
    this.listeners.add(listener);
    return registration;
  }

  /** Saves unsaved changes now and waits for every save in progress (shutdown calls this). */
  flush(): Promise<void> {
    this.saveTimer?.dispose();
    this.saveTimer = undefined;
    return this.save();
  }

  /** Stops the debounce timer; call flush() first to keep unsaved changes. */
  dispose(): void {
    this.owner.dispose();
    this.saveTimer = undefined;
  }

  private scheduleSave(): void {
    // Not reset by later changes: a continuous stream (dragging the window) still
    // saves every debounceMs instead of never.
    if (this.saveTimer || this.owner.isDisposed) return;
    this.saveTimer = ownedTimeout(systemScheduler, this.owner, () => {
      this.saveTimer = undefined;
      this.save().catch((error: unknown) => this.logger?.error('saving settings failed', { path: this.path, error: (error as Error).message }));
    }, this.debounceMs);
  }

  private save(): Promise<void> {
    const run = this.saving.then(async () => {
      if (!this.dirty) return;
      if (this.saveBlocked) {
        this.logger?.warn(`not saving settings: ${this.saveBlocked}`);
        return;
      }
      // Taken at write time, so a burst of updates is one write of the latest.
      const text = `${JSON.stringify(this.current, null, 2)}\n`;
      this.dirty = false;
      try {
        await mkdir(dirname(this.path), { recursive: true });
        await writeFileAtomic(this.path, text, this.writeOptions);
      } catch (error) {
        this.dirty = true;
        throw error;
      }
    });
    this.saving = run.catch(() => undefined);
    return run;
  }

  /** Moves the bad file out of the way (copying if moving fails); returns its new path. */
  private async keepAside(): Promise<string | undefined> {
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const target = join(dirname(this.path), `settings.corrupt-${stamp}.json`);
    try {
      await rename(this.path, target);
      return target;
    } catch {
      try {
        await copyFile(this.path, target);
        return target;
      } catch (error) {
        this.saveBlocked = `settings file ${this.path} is invalid and could not be kept aside (${(error as Error).message})`;
        return undefined;
      }
    }
  }
}
