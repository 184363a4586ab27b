// The frame floor: what any page gets from this machine while it carries the screen
// stage's market, before Foxtrot does anything. A bare page paints one number per
// animation frame from a WebSocket that is fed the moment data exists (a message
// every 0-5 ms: no send slot, no flow control, no hop before the page), and records
// for each painted frame when its oldest unpainted message arrived and when the
// frame's rAF callback ended. That is the screen's "socket → painted" without the
// streaming process, main and the transport: a lower bound of it.
//
// Measured twice: with a callback that does nothing but write the number, and with
// one that first spends the script target's budget (4 ms, as a page within the
// "script p99 ≤ 4 ms" target may). If even the second is above the latency target at
// p99, the two targets cannot both hold on this machine under this load.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from '@playwright/test';
import { WebSocketServer, type WebSocket } from 'ws';
import { f1, ratio } from './judge';
import { percentile } from './stats';

/** One painted frame of the bare page, on its performance.now() timeline (ms). */
export interface FloorFrame {
  /** The rAF timestamp. */
  frameTime: number;
  /** When the frame's oldest unpainted message arrived. */
  oldestAt: number;
  /** When the rAF callback had written the number. */
  doneAt: number;
}

export interface FloorFigures {
  /** Per-frame script the page spent before writing (ms). */
  scriptMs: number;
  frames: number;
  seconds: number;
  /** Oldest message's receipt → painted, p50 / p99 (ms). */
  p50: number;
  p99: number;
  /** Share of frame intervals longer than 1.25 periods (the page missed a beat). */
  missedBeatShare: number;
}

/** The page's frames → the floor's figures (pure; the first frame only anchors the beat). */
export function floorFigures(frames: readonly FloorFrame[], scriptMs: number, seconds: number, periodMs = 1000 / 60): FloorFigures {
  const latencies = frames.map((f) => f.doneAt - f.oldestAt);
  let missed = 0;
  for (let i = 1; i < frames.length; i++) if (frames[i]!.frameTime - frames[i - 1]!.frameTime > 1.25 * periodMs) missed++;
  return { scriptMs, frames: frames.length, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), missedBeatShare: ratio(missed, frames.length - 1) };
}

/**
 * What the two floors say of a latency target: `idle` is the page that only paints, `budget`
 * the page that spends the script target first. `left` is what the idle floor leaves of the
 * target at p99 for everything a real screen does per frame; `contradicts`: a page within the
 * script target is above the latency target already.
 */
export function judgeFloor(idle: FloorFigures, budget: FloorFigures, targetP99Ms: number): { left: number; contradicts: boolean } {
  return { left: targetP99Ms - idle.p99, contradicts: Number.isFinite(budget.p99) && budget.frames > 0 && budget.p99 > targetP99Ms };
}

// The page: requests a frame on the first message after a paint (as the screen's
// FrameScheduler does), spins `script` ms in the callback, writes, records.
const PAGE = `<!doctype html><meta charset=utf-8><body style="margin:0;font:14px monospace"><div id=v>-</div><script>
const el = document.getElementById('v');
const frames = []; let oldest = NaN, requested = false, n = 0, script = 0;
function paint(frameTime) {
  requested = false;
  const s = performance.now(); while (performance.now() - s < script) {}
  el.textContent = String(++n);
  frames.push({ frameTime, oldestAt: oldest, doneAt: performance.now() });
  oldest = NaN;
}
window.__floor = {
  start(port, scriptMs) {
    script = scriptMs;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket('ws://127.0.0.1:' + port);
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('floor socket failed'));
      ws.onmessage = () => {
        if (Number.isNaN(oldest)) oldest = performance.now();
        if (!requested) { requested = true; requestAnimationFrame(paint); }
      };
      window.__floor.socket = ws;
    });
  },
  reset() { frames.length = 0; },
  take() { window.__floor.socket.close(); return frames.slice(); },
};
</script>`;

/** The most a message waits for the next one, ms (uniform 0..this: ~400 messages/s). */
const MAX_GAP_MS = 5;

/**
 * Runs the bare page in `browser` for `seconds` (after a short warm-up) with `scriptMs` of
 * script per frame. Everything it starts (server, sockets, timers, page) is stopped before
 * it returns, whatever happens.
 */
export async function measureFrameFloor(browser: Browser, o: { seconds: number; scriptMs: number; viewport: { width: number; height: number }; warmupMs?: number }): Promise<FloorFigures> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  const timers = new Set<NodeJS.Timeout>();
  wss.on('connection', (ws: WebSocket) => {
    const send = (): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send('x');
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, Math.random() * MAX_GAP_MS);
      timers.add(t);
    };
    send();
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const page = await browser.newPage({ viewport: o.viewport });
  try {
    await page.setContent(PAGE);
    const port = (http.address() as AddressInfo).port;
    await page.evaluate(([p, s]) => (globalThis as unknown as { __floor: { start(port: number, scriptMs: number): Promise<void> } }).__floor.start(p, s), [port, o.scriptMs] as const);
    await new Promise((r) => setTimeout(r, o.warmupMs ?? 500));
    await page.evaluate(() => (globalThis as unknown as { __floor: { reset(): void } }).__floor.reset());
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    const frames = await page.evaluate(() => (globalThis as unknown as { __floor: { take(): FloorFrame[] } }).__floor.take());
    return floorFigures(frames, o.scriptMs, (performance.now() - t0) / 1000);
  } finally {
    await page.close().catch(() => undefined);
    for (const t of timers) clearTimeout(t);
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  }
}

export const FLOOR_FIGURE = 'the frame floor: a bare page while raw ccxt carries the same market, receipt → painted p50/p99 ms';

/** The floor's table text beside the latency target (`scriptTargetMs`: what the budget page spent). */
export function floorText(f: { idle: FloorFigures; budget: FloorFigures } | { error: string }, targetP99Ms: number, scriptTargetMs: number): string {
  if ('error' in f) return `not measured: ${f.error}`.slice(0, 200);
  const one = (x: FloorFigures) => `${f1(x.p50)} / ${f1(x.p99)} (${x.frames} frames in ${f1(x.seconds)} s, ${f1(x.missedBeatShare * 100)}% of beats missed)`;
  const j = judgeFloor(f.idle, f.budget, targetP99Ms);
  return `painting only ${one(f.idle)}; spending the script target's ${scriptTargetMs} ms first ${one(f.budget)}; `
    + `the first leaves ${f1(j.left)} ms of the ${targetP99Ms} ms target at p99 for all the screen does in a frame`
    + (j.contradicts ? `; a page within the script target is above the latency target here` : '');
}
