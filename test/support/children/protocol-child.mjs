// A stand-in for the streaming process that speaks its protocol (ready, heartbeats
// with progress and lag, a heavy stream of tick batches, shutdown) and misbehaves
// on purpose, so the supervisor's hang decision is tested against a real process:
//   'busy': blocks its event loop for 2 s, runs 0.5 s, blocks again, forever
//   'spin': after 0.5 s of normal work, an endless loop (a true hang); it starts once
//   its first heartbeat has left for the OS, so the supervisor always has a last
//   progress to name (queued behind the batches in a busy channel, a heartbeat sent
//   just before the loop would never leave the process)

const TICKERS_PER_BATCH = 200;
const TICKER_STRIDE = 10;

export function run(mode) {
  const startedAt = Date.now();
  const keys = Array.from({ length: TICKERS_PER_BATCH }, (_, i) => `sim|SYM${i}/USDT`);
  let seq = 0;
  let beats = 0;
  let lastBeatAt;
  const timers = [];

  /** `written`: called once the message has been handed to the OS. */
  const send = (m, written) => {
    if (process.connected) process.send(m, undefined, {}, written);
  };

  function batch() {
    const tickers = new Float64Array(TICKERS_PER_BATCH * TICKER_STRIDE);
    for (let i = 0; i < TICKERS_PER_BATCH; i++) {
      tickers[i * TICKER_STRIDE] = i;
      tickers[i * TICKER_STRIDE + 1] = 100 + Math.random();
    }
    send({ type: 'ticks', seq: seq++, sentAt: performance.now(), keys, tickers, trades: new Float64Array(0), tradeIds: [], books: [], gaps: [], candles: [] });
  }

  function spinForever() {
    for (;;) {
      /* never returns */
    }
  }

  function heartbeat(periodMs) {
    const now = Date.now();
    const lagMs = lastBeatAt === undefined ? 0 : Math.max(0, now - lastBeatAt - periodMs);
    lastBeatAt = now;
    const mem = process.memoryUsage();
    const first = beats === 0;
    send({
      type: 'heartbeat',
      progress: ++beats,
      lagMs,
      vitals: {
        pid: process.pid,
        at: performance.now(),
        uptimeMs: now - startedAt,
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        eventLoopDelayMs: { p50: 0, p99: lagMs },
        tasks: {},
        handlers: 0,
        ticksIn: seq * TICKERS_PER_BATCH,
        ticksOut: seq * TICKERS_PER_BATCH,
        ticksPending: 0,
        batchesOut: seq,
      },
    }, mode === 'spin' && first ? () => setImmediate(spinForever) : undefined);
  }

  function block(ms) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      /* the event loop is busy */
    }
  }

  function burst() {
    block(2000);
    timers.push(setTimeout(burst, 500));
  }

  process.on('message', (m) => {
    if (m.type === 'configure') {
      timers.push(setInterval(() => heartbeat(m.heartbeatMs), m.heartbeatMs));
      // Heavy traffic: a 16 KB batch every 2 ms while the loop runs.
      timers.push(setInterval(batch, 2));
      if (mode === 'busy') timers.push(setTimeout(burst, 200));
    } else if (m.type === 'shutdown') {
      for (const t of timers) clearTimeout(t);
      send({ type: 'shutdown-report', report: { clean: true, durationMs: 0, leftoverTasks: {}, steps: [] } });
      setTimeout(() => process.exit(0), 20);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', pid: process.pid });
}

