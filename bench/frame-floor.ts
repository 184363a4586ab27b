// The frame floor: what any screen gets from this machine while it carries the screen
// stage's market, before Foxtrot does anything. A bare page paints one number per
// animation frame from a WebSocket that is fed the moment data exists (a message
// every 0-5 ms: no send slot, no flow control), and records for each painted frame
// when its oldest unpainted message came and when the frame's rAF callback ended.
//
// Fed directly by the benchmark, "came" is the page's receipt: the page's own floor.
// Fed through the relay (frame-floor-worker.ts: a bare child posting over IPC to a bare
// parent that forwards over WebSocket, the streaming process → main → renderer path the
// architecture has), it is the source's stamp: the floor of the screen's socket →
// painted with every hop and none of the work. The relayed page runs twice: painting
// only, and spending the script target's 4 ms in every frame first. If even the
// painting-only floor leaves little of the latency target at p99, no screen's script,
// layout and paint fit in the rest.
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
 * What two floors say of a latency target: `idle` is the page that only paints, `budget`
 * the page that spends the script target in every frame first. `left` is what the idle
 * floor leaves of the target at p99 for everything a real screen does per frame;
 * `contradicts`: the budget page is above the latency target already.
 */
export function judgeFloor(idle: FloorFigures, budget: FloorFigures, targetP99Ms: number): { left: number; contradicts: boolean } {
  return { left: targetP99Ms - idle.p99, contradicts: Number.isFinite(budget.p99) && budget.frames > 0 && budget.p99 > targetP99Ms };
}

/** Clock samples the relayed page takes of the relay's clock. */
const PINGS = 10;
/** The most a message waits for the next one, ms (uniform 0..this: ~400 messages/s), fed directly or by the relay's source. */
export const MAX_GAP_MS = 5;

// The page: requests a frame on the first message after a paint (as the screen's
// FrameScheduler does), spins `script` ms in the callback, writes, records. Fed directly,
// a message's time is its receipt; through the relay, its source's stamp on this page's
// clock (the relay's offset measured first, over the socket, as NTP does).
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
function arrived(t) {
  if (Number.isNaN(oldest) || t < oldest) oldest = t;
  if (!requested) { requested = true; requestAnimationFrame(paint); }
}
window.__floor = {
  async start(port, scriptMs, relayed) {
    script = scriptMs;
    const ws = new WebSocket('ws://127.0.0.1:' + port);
    window.__floor.socket = ws;
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('floor socket failed')); });
    if (!relayed) { ws.onmessage = () => arrived(performance.now()); return; }
    // the relay's clock minus performance.now(), from the shortest of ${PINGS} round trips
    let pong = null, best = null;
    ws.onmessage = (e) => { const m = JSON.parse(e.data); if ('pong' in m && pong) pong(m.t); };
    for (let i = 0; i < ${PINGS}; i++) {
      const sent = performance.now();
      const t = await new Promise((resolve) => { pong = resolve; ws.send(JSON.stringify({ ping: i })); });
      const back = performance.now();
      if (!best || back - sent < best.rtt) best = { rtt: back - sent, offset: t - (sent + back) / 2 };
    }
    const offset = best.offset;
    ws.onmessage = (e) => { const m = JSON.parse(e.data); if ('t' in m) arrived(m.t - offset); };
  },
  reset() { frames.length = 0; },
  take() { window.__floor.socket.close(); return frames.slice(); },
};
</script>`;


/** The n of a page's {"ping": n}; undefined for anything else (ignored, never thrown on). */
export function pingOf(text: string): number | undefined {
  try {
    const n = (JSON.parse(text) as { ping?: unknown } | null)?.ping;
    return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the bare page in `browser` for `seconds` (after a short warm-up) with `scriptMs` of
 * script per frame: fed directly by this process, or by the relay on `relayPort`
 * (frame-floor-worker.ts). Everything it starts (server, sockets, timers, page) is stopped
 * before it returns, whatever happens.
 */
export async function measureFrameFloor(browser: Browser, o: { seconds: number; scriptMs: number; viewport: { width: number; height: number }; warmupMs?: number; relayPort?: number }): Promise<FloorFigures> {
  const direct = o.relayPort === undefined ? await serveDirect() : undefined;
  try {
    const page = await browser.newPage({ viewport: o.viewport });
    try {
      await page.setContent(PAGE);
      const port = o.relayPort ?? direct!.port;
      await page.evaluate(([p, s, r]) => (globalThis as unknown as { __floor: { start(port: number, scriptMs: number, relayed: boolean): Promise<void> } }).__floor.start(p, s, r), [port, o.scriptMs, !direct] as const);
      await new Promise((r) => setTimeout(r, o.warmupMs ?? 500));
      await page.evaluate(() => (globalThis as unknown as { __floor: { reset(): void } }).__floor.reset());
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, o.seconds * 1000));
      const frames = await page.evaluate(() => (globalThis as unknown as { __floor: { take(): FloorFrame[] } }).__floor.take());
      return floorFigures(frames, o.scriptMs, (performance.now() - t0) / 1000);
    } finally {
      await page.close().catch(() => undefined);
    }
  } finally {
    await direct?.close();
  }
}

/** The direct feed: a WebSocket server in this process sending a message every 0-5 ms to each page. */
async function serveDirect(): Promise<{ port: number; close(): Promise<void> }> {
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
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

export const FLOOR_FIGURE = 'the frame floor: bare pages while raw ccxt carries the same market, → painted p50/p99 ms';

/** The three floors the screen stage measures (page: fed directly; relayed: through two bare processes). */
export interface FrameFloors { page: FloorFigures; relayed: FloorFigures; relayedBudget: FloorFigures }

/** The floors' table text beside the latency target (`scriptTargetMs`: what the budget page spent a frame). */
export function floorText(f: FrameFloors | { error: string }, targetP99Ms: number, scriptTargetMs: number): string {
  if ('error' in f) return `not measured: ${f.error}`.slice(0, 200);
  const one = (x: FloorFigures) => `${f1(x.p50)} / ${f1(x.p99)} (${x.frames} frames in ${f1(x.seconds)} s, ${f1(x.missedBeatShare * 100)}% of beats missed)`;
  const j = judgeFloor(f.relayed, f.relayedBudget, targetP99Ms);
  return `fed directly, receipt → painted: ${one(f.page)}; through a bare child and a bare main process (the streaming process → main → renderer hops), source → painted: `
    + `painting only ${one(f.relayed)}, spending the script target's ${scriptTargetMs} ms in every frame first ${one(f.relayedBudget)}; `
    + `the relayed painting-only floor leaves ${f1(j.left)} ms of the ${targetP99Ms} ms target at p99 for all the screen does in a frame`
    + (j.contradicts ? `; with the script target's ${scriptTargetMs} ms in every frame it is above the target` : '');
}
