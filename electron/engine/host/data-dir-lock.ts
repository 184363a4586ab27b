// One Foxtrot Terminal per data dir, desktop app or headless host (Electron's
// single-instance lock sees only other desktop apps): two would overwrite each
// other's settings and interleave one log. The lock is a file
// created exclusively (O_EXCL) holding the holder's pid, start time and machine; a
// lock whose pid is dead on this machine is stale and taken over. Released on
// shutdown (a coordinator beforeExit hook), and at process exit as a backstop.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../supervisor/streaming-process';

export const LOCK_FILE = 'foxtrot.lock';

export interface LockHolder {
  pid: number;
  startedAt: string;
  hostname: string;
  /** Tells our lock from a successor's when releasing. */
  nonce: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `the data dir is in use by another Foxtrot Terminal (pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}); ` +
            `stop it, or use another --data-dir. If that process is not Foxtrot Terminal, delete ${lockPath}`
        : `the data dir is being locked by another Foxtrot Terminal right now (${lockPath}); use another --data-dir or try again`,
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours; idempotent. */
  release(): void;
}

export interface LockEnvironment {
  pid?: number;
  now?: () => Date;
  hostname?: string;
  /** Whether a pid is a running process on this machine. */
  isAlive?: (pid: number) => boolean;
  /** Registers the exit-time release; returns its remover (default: process 'exit'). */
  onExit?: (fn: () => void) => () => void;
}

/** A lock file just created by a holder that has not written it yet: not stale. */
const WRITING_GRACE_MS = 5000;

export function acquireDataDirLock(dataDir: string, env: LockEnvironment = {}): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const now = env.now ?? (() => new Date());
  const machine = env.hostname ?? hostname();
  const isAlive = env.isAlive ?? pidAlive;
  const me: LockHolder = { pid: env.pid ?? process.pid, startedAt: now().toISOString(), hostname: machine, nonce: randomBytes(8).toString('hex') };
  mkdirSync(dataDir, { recursive: true });

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(me), { flag: 'wx' });
      return ownedLock(path, me, env.onExit ?? onProcessExit);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (holder === 'unreadable') {
      if (ageMs(path, now()) < WRITING_GRACE_MS) throw new DataDirLockedError(path, undefined);
    } else if (holder.hostname !== machine || isAlive(holder.pid)) {
      // Another machine's pid cannot be checked from here: it counts as alive.
      throw new DataDirLockedError(path, holder);
    }
    rmSync(path, { force: true }); // stale: its holder died without releasing it
  }
  const holder = readHolder(path);
  throw new DataDirLockedError(path, typeof holder === 'object' ? holder : undefined);
}

function ownedLock(path: string, me: LockHolder, onExit: (fn: () => void) => () => void): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    removeExitHook();
    const current = readHolder(path);
    if (typeof current === 'object' && current.nonce === me.nonce) rmSync(path, { force: true });
  };
  const removeExitHook = onExit(release);
  return { path, holder: me, release };
}

function readHolder(path: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 && typeof v.startedAt === 'string' && typeof v.hostname === 'string')
      return { pid: v.pid, startedAt: v.startedAt, hostname: v.hostname, nonce: String(v.nonce ?? '') };
  } catch {
    // fall through: not a lock we can read
  }
  return 'unreadable';
}

function ageMs(path: string, now: Date): number {
  try {
    return now.getTime() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function onProcessExit(fn: () => void): () => void {
  process.once('exit', fn);
  return () => process.off('exit', fn);
}
