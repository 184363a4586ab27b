// The log file's place, size, generations and permissions, set in one place for
// both hosts (electron-log/main and electron-log/node share this file transport).
// electron-log's default keeps one main.old.log of 1 MB: a storm would wipe the
// start-up lines in minutes. Here main.log rotates to main.1.log … main.N.log, and
// every file is created 0600 like the settings file (records name exchanges and URLs).
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import type Logger from 'electron-log';

export interface LogFileLimits {
  /** main.log rotates when it grows past this. */
  maxBytes: number;
  /** Rotated files kept: main.1.log (newest) … main.N.log. */
  generations: number;
}

export const LOG_FILE_LIMITS: LogFileLimits = { maxBytes: 10 * 1024 * 1024, generations: 5 };
export const LOG_FILE_MODE = 0o600;

/** electron-log's file transport (the same in electron-log/main and /node). */
export type FileTransportLike = Pick<Logger.FileTransport, 'resolvePathFn' | 'sync' | 'maxSize' | 'writeOptions' | 'archiveLogFn'>;

export function logFilePath(dataDir: string): string {
  return join(dataDir, 'logs', 'main.log');
}

/** Points the file transport at <dataDir>/logs/main.log with rotation and 0600 files; returns the path. */
export function configureLogFile(log: { transports: { file: FileTransportLike } }, dataDir: string, limits: LogFileLimits = LOG_FILE_LIMITS): string {
  const path = logFilePath(dataDir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Files from older versions were created 0644: tighten them too.
  for (const p of [path, ...generationPaths(path, limits.generations)]) tighten(p);
  const file = log.transports.file;
  file.resolvePathFn = () => path;
  file.sync = true; // nothing is lost at exit
  file.maxSize = limits.maxBytes;
  file.writeOptions = { flag: 'a', mode: LOG_FILE_MODE, encoding: 'utf8' };
  file.archiveLogFn = (f) => {
    try {
      rotateGenerations(f.path, limits.generations);
    } catch {
      // Could not rename (a reader holds the file on Windows): keep the newest part, as electron-log does.
      keepTail(f.path, Math.min(Math.round(limits.maxBytes / 4), 256 * 1024));
    }
  };
  return path;
}

/** main.log → main.1.log, main.1.log → main.2.log, …; main.N.log is dropped. */
export function rotateGenerations(path: string, generations: number): void {
  const older = generationPaths(path, generations);
  rmSync(older[older.length - 1]!, { force: true });
  for (let i = older.length - 1; i > 0; i--) if (existsSync(older[i - 1]!)) renameSync(older[i - 1]!, older[i]!);
  renameSync(path, older[0]!);
}

function generationPaths(path: string, generations: number): string[] {
  const { dir, name, ext } = parse(path);
  return Array.from({ length: Math.max(1, generations) }, (_, i) => join(dir, `${name}.${i + 1}${ext}`));
}

function keepTail(path: string, bytes: number): void {
  try {
    const fd = openSync(path, 'r');
    let tail: Buffer;
    try {
      const size = fstatSync(fd).size;
      tail = Buffer.alloc(Math.min(bytes, size));
      readSync(fd, tail, 0, tail.length, size - tail.length);
    } finally {
      closeSync(fd);
    }
    writeFileSync(path, Buffer.concat([Buffer.from('[log cropped: could not rotate]\n'), tail]), { mode: LOG_FILE_MODE });
  } catch {
    /* nothing more to try: electron-log reports its own write errors */
  }
}

function tighten(path: string): void {
  if (process.platform === 'win32') return; // modes are not ACLs there
  try {
    chmodSync(path, LOG_FILE_MODE);
  } catch {
    /* not there yet: created 0600 */
  }
}
