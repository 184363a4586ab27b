// The frame floor (bench/frame-floor.ts) in a real Chromium: the bare page paints, the
// page that spends the script budget first shows it in every frame, the relay
// (bench/frame-floor-worker.ts: a forked source → a bare main → the page) delivers with
// its stamps on the page's clock, and nothing the measurement started (HTTP server,
// sockets, timers, processes) is left afterwards. Counts and bounds only: the figures
// themselves live in `npm run bench`.
import { join, resolve } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureFrameFloor } from '../../bench/frame-floor';
import { Worker } from '../../bench/rpc';

const OUT = resolve(import.meta.dirname, '../../out');

// Debian's chromium, as the benchmark and the end-to-end specs launch it (.ci/run installs it)
const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Handles of the kinds the floor starts, by kind. */
function handles(): Record<string, number> {
  const n: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (kind === 'TCPServerWrap' || kind === 'TCPSocketWrap' || kind === 'Timeout') n[kind] = (n[kind] ?? 0) + 1;
  return n;
}

describe('bench frame floor', () => {
  it('measures a bare page painting each frame, with and without the script budget, and leaves nothing running', async () => {
    const viewport = { width: 400, height: 300 };
    const before = handles();
    const idle = await measureFrameFloor(browser, { seconds: 1, scriptMs: 0, viewport, warmupMs: 200 });
    const budget = await measureFrameFloor(browser, { seconds: 1, scriptMs: 4, viewport, warmupMs: 200 });
    // a frame for nearly every beat of a 60 Hz display, on a busy machine too
    expect(idle.frames).toBeGreaterThan(20);
    expect(budget.frames).toBeGreaterThan(20);
    expect(idle.scriptMs).toBe(0);
    expect(budget.scriptMs).toBe(4);
    expect(idle.p50).toBeGreaterThanOrEqual(0);
    expect(idle.p99).toBeGreaterThanOrEqual(idle.p50);
    // each budget frame spins 4 ms after its oldest message arrived
    expect(budget.p50).toBeGreaterThanOrEqual(4);
    expect(budget.seconds).toBeGreaterThanOrEqual(1);
    expect(budget.missedBeatShare).toBeGreaterThanOrEqual(0);
    // a closed server's handle is released by libuv a loop turn later; a leaked one never is
    // (turns by setImmediate: a waiting timer would itself be counted)
    // (turns by setImmediate: a waiting timer would itself be counted). No kind may have
    // grown; the runner's own timers may have ended meanwhile.
    const grown = (): string[] => Object.entries(handles()).filter(([kind, n]) => n > (before[kind] ?? 0)).map(([kind]) => kind);
    for (let i = 0; i < 100 && grown().length > 0; i++) await new Promise((r) => setImmediate(r));
    expect(grown()).toEqual([]);
  }, 60_000);

  it('relays a forked source through a bare main process to the page, on the page\'s clock, and stops the source with the relay', async () => {
    const relay = new Worker('frame-floor', join(OUT, 'bench', 'frame-floor-worker.cjs'));
    try {
      const { port } = await relay.call<{ port: number }>('open', {}, 30_000);
      const f = await measureFrameFloor(browser, { seconds: 1, scriptMs: 0, viewport: { width: 400, height: 300 }, warmupMs: 300, relayPort: port });
      expect(f.frames).toBeGreaterThan(20);
      // source → painted crosses two processes: after its stamp, and (clocks agreeing) within a few frames
      expect(f.p50).toBeGreaterThan(0);
      expect(f.p99).toBeLessThan(500);
      const sourcePid = await childOf(relay.pid);
      expect(sourcePid).toBeGreaterThan(0);
      await relay.call('close', {}, 10_000);
      // the source is gone with the relay's close
      for (let i = 0; i < 100 && alive(sourcePid); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive(sourcePid)).toBe(false);
    } finally {
      await relay.stop(8000);
    }
  }, 60_000);
});

/** The relay's one child (the source), from /proc. */
async function childOf(pid: number): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children[0] ?? -1;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
