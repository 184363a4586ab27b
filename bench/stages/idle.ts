// Stage "idle": the default watchlist at the simulator's default rate, the page
// open in Chromium, nothing else happening. A desktop app watching six prices
// should cost almost nothing: host + streaming process CPU as a fraction of one
// core, and the renderer's CPU above an empty page in the same browser (Chromium
// costs something with any page open; that part is not ours).
//
// The default watchlist's simulated entries point at a simulator of the benchmark's
// (in its own process, so its CPU is not counted as the host's) that streams every
// trade, as an exchange and the app's own simulator do: the load stages' simulator
// streams one trade per market step, and the skipped ones are tape gaps the app
// recovers over REST, which an idle screen on a real exchange does not do. Entries
// on real exchanges are left out, so the benchmark sends nothing off this machine.
//
// The streams are put in phase before measuring. The simulator paces each stream
// from when it was subscribed (or from when the rate last changed), so the same code
// measured 4-6 frames/s in one run and 12-16 in another: six tickers due at the same
// moment leave in one socket read, one batch, one frame; six out of phase are six of
// each, and every process wakes six times as often. Which one a run got depended on
// whether the streaming process had subscribed before the rate was set, and when the
// page's ladder, tape and chart subscribed. In phase is what an exchange's timed
// streams do (Binance's @ticker every 1000 ms, @depth every 100 ms); the figures
// also give batches and frames per second, so a reader sees what was measured.
//
// Beside it, raw ccxt on the same streams (ccxt-worker, one process, in phase the same
// way, the same seconds): what watching these streams costs with no Foxtrot code at
// all. At this rate V8 never optimises ccxt's message handling, and each message wakes
// the process, so raw ccxt costs far more per message here than at its top rate.
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { cpuMs, mainThreadWakeups, rssBytes } from '../procfs';
import { CpuAccount, atMost, f2, int, mb, pct, ratio, ratioAtMost } from '../judge';
import type { HostStats, SimInfo, SimView } from '../protocol';
import { sleep, type Worker } from '../rpc';
import { DEFAULT_EXCHANGES, DEFAULT_WATCHLIST, SimulatorSettingsSchema, type WatchlistEntry } from '../../shared/settings';
import type { BenchContext, Reporter } from './context';
import { bareExchangeRss, type BareRss } from './footprint';

export const IDLE_TARGETS = { hostAndStreamingCore: 0.015, rendererAboveEmptyCore: 0.03, streamingRssVsBare: 1.3 } as const;

/** The default watchlist's entries on simulated exchanges, moved to the benchmark's "sim"; how many were left out. */
export function idleWatchlist(available: readonly string[]): { watchlist: WatchlistEntry[]; leftOut: number } {
  const simulated = new Set(DEFAULT_EXCHANGES.filter((e) => e.simulated && e.enabled).map((e) => e.id));
  const have = new Set(available);
  const watchlist = DEFAULT_WATCHLIST.filter((w) => simulated.has(w.exchange) && have.has(w.symbol)).map((w) => ({ ...w, exchange: 'sim' }));
  return { watchlist, leftOut: DEFAULT_WATCHLIST.length - watchlist.length };
}

export interface IdleResult {
  seconds: number;
  rows: number;
  leftOut: number;
  ratePerStream: number;
  hostCpuMs: number;
  streamingCpuMs: number;
  restarts: number;
  /** CPU time / wall time, as a fraction of one core. */
  hostAndStreamingCore: number;
  emptyRendererCore: number;
  appRendererCore: number;
  framesSentPerS: number;
  /** Messages and batches the host received from the streaming process per second, and the simulator's streams (ticker, book, trades, candles). */
  messagesInPerS: number;
  batchesInPerS: number;
  streams: number;
  /** Main-thread wake-ups per second (voluntary context switches): what idle costs, independent of the machine's load. */
  wakeupsPerS: { host: number; streaming: number; renderer: number };
  hostRssBytes: number;
  streamingRssBytes: number;
  bare: BareRss | undefined;
  bareError: string | undefined;
  /** Raw ccxt on the same streams: CPU as a fraction of one core, or why it was not measured. */
  rawCcxt: { core: number; streams: number } | { error: string };
}

