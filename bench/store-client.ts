// A stand-in for the renderer's row store, in its own process: connects to the
// host's renderer socket like the headless bridge does, writes every frame's rows
// into a Map the moment it arrives (that moment minus each row's receivedAt is
// the socket → store latency, one clock: shared/clock.ts) and acks on the next
// 60 Hz frame boundary, as the real renderer acks from requestAnimationFrame.
import WebSocket from 'ws';
import { fromPerformance, now } from '../shared/clock';
import type { TickerRow, ToRenderer } from '../shared/contract/renderer-api';
import { serveRpc } from './rpc';

const FRAME_MS = 1000 / 60;
const rows = new Map<string, TickerRow>();
let latencies: number[] = [];
let frames = 0;
let messages = 0;
let rowsIn = 0;
let ws: WebSocket | undefined;
let pendingAck: number | null = null;
let ackTimer: NodeJS.Timeout | undefined;

let lastAckFrame = -1;

/** Acks on the next 60 Hz frame boundary, at most once per boundary (like one rAF per frame). */
function scheduleAck(seq: number): void {
  pendingAck = seq;
  if (ackTimer) return;
  const t = performance.now();
  const frame = Math.max(Math.floor(t / FRAME_MS) + 1, lastAckFrame + 1);
  ackTimer = setTimeout(() => {
    ackTimer = undefined;
    lastAckFrame = frame;
    if (pendingAck !== null && ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'frame-ack', seq: pendingAck, frameTime: fromPerformance(frame * FRAME_MS) }));
    pendingAck = null;
  }, Math.max(0, frame * FRAME_MS - t));
}

serveRpc({
  connect: ({ url }: { url: string }) =>
    new Promise<void>((resolve, reject) => {
      const u = new URL(url);
      const socketUrl = `ws://${u.host}/api?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`;
      ws = new WebSocket(socketUrl);
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.on('message', (data: Buffer) => {
        const at = now();
        messages++;
        const m = JSON.parse(data.toString()) as ToRenderer;
        if (m.type === 'hello') for (const r of m.rows) rows.set(r.key, r);
        if (m.type !== 'frame') return;
        frames++;
        for (const r of m.rows) {
          rows.set(r.key, r);
          rowsIn++;
          if (r.receivedAt > 0) latencies.push(at - r.receivedAt);
        }
        scheduleAck(m.seq);
      });
    }),
  stats: () => {
    const cpu = process.cpuUsage();
    return { frames, messages, rowsIn, rows: rows.size, withData: [...rows.values()].filter((r) => r.receivedAt > 0).length, cpuMs: (cpu.user + cpu.system) / 1000 };
  },
  /** Returns and clears the latency samples collected so far. */
  takeLatencies: () => {
    const out = latencies;
    latencies = [];
    return out;
  },
  rows: () => [...rows.values()],
  stop: () => {
    ws?.terminate();
    setImmediate(() => process.exit(0));
  },
});
