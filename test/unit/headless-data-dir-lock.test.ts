import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE, type LockEnvironment } from '../../electron/engine/host/data-dir-lock';
import { pidAlive } from '../../electron/engine/supervisor/streaming-process';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'foxtrot-lock-'));
  dirs.push(d);
  return d;
}

/** A machine where only the listed pids run; exit hooks recorded, not bound to this process. */
function env(pid: number, alive: number[], exitHooks: (() => void)[] = []): LockEnvironment {
  return {
    pid,
    hostname: 'box',
    now: () => new Date('2026-01-02T03:04:05Z'),
    isAlive: (p) => alive.includes(p),
    onExit: (fn) => {
      exitHooks.push(fn);
      return () => exitHooks.splice(exitHooks.indexOf(fn), 1);
    },
  };
}

describe('data dir lock', () => {
  it('the second holder is refused with who holds it; after release the lock is free again', () => {
    const dir = join(tempDir(), 'nested', 'data'); // created if missing
    const first = acquireDataDirLock(dir, env(100, [100]));
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 100, startedAt: '2026-01-02T03:04:05.000Z', hostname: 'box' });

    let refused: unknown;
    try {
      acquireDataDirLock(dir, env(200, [100, 200]));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toMatch(/in use by another Foxtrot Terminal \(pid 100 on box, started 2026-01-02T03:04:05.000Z\)/);

    first.release();
    first.release(); // idempotent
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(acquireDataDirLock(dir, env(200, [200])).holder.pid).toBe(200);
  });

  it('takes over a stale lock whose pid is dead', () => {
    const dir = tempDir();
    acquireDataDirLock(dir, env(100, [100])); // never released: pid 100 "crashed"
    const second = acquireDataDirLock(dir, env(200, [200]));
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(200);
    second.release();
  });

  it('a holder on another machine (shared folder) counts as alive', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 100, startedAt: 'x', hostname: 'other', nonce: 'n' }));
    expect(() => acquireDataDirLock(dir, env(200, [200]))).toThrow(/pid 100 on other/);
  });

  it('an unreadable lock is being written (refused) while fresh, and stale once old', () => {
    const dir = tempDir();
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, '');
    const fresh: LockEnvironment = { ...env(200, [200]), now: () => new Date() };
    expect(() => acquireDataDirLock(dir, fresh)).toThrow(/being locked by another Foxtrot Terminal right now/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    expect(acquireDataDirLock(dir, fresh).holder.pid).toBe(200);
  });

  it('releasing never removes a successor’s lock, and the exit hook releases it too', () => {
    const dir = tempDir();
    const hooks: (() => void)[] = [];
    const mine = acquireDataDirLock(dir, env(100, [100], hooks));
    expect(hooks).toHaveLength(1);
    // pid 100 was judged dead by a successor that took the lock over.
    const successor = acquireDataDirLock(dir, env(200, [200]));
    mine.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(200);
    expect(hooks).toHaveLength(0); // released: no exit hook left behind

    const hooks2: (() => void)[] = [];
    successor.release();
    acquireDataDirLock(dir, env(300, [300], hooks2));
    hooks2[0]!();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('knows this process is alive and a reaped pid is not', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(2 ** 22 + 12345)).toBe(false); // above Linux's pid_max
  });
});