/** CPU of the browser's renderer processes over `seconds`, as a fraction of one core. */
async function rendererCore(ctx: BenchContext, seconds: number): Promise<number> {
  const pids = ctx.rendererPids();
  const c0 = pids.reduce((a, p) => a + cpuMs(p), 0);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const c1 = pids.reduce((a, p) => a + cpuMs(p), 0);
  return ratio(c1 - c0, performance.now() - t0);
}

export async function runIdle(ctx: BenchContext, root: string): Promise<IdleResult> {
  const { quick } = ctx;
  const seconds = quick ? 3 : 30;
  const settle = quick ? 300 : 3000;
  const { sim, info } = await ctx.startEveryTradeSimulator();
  const { watchlist, leftOut } = idleWatchlist(info.symbols);
  const ratePerStream = SimulatorSettingsSchema.parse({}).ratePerSymbol;
  const browser = await ctx.getBrowser();

  // the bare-Node baseline runs beside the empty page: both are CPU-time figures, and a
  // process that only loads a module does not change what an empty page costs
  const bareRun = bareExchangeRss(root).then(
    (bare) => ({ bare, error: undefined }),
    (e: unknown) => ({ bare: undefined, error: e instanceof Error ? e.message : String(e) }),
  );

  // the same browser with an empty page: what any page costs
  const empty = await browser.newPage();
  let emptyRendererCore: number;
  try {
    await empty.goto('about:blank');
    await sleep(settle);
    emptyRendererCore = await rendererCore(ctx, seconds);
  } finally {
    await empty.close().catch(() => undefined);
  }

  await sim.call('setRate', { rate: 0 });
  const { host, url } = await ctx.startHost([], [], { watchlist, exchanges: [{ id: 'sim', ccxtId: 'binance', urls: { rest: info.urls.rest, ws: info.urls.ws } }] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await sim.call('setRate', { rate: ratePerStream });
    await page.goto(url, { timeout: 30_000 });
    // the page is showing data once the host has sent it frames
    for (let end = performance.now() + 30_000; performance.now() < end; await sleep(100)) {
      const s = await host.call<HostStats>('stats');
      if (s.renderers > 0 && s.framesSent > 0) break;
    }
    // every stream the page asked for (the focused instrument's book and trades, the chart's candles)
    const streams = await streamsOnceSteady(sim, quick);
    await putInPhase(sim, ratePerStream);
    await sleep(settle);
    const h0 = await host.call<HostStats>('stats');
    const streaming = new CpuAccount();
    streaming.sample(h0.streamingPid, cpuMs(h0.streamingPid));
    const pids = ctx.rendererPids();
    const r0 = pids.reduce((a, p) => a + cpuMs(p), 0);
    const hostPid = host.child.pid;
    const wake = (streamingPid: number | undefined) => ({ host: mainThreadWakeups(hostPid), streaming: mainThreadWakeups(streamingPid), renderer: pids.reduce((a, p) => a + mainThreadWakeups(p), 0) });
    const w0 = wake(h0.streamingPid);
    const t0 = performance.now();
    for (let end = t0 + seconds * 1000; performance.now() < end; ) {
      await sleep(Math.min(1000, Math.max(0, end - performance.now())));
      const pid = (await host.call<HostStats>('stats')).streamingPid;
      streaming.sample(pid, cpuMs(pid));
    }
    const wallMs = performance.now() - t0;
    const h1 = await host.call<HostStats>('stats');
    const r1 = pids.reduce((a, p) => a + cpuMs(p), 0);
    // a replaced streaming process has its own count: that figure is left out (restarts make the stage an ERROR anyway)
    const w1 = wake(h1.streamingPid);
    streaming.sample(h1.streamingPid, cpuMs(h1.streamingPid));
    const hostCpuMs = h1.cpuMs - h0.cpuMs;
    const streamingRssBytes = rssBytes(h1.streamingPid);
    await dumpTrace(browser, page, quick ? 1 : 10);
    const { bare, error: bareError } = await bareRun;
    await page.close().catch(() => undefined);
    await ctx.stopWorker(host);
    const rawCcxt = await rawCcxtIdle(ctx, sim, info, watchlist, ratePerStream, seconds, settle).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    return {
      rawCcxt,
      seconds: wallMs / 1000, rows: watchlist.length, leftOut, ratePerStream,
      hostCpuMs, streamingCpuMs: streaming.totalMs, restarts: h1.restarts - h0.restarts,
      hostAndStreamingCore: ratio(hostCpuMs + streaming.totalMs, wallMs),
      emptyRendererCore, appRendererCore: ratio(r1 - r0, wallMs),
      framesSentPerS: ratio(h1.framesSent - h0.framesSent, wallMs / 1000),
      messagesInPerS: ratio(h1.messagesIn - h0.messagesIn, wallMs / 1000),
      batchesInPerS: ratio(h1.batchesIn - h0.batchesIn, wallMs / 1000),
      streams,
      wakeupsPerS: {
        host: ratio(w1.host - w0.host, wallMs / 1000),
        streaming: h1.streamingPid === h0.streamingPid ? ratio(w1.streaming - w0.streaming, wallMs / 1000) : NaN,
        renderer: ratio(w1.renderer - w0.renderer, wallMs / 1000),
      },
      hostRssBytes: h1.rss, streamingRssBytes, bare, bareError,
    };
  } finally {
    await page.close().catch(() => undefined);
    await ctx.stopWorker(host);
    await ctx.stopWorker(sim);
  }
}

/** The simulator's stream count once it has held still (every subscription made). */
async function streamsOnceSteady(sim: Worker, quick: boolean): Promise<number> {
  let streams = 0;
  for (let end = performance.now() + 15_000, stableSince = performance.now(); performance.now() < end; await sleep(200)) {
    const n = (await sim.call<SimView>('view')).streams;
    if (n !== streams) [streams, stableSince] = [n, performance.now()];
    else if (performance.now() - stableSince >= (quick ? 300 : 1500)) break;
  }
  return streams;
}

/** Every stream due at the same moment from here on (see the top of this file). */
async function putInPhase(sim: Worker, ratePerStream: number): Promise<void> {
  await sim.call('setRate', { rate: 0 });
  await sim.call('setRate', { rate: ratePerStream });
}

/**
 * Raw ccxt watching what the idle screen streams: each row's channels, and the focused
 * row's (the first: nothing else was focused) trades, book and 1m candles for the
 * ladder, tape and chart. Put in phase like the app's streams, then measured as long.
 */
async function rawCcxtIdle(ctx: BenchContext, sim: Worker, info: SimInfo, watchlist: WatchlistEntry[], ratePerStream: number, seconds: number, settle: number): Promise<{ core: number; streams: number }> {
  const [focus] = watchlist;
  if (!focus) throw new Error('no simulated row to watch');
  await sim.call('setRate', { rate: 0 });
  const ccxt = ctx.fork('ccxt-idle', 'ccxt-worker.cjs');
  try {
    // each watch call is a ccxt instance of its own: one for the rows (one per channel set),
    // one for the focused row's panels, as the app's tick session and candle instance
    const rows = new Map<string, string[]>();
    for (const w of watchlist) rows.set(w.channels.join('+'), [...(rows.get(w.channels.join('+')) ?? []), w.symbol]);
    for (const [channels, symbols] of rows) await ccxt.call('watch', { symbols, channels: channels.split('+'), urls: info.urls }, 60_000);
    await ccxt.call('watch', { symbols: [focus.symbol], channels: ['trades', 'book', 'ohlcv'], urls: info.urls }, 60_000);
    await sim.call('setRate', { rate: ratePerStream });
    const streams = await streamsOnceSteady(sim, ctx.quick);
    await putInPhase(sim, ratePerStream);
    await sleep(settle);
    type Counts = { cpuMs: number; at: number };
    const c0 = await ccxt.call<Counts>('counts');
    await sleep(seconds * 1000);
    const c1 = await ccxt.call<Counts>('counts');
    return { core: ratio(c1.cpuMs - c0.cpuMs, c1.at - c0.at), streams };
  } finally {
    await sim.call('setRate', { rate: 0 }).catch(() => undefined);
    await ctx.stopWorker(ccxt);
  }
}

/**
 * FOXTROT_BENCH_IDLE_DUMP=<file>: after the measured window, a Chromium trace of the idle
 * page (its rendering steps and what woke it), to open in DevTools' Performance panel,
 * then a CPU profile of its main thread (<file>.cpuprofile).
 */
async function dumpTrace(browser: Browser, page: Page, seconds: number): Promise<void> {
  const file = process.env.FOXTROT_BENCH_IDLE_DUMP;
  if (!file) return;
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', ...(process.env.FOXTROT_BENCH_IDLE_INVALIDATIONS === '1' ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] });
  await sleep(seconds * 1000);
  writeFileSync(file, await browser.stopTracing());
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await sleep(seconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export function reportIdle(r: IdleResult, report: Reporter): void {
  const st = 'idle';
  report(st, 'load', `default watchlist: ${r.rows} simulated rows × ${r.ratePerStream}/s for ${f2(r.seconds)} s, page open; ${r.streams} simulator streams in phase (${r.leftOut} rows on real exchanges left out: no traffic off this machine)`);
  const restarted = r.restarts > 0 ? `; streaming process restarted ${r.restarts}× (its CPU is a lower bound)` : '';
  report(st, 'host + streaming process CPU, of one core', `${pct(r.hostAndStreamingCore)} (host ${int(r.hostCpuMs)} ms, streaming ${int(r.streamingCpuMs)} ms; messages in ${f2(r.messagesInPerS)}/s, of them batches ${f2(r.batchesInPerS)}/s, frames sent ${f2(r.framesSentPerS)}/s)${restarted}`,
    `≤ ${pct(IDLE_TARGETS.hostAndStreamingCore)}`, r.restarts > 0 ? 'ERROR' : atMost(r.hostAndStreamingCore, IDLE_TARGETS.hostAndStreamingCore));
  if ('core' in r.rawCcxt) {
    report(st, 'raw ccxt on the same streams (one process, no Foxtrot code), of one core', `${pct(r.rawCcxt.core)} (${r.rawCcxt.streams} simulator streams); host + streaming = ×${f2(ratio(r.hostAndStreamingCore, r.rawCcxt.core))} of it, the target ${pct(IDLE_TARGETS.hostAndStreamingCore)} = ×${f2(ratio(IDLE_TARGETS.hostAndStreamingCore, r.rawCcxt.core))}`);
  } else {
    report(st, 'raw ccxt on the same streams (one process, no Foxtrot code), of one core', `not measured: ${r.rawCcxt.error}`.slice(0, 200), '', 'ERROR');
  }
  const above = r.appRendererCore - r.emptyRendererCore;
  report(st, 'renderer CPU above an empty page, of one core', `${pct(above)} (app ${pct(r.appRendererCore)}, empty page ${pct(r.emptyRendererCore)})`,
    `≤ ${pct(IDLE_TARGETS.rendererAboveEmptyCore)}`,
    // below the empty page is within noise: count it as zero, but an unmeasured figure stays an ERROR
    Number.isFinite(above) ? atMost(Math.max(0, above), IDLE_TARGETS.rendererAboveEmptyCore) : 'ERROR');
  const w = r.wakeupsPerS;
  report(st, 'main-thread wake-ups per second (load-independent)', `host ${f2(w.host)}, streaming ${f2(w.streaming)}, renderer ${f2(w.renderer)}`);
  if (r.bare) {
    const x = ratio(r.streamingRssBytes, r.bare.rssBytes);
    report(st, 'streaming process RSS idle vs a bare Node that loaded the exchange class', `${mb(r.streamingRssBytes)} vs ${mb(r.bare.rssBytes)} (${r.bare.loaded}) = ×${f2(x)}; host ${mb(r.hostRssBytes)}`,
      `≤ ×${IDLE_TARGETS.streamingRssVsBare}`, ratioAtMost(x, IDLE_TARGETS.streamingRssVsBare));
  } else {
    report(st, 'streaming process RSS idle vs a bare Node that loaded the exchange class', `${mb(r.streamingRssBytes)}; baseline not measured: ${r.bareError ?? ''}`.slice(0, 200), `≤ ×${IDLE_TARGETS.streamingRssVsBare}`, 'ERROR');
  }
}
