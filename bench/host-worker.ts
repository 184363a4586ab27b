// The headless host as the benchmark runs it: the terminal serve.ts runs
// (createHeadlessTerminal: Engine, renderer server, Node streaming child), plus an IPC channel through which the benchmark reads
// the engine's counters and queue depths and changes the watchlist. Everything is
// read through the engine's instrumentation hooks and public getters: nothing in the
// engine is patched, no private field is read.
import { createHeadlessTerminal } from '../electron/headless/headless-terminal';
import type { RendererClient } from '../electron/engine/renderer-link/renderer-link';
import type { WatchlistEntry } from '../shared/settings';
import { Owner } from '../shared/lifecycle/owner';
import { serveRpc } from './rpc';
import { Reservoir } from './stats';
import { now } from '../shared/clock';
import { R_RECEIVED_AT, T_RECEIVED_AT, TICKER_STRIDE, TRADE_STRIDE } from '../shared/contract/tick-batch';

const [configFile, dataDir] = process.argv.slice(2) as [string, string];
let messagesToRenderers = 0;

async function main(): Promise<void> {
  const counting = (client: RendererClient): RendererClient => ({
    id: client.id,
    send: (m) => {
      messagesToRenderers++;
      client.send(m);
    },
  });
  // bench --cpu-prof DIR: the streaming child writes its CPU profile there too (the host got the flags from bench).
  const profileDir = process.env.FOXTROT_BENCH_CPU_PROF;
  const streamingExecArgv = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const { engine, server } = await createHeadlessTerminal({ dataDir, configFile, wrapClient: counting, streamingExecArgv });
  const { url } = await server.listen('127.0.0.1', 0);
  await engine.start();

  // Socket → engine store: sampled as each batch is applied (the same clock the
  // streaming process stamped receivedAt with). A bounded uniform sample, so a long
  // storm neither grows it nor describes only its first seconds.
  const engineLatencies = new Reservoir(500_000);
  engine.instrumentation.onBatchApplied((batch) => {
    const t = now();
    for (let o = T_RECEIVED_AT; o < batch.tickers.length; o += TICKER_STRIDE) engineLatencies.add(t - batch.tickers[o]!);
    for (let o = R_RECEIVED_AT; o < batch.trades.length; o += TRADE_STRIDE) engineLatencies.add(t - batch.trades[o]!);
  });

  // Trades shed and counted by the streaming process (cumulative per subscription), as its statuses report them.
  let tradesShed = 0;
  engine.bus.on('status-changed', ({ subscriptions }) => {
    let n = 0;
    for (const sub of subscriptions) n += sub.tradesShed ?? 0;
    tradesShed = n;
  }, new Owner('bench status watch')); // lives as long as this worker

  const gc = (globalThis as { gc?: () => void }).gc;
  serveRpc({
    url: () => url,
    stats: () => {
      const { dirty, awaiting } = engine.instrumentation.rendererQueues();
      const socketBuffered = server.bufferedBytes;
      const sup = engine.instrumentation.streaming();
      const cpu = process.cpuUsage();
      return {
        at: now(),
        cpuMs: (cpu.user + cpu.system) / 1000,
        rss: process.memoryUsage().rss,
        streamingPid: sup.pid,
        supervisorState: sup.state,
        messagesIn: sup.messagesIn,
        messagesOut: sup.messagesOut,
        batchesIn: sup.batchesIn,
        ticksIn: sup.ticksIn,
        lostBatches: sup.lostBatches,
        restarts: sup.restarts,
        streamingTicksIn: sup.vitals?.ticksIn ?? 0,
        streamingTicksOut: sup.vitals?.ticksOut ?? 0,
        streamingTicksPending: sup.vitals?.ticksPending ?? 0,
        streamingVitalsAt: sup.vitals?.at ?? 0,
        streamingGc: sup.vitals?.gc ?? { count: 0, pauseMs: 0, maxPauseMs: 0 },
        streamingRss: sup.vitals?.rssBytes ?? 0,
        tickersApplied: engine.market.tickersApplied,
        tradesApplied: engine.market.tradesApplied,
        tradesShed,
        framesSent: engine.link.framesSent,
        messagesToRenderers,
        dirty,
        awaiting,
        socketBuffered,
        renderers: engine.link.clientCount,
      };
    },
    rows: () => engine.market.allRows(),
    setWatchlist: ({ watchlist }: { watchlist: WatchlistEntry[] }) => engine.updateSettings((s) => ({ ...s, watchlist })),
    gc: () => gc?.(),
    takeEngineLatencies: () => engineLatencies.take(),
    /** The same sample, with how many latencies it was drawn from. */
    takeEngineLatencySample: () => {
      const seen = engineLatencies.count;
      return { values: engineLatencies.take(), seen };
    },
    stop: () => engine.shutdown('benchmark'),
  });
  process.send?.({ event: 'ready' });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
