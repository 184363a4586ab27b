// Replaces a file so that readers (and a crash or power cut at any moment) see
// either the old content or the new, never half of it: write a temp file in the
// same directory, fsync it, rename it over the target, fsync the directory.
import { randomBytes } from 'node:crypto';
import { open, rename as fsRename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Injectable for tests; defaults to fs.promises.rename. */
  rename?: (from: string, to: string) => Promise<void>;
  /** Extra rename attempts on Windows-style transient errors. Default 10. */
  renameRetries?: number;
  /** First retry delay; grows linearly. Default 20 ms. */
  retryDelayMs?: number;
  /** File mode of a newly created file. Default 0o600 (settings are the user's own). */
  mode?: number;
}

// On Windows a rename over a file fails while antivirus, the indexer or a reader
// has it open; these clear within milliseconds, so retry briefly.
const TRANSIENT = new Set(['EPERM', 'EACCES', 'EBUSY']);

export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const rename = options.rename ?? fsRename;
  const retries = options.renameRetries ?? 10;
  const delay = options.retryDelayMs ?? 20;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(temp, path);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (attempt >= retries || !TRANSIENT.has(code)) throw error;
        await new Promise((r) => setTimeout(r, delay * (attempt + 1)));
      }
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable (POSIX); directories cannot be opened for sync on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: some file systems refuse fsync on directories.
  }
}
