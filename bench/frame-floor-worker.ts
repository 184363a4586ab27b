// The frame floor's two process hops (frame-floor.ts): the path a tick takes before the
// page, streaming process → main → renderer, with no Foxtrot code and no work on it.
//
// One file, two roles. As an RPC worker (the bench forks it) it plays main: it forks
// itself as the source, exactly as the headless host forks the streaming process
// (child_process.fork, serialization 'advanced'), and forwards each message the source
// posts to the pages connected to its WebSocket server, in the turn it arrives. The
// source ('source' in argv) plays the streaming process: a small batch every 0-5 ms,
// stamped when posted. Stamps travel on the receiver's clock: this process measures the
// source's offset over IPC before forwarding, and a page measures this process's over
// its socket (both as NTP does: the shortest round trip's midpoint).
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { clockOffset, type ClockSample } from './clock-offset';
import { MAX_GAP_MS, pingOf } from './frame-floor';
import { serveRpc } from './rpc';

const SOURCE = 'source';
/** Clock samples per offset. */
const PINGS = 10;

/** Epoch ms on a high-resolution clock (the same formula in every role, and in the page). */
const clock = (): number => performance.timeOrigin + performance.now();

type SourceIn = { cmd: 'ping'; n: number } | { cmd: 'start' };
type SourceOut = { type: 'pong'; n: number; t: number } | { type: 'ticks'; sentAt: number; keys: string[]; tickers: Float64Array };

/** Source role: answers pings, then posts a batch every 0-5 ms once started. */
function runSource(): void {
  let started = false;
  process.on('message', (m: SourceIn) => {
    if (m.cmd === 'ping') {
      process.send!({ type: 'pong', n: m.n, t: clock() } satisfies SourceOut);
      return;
    }
    if (started) return;
    started = true;
    const post = (): void => {
      // a batch of the streaming process's smallest common shape: a few tickers in columns
      process.send!({ type: 'ticks', sentAt: clock(), keys: ['sim|BTC/USDT', 'sim|ETH/USDT'], tickers: new Float64Array(20) } satisfies SourceOut);
      setTimeout(post, Math.random() * MAX_GAP_MS);
    };
    post();
  });
  process.on('disconnect', () => process.exit(0));
}

/** Source minus this process's clock, from PINGS round trips one at a time. */
async function sourceOffset(source: ChildProcess): Promise<number> {
  const samples: ClockSample[] = [];
  for (let n = 0; n < PINGS; n++) {
    const sentAt = clock();
    const t = await new Promise<number>((resolve) => {
      const on = (m: SourceOut): void => {
        if (m.type !== 'pong' || m.n !== n) return;
        source.off('message', on);
        resolve(m.t);
      };
      source.on('message', on);
      source.send({ cmd: 'ping', n } satisfies SourceIn);
    });
    samples.push({ sentAt, remote: t, receivedAt: clock() });
  }
  return clockOffset(samples);
}

interface Relay { source: ChildProcess; http: Server; wss: WebSocketServer }
let relay: Relay | undefined;

/** Forks the source, measures its clock, and serves pages; resolves with the port. */
async function open(): Promise<{ port: number }> {
  if (relay) throw new Error('the relay is already open');
  const source = fork(__filename, [SOURCE], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  relay = { source, http, wss };
  const offset = await sourceOffset(source);
  // a page asks {ping: n} to measure this clock; everything else goes one way, to the pages
  wss.on('connection', (ws) => ws.on('message', (data) => {
    const n = pingOf(String(data));
    if (n !== undefined) ws.send(`{"pong":${n},"t":${clock()}}`);
  }));
  source.on('message', (m: SourceOut) => {
    if (m.type !== 'ticks') return;
    const text = `{"t":${m.sentAt - offset}}`;
    for (const c of wss.clients) if (c.readyState === c.OPEN) c.send(text);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  source.send({ cmd: 'start' } satisfies SourceIn);
  return { port: (http.address() as AddressInfo).port };
}

/** Stops the source and the server; the pages' sockets are closed. */
async function close(): Promise<void> {
  const r = relay;
  relay = undefined;
  if (!r) return;
  r.source.kill();
  for (const c of r.wss.clients) c.terminate();
  await new Promise<void>((resolve) => r.wss.close(() => resolve()));
  await new Promise<void>((resolve) => r.http.close(() => resolve()));
}

if (process.argv[2] === SOURCE) runSource();
else {
  serveRpc({
    open,
    close,
    stop: () => void close().finally(() => setImmediate(() => process.exit(0))),
  });
}
