// How a host opens its settings. Without --config: <dataDir>/settings.json,
// forgiving (a bad file is kept aside, defaults are used, the problem is logged).
// With --config FILE: that file, strict (a bad or missing file refuses to start
// with a message naming the file and what is wrong); changes are saved back to it.
import type { Logger } from '../log/logger';
import { loadSettingsFile, SettingsFileError } from './settings-file';
import { SettingsStore } from './settings-store';

export interface OpenSettingsOptions {
  dataDir: string;
  configFile?: string | undefined;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  debounceMs?: number;
}

export class SettingsOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SettingsOpenError';
  }
}

/** Returns the loaded store; `store.loadResult.problem` says if the file was bad. */
export async function openSettings(options: OpenSettingsOptions): Promise<SettingsStore> {
  const { dataDir, configFile, log } = options;
  if (configFile !== undefined) {
    try {
      await loadSettingsFile(configFile);
    } catch (error) {
      if (error instanceof SettingsFileError) throw new SettingsOpenError(error.message, { cause: error });
      throw error;
    }
  }
  const store = new SettingsStore({ ...(configFile !== undefined ? { file: configFile } : { dataDir }), logger: log, ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}) });
  const loadResult = await store.load();
  log.info('settings loaded', { path: loadResult.path, source: loadResult.source, ...(loadResult.problem ? { problem: loadResult.problem.message } : {}) });
  return store;
}
