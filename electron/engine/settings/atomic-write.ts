// Replaces a file so that readers (and a crash or power cut at any moment) see
// either the old content or the new, never half of it: write a temp file in the
// same directory, fsync it, rename it over the target, fsync the directory.
// A symlink is written through: the new file replaces its target, next to it, and
// the link stays (renaming over the link would replace it by a regular file).
import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, readlink, realpath, rename as fsRename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pidAlive } from '../supervisor/streaming-process';
import { systemScheduler } from '../../../shared/lifecycle/timers';

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

export async function writeFileAtomic(linkOrPath: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const rename = options.rename ?? fsRename;
  const retries = options.renameRetries ?? 10;
  const delay = options.retryDelayMs ?? 20;
  const path = await resolveSymlinks(linkOrPath);
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
        await new Promise<void>((r) => systemScheduler.setTimeout(r, delay * (attempt + 1)));
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

/**
 * The file a path finally names, following symlinks, including one whose target
 * does not exist yet (that target is where the first save goes). A path that is no
 * symlink is returned as given.
 */
export async function resolveSymlinks(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Missing file, or a dangling link: follow links by hand (at most 40 hops, like the kernel).
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch {
      return current; // nothing there: this is the file to create
    }
    if (!isLink) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${path}`), { code: 'ELOOP' });
}

/** Temp files writeFileAtomic makes for `path`: `.<name>.<pid>.<12 hex>.tmp`. */
function tempFilePattern(path: string): RegExp {
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${name}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`);
}

/**
 * Removes temp files a killed process left between creating and renaming them
 * (called once at start, before any save). A temp file of a process still alive
 * (another instance saving right now) is left alone. Returns what was removed.
 */
export async function removeStaleTempFiles(path: string, alive: (pid: number) => boolean = pidAlive): Promise<string[]> {
  const target = await resolveSymlinks(path);
  const pattern = tempFilePattern(target);
  const dir = dirname(target);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no directory yet: nothing was ever saved
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    // Our own pid can only be a leftover of an earlier process: we have not saved yet.
    if (pid !== process.pid && alive(pid)) continue;
    await rm(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}
