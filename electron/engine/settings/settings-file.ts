// Reading a settings file and explaining what is wrong with it. The store uses
// it for the app's own file (bad file → defaults + report); `--config FILE` uses
// loadSettingsFile, which refuses a bad file outright.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { parseSettingsText, type Settings } from '../../../shared/settings';
import { jsonErrorOffset } from './json-error-offset';

/** Far above any real settings file (1,000 watchlist entries are ~100 KB). */
export const MAX_SETTINGS_FILE_BYTES = 10 * 1024 * 1024;

export type SettingsFileRead =
  | { kind: 'ok'; settings: Settings }
  | { kind: 'missing' }
  /** The file exists but is not valid JSON, not valid settings, or too large. */
  | { kind: 'invalid'; errors: string[] }
  /** The file exists but could not be read (permissions, a directory, a device...). */
  | { kind: 'unreadable'; errors: string[] };

export async function readSettingsFile(path: string, maxBytes = MAX_SETTINGS_FILE_BYTES): Promise<SettingsFileRead> {
  const read = await readCapped(path, maxBytes);
  if (typeof read !== 'string') return read;
  // Windows editors like to start UTF-8 files with a byte order mark.
  const text = read.replace(/^\uFEFF/, '');
  const parsed = parseSettingsText(text);
  if (parsed.ok) return { kind: 'ok', settings: parsed.settings };
  return { kind: 'invalid', errors: parsed.errors.map((e) => withLineAndColumn(e, text)) };
}

/**
 * The file's text, refusing before reading anything that is not a regular file
 * (`--config /dev/zero` would read forever) or larger than maxBytes; reads at most
 * maxBytes + 1 bytes in case it grows while being read.
 */
async function readCapped(path: string, maxBytes: number): Promise<string | Exclude<SettingsFileRead, { kind: 'ok' }>> {
  let handle: FileHandle;
  try {
    // Non-blocking so that opening a FIFO does not wait for a writer; fstat refuses it next.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', errors: [`cannot read: ${e.code ?? e.message}`] };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'unreadable', errors: [`not a regular file (${fileType(stats)})`] };
    if (stats.size > maxBytes) return { kind: 'invalid', errors: [tooLarge(maxBytes, `${stats.size} bytes`)] };
    // The size can change between fstat and read: read until the end, but never more than maxBytes + 1.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(stats.size - length + 1, 64 * 1024), maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) return { kind: 'invalid', errors: [tooLarge(maxBytes, 'more while it was being read')] };
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { kind: 'unreadable', errors: [`cannot read: ${e.code ?? e.message}`] };
  } finally {
    await handle.close();
  }
}

function tooLarge(maxBytes: number, got: string): string {
  const mb = maxBytes / (1024 * 1024);
  return `file too large: at most ${maxBytes} bytes${Number.isInteger(mb) ? ` (${mb} MB)` : ''} (got ${got})`;
}

function fileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
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

/**
 * People look for a line and column. JSON.parse gives a character offset for some
 * errors only (Node 20); the scanner finds it for the others.
 */
function withLineAndColumn(error: string, text: string): string {
  if (!error.startsWith('not valid JSON:') || /line \d+/.test(error)) return error;
  const m = /position (\d+)/.exec(error);
  const offset = m ? Number(m[1]) : jsonErrorOffset(text);
  if (offset === undefined) return error;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error} (line ${line}, column ${column})`;
}
