// Reading a settings file and explaining what is wrong with it. The store uses
// it for the app's own file (bad file → defaults + report); `--config FILE` uses
// loadSettingsFile, which refuses a bad file outright.
import { readFile } from 'node:fs/promises';
import { parseSettingsText, type Settings } from '../../../shared/settings';

export type SettingsFileRead =
  | { kind: 'ok'; settings: Settings }
  | { kind: 'missing' }
  /** The file exists but is not valid JSON or not valid settings. */
  | { kind: 'invalid'; errors: string[] }
  /** The file exists but could not be read (permissions, a directory...). */
  | { kind: 'unreadable'; errors: string[] };

export async function readSettingsFile(path: string): Promise<SettingsFileRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', errors: [`cannot read: ${e.code ?? e.message}`] };
  }
  // Windows editors like to start UTF-8 files with a byte order mark.
  text = text.replace(/^\uFEFF/, '');
  const parsed = parseSettingsText(text);
  if (parsed.ok) return { kind: 'ok', settings: parsed.settings };
  return { kind: 'invalid', errors: parsed.errors.map((e) => withLineAndColumn(e, text)) };
}

export class SettingsFileError extends Error {
  constructor(
    readonly path: string,
    readonly errors: readonly string[],
  ) {
    super(`Invalid settings file ${path}:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'SettingsFileError';
  }
}

/** For `--config FILE`: the file must exist and be valid; otherwise throws SettingsFileError saying what and where. */
export async function loadSettingsFile(path: string): Promise<Settings> {
  const read = await readSettingsFile(path);
  switch (read.kind) {
    case 'ok':
      return read.settings;
    case 'missing':
      throw new SettingsFileError(path, ['file not found']);
    default:
      throw new SettingsFileError(path, read.errors);
  }
}

/** JSON.parse reports a character offset; people look for a line and column. */
function withLineAndColumn(error: string, text: string): string {
  const m = /position (\d+)/.exec(error);
  if (!m || /line \d+/.test(error)) return error;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error} (line ${line}, column ${column})`;
}
