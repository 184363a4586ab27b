import { describe, expect, it } from 'vitest';
import type { Reporter } from '../../bench/stages/context';
import { idleWatchlist, reportIdle, type IdleResult } from '../../bench/stages/idle';
import { focusStepRate, frameTiming, reportScreen, screenPlan, tradePainted, type ScreenResult } from '../../bench/stages/screen';
import { parseVoluntarySwitches } from '../../bench/procfs';
import { reportStorm, type StormResult } from '../../bench/stages/storm';
import { reportBrokers, sameRate, type BrokerCost, type ClientRun } from '../../bench/stages/brokers';
import { summarize } from '../../bench/stats';
import { DEFAULT_WATCHLIST } from '../../shared/settings';

describe('idle stage watchlist', () => {
  it('is the default watchlist\'s simulated rows, moved to the benchmark\'s simulator; real exchanges are left out', () => {
    const { watchlist, leftOut } = idleWatchlist(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT', 'DOGE/USDT']);
    expect(watchlist.map((w) => `${w.exchange} ${w.symbol} ${w.channels.join('+')}`)).toEqual([
      'sim BTC/USDT ticker', 'sim ETH/USDT ticker', 'sim SOL/USDT ticker', 'sim BNB/USDT ticker', 'sim XRP/USDT ticker', 'sim ADA/USDT ticker',
    ]);
    expect(leftOut).toBe(DEFAULT_WATCHLIST.length - 6);
  });

  it('leaves out symbols the simulator does not serve, and counts them', () => {
    const { watchlist, leftOut } = idleWatchlist(['BTC/USDT']);
    expect(watchlist).toHaveLength(1);
    expect(leftOut).toBe(DEFAULT_WATCHLIST.length - 1);
  });
});

interface Row { stage: string; figure: string; value: string; target?: string; status: string; vs?: string }
function collect(): { rows: Row[]; report: Reporter } {
  const rows: Row[] = [];
  const report: Reporter = (stage, figure, value, target, verdict, vs) =>
    rows.push({ stage, figure, value, target, status: verdict === undefined ? 'INFO' : typeof verdict === 'boolean' ? (verdict ? 'PASS' : 'FAIL') : verdict, vs });
  return { rows, report };
}
const noCeiling = { rate: () => '', ms: () => '' };
const byFigure = (rows: Row[], part: string): Row => rows.find((r) => r.figure.includes(part))!;

describe('storm report', () => {
  const calm: StormResult = {
    capacityPerS: 19_172, capacitySource: 'highest sustained path rate (20k)', plan: { symbols: 384, perStream: 50, offered: 38_400 }, stormSeconds: 60, calmPerStream: 4,
    simSentPerS: 22_941, simSkipped: 155_087, deliveredPerS: 9_731, restarts: 0, latencyEngineMs: summarize([1, 2, 3, 100]), latencySeen: 4,
    trades: { sent: 1000, delivered: 1000, shed: undefined }, rows: 384, rowsLive: 384, liveAfterCalmMs: 763, liveWaitLimitMs: 60_000, drainedQuietly: true, memory: undefined,
  };

  it('passes a storm that was weathered', () => {
    const { rows, report } = collect();
    reportStorm(calm, report, noCeiling);
    expect(rows.filter((r) => r.status !== 'INFO').map((r) => r.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
  });

  it('fails restarts, an accounting gap and rows that never came back, with their figures', () => {
    const { rows, report } = collect();
    reportStorm({ ...calm, restarts: 4, trades: { sent: 726_025, delivered: 489_781, shed: undefined }, liveAfterCalmMs: NaN, rowsLive: 200, drainedQuietly: false }, report, noCeiling);
    expect(byFigure(rows, 'restarts')).toMatchObject({ value: '4', status: 'FAIL' });
    expect(byFigure(rows, 'trades')).toMatchObject({ status: 'FAIL', value: 'sent 726,025, delivered 489,781, shed: not reported by the streaming process; gap 236,244 (still receiving when counted)' });
    expect(byFigure(rows, 'live again')).toMatchObject({ status: 'FAIL', value: 'not within 60,000 ms: 200/384 rows live' });
  });

  it('shows the streaming process\'s RSS as the storm ends and once quiet, when measured (full runs)', () => {
    const quick = collect();
    reportStorm(calm, quick.report, noCeiling);
    expect(quick.rows.some((r) => r.figure.includes('RSS'))).toBe(false);
    const full = collect();
    reportStorm({ ...calm, memory: { stormEndBytes: 300e6, quietBytes: 120e6, quietSeconds: 15 } }, full.report, noCeiling);
    expect(byFigure(full.rows, 'RSS')).toMatchObject({ status: 'INFO', value: expect.stringMatching(/^286\.1 MB → 114\.4 MB after 15 s without ticks/) });
  });

  it('a p99 that was not measured is an ERROR', () => {
    const { rows, report } = collect();
    reportStorm({ ...calm, latencyEngineMs: summarize([]), latencySeen: 0 }, report, noCeiling);
    expect(byFigure(rows, 'p99')).toMatchObject({ status: 'ERROR' });
  });
});

describe('idle report', () => {
  const quiet: IdleResult = {
    seconds: 30, rows: 6, leftOut: 2, ratePerStream: 4, hostCpuMs: 150, streamingCpuMs: 150, restarts: 0, hostAndStreamingCore: 0.01,
    emptyRendererCore: 0.02, appRendererCore: 0.015, framesSentPerS: 4, messagesInPerS: 8.25, batchesInPerS: 4.5, streams: 9, wakeupsPerS: { host: 20, streaming: 12.5, renderer: 30 }, hostRssBytes: 60e6, streamingRssBytes: 90e6, bare: { rssBytes: 75e6, loaded: 'ccxt pro binance module only' }, bareError: undefined,
    rawCcxt: { core: 0.029, streams: 9 },
  };

  it('judges CPU of one core, renderer above the empty page and RSS against the bare process', () => {
    const { rows, report } = collect();
    reportIdle(quiet, report);
    expect(byFigure(rows, 'host + streaming')).toMatchObject({ status: 'PASS', value: '1.00% (host 150 ms, streaming 150 ms; messages in 8.25/s, of them batches 4.50/s, frames sent 4.00/s)' });
    // what was measured: the streams in phase, and how many
    expect(byFigure(rows, 'load').value).toContain('9 simulator streams in phase');
    // below the empty page is noise: zero, a PASS
    expect(byFigure(rows, 'renderer')).toMatchObject({ status: 'PASS' });
    expect(byFigure(rows, 'RSS')).toMatchObject({ status: 'PASS', value: '85.8 MB vs 71.5 MB (ccxt pro binance module only) = ×1.20; host 57.2 MB' });
    // wake-ups are a figure to compare runs by, not judged
    expect(byFigure(rows, 'wake-ups')).toMatchObject({ value: 'host 20.00, streaming 12.50, renderer 30.00' });
  });

  it('sets host + streaming beside raw ccxt on the same streams; raw ccxt not measured is an ERROR', () => {
    const { rows, report } = collect();
    reportIdle({ ...quiet, hostAndStreamingCore: 0.042 }, report);
    expect(byFigure(rows, 'raw ccxt')).toMatchObject({ status: 'INFO', value: '2.90% (9 simulator streams); host + streaming = ×1.45 of it, the target 1.50% = ×0.52' });
    const more = collect();
    reportIdle({ ...quiet, rawCcxt: { error: 'no simulated row to watch' } }, more.report);
    expect(byFigure(more.rows, 'raw ccxt')).toMatchObject({ status: 'ERROR', value: 'not measured: no simulated row to watch' });
  });

  it('reads wake-ups as the voluntary context switches of /proc status', () => {
    const status = 'Name:\tnode\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t123456\nnonvoluntary_ctxt_switches:\t789\n';
    expect(parseVoluntarySwitches(status)).toBe(123456);
    expect(parseVoluntarySwitches('Name:\tnode\n')).toBe(0);
  });

  it('fails what is over target; a restart or a missing baseline is an ERROR, not a figure', () => {
    const { rows, report } = collect();
    reportIdle({ ...quiet, hostAndStreamingCore: 0.055, appRendererCore: 0.167, restarts: 0, streamingRssBytes: 141e6 }, report);
    expect(byFigure(rows, 'host + streaming').status).toBe('FAIL');
    expect(byFigure(rows, 'renderer')).toMatchObject({ status: 'FAIL', value: '14.70% (app 16.70%, empty page 2.00%)' });
    expect(byFigure(rows, 'RSS').status).toBe('FAIL');
    const more = collect();
    reportIdle({ ...quiet, restarts: 1, bare: undefined, bareError: 'bare ccxt process exited 1' }, more.report);
    expect(byFigure(more.rows, 'host + streaming').status).toBe('ERROR');
    expect(byFigure(more.rows, 'RSS')).toMatchObject({ status: 'ERROR', value: '85.8 MB; baseline not measured: bare ccxt process exited 1' });
  });
});

describe('search stage', () => {
  it('builds a deterministic catalogue of the asked size and reports p50/p99 against the one-frame target', async () => {
    const { syntheticCatalogue, runSearch, reportSearch, SEARCH_P99_TARGET_MS } = await import('../../bench/stages/search');
    const a = syntheticCatalogue(5000);
    expect(a.reduce((n, c) => n + c.markets.length, 0)).toBe(5000);
    expect(syntheticCatalogue(5000)).toEqual(a);
    const r = runSearch(true);
    expect(r.markets).toBe(500);
    expect(r.keystrokes).toBeGreaterThan(0);
    const rows: string[] = [];
    reportSearch({ ...r, cpuMs: { ...r.cpuMs, p99: SEARCH_P99_TARGET_MS + 1 } }, false, (stage, figure, _v, target, verdict) => rows.push(`${stage}|${figure}|${target ?? ''}|${String(verdict)}`));
    expect(rows[1]).toBe(`search|CPU ms per keystroke p50/p99 (max)|p99 ≤ ${SEARCH_P99_TARGET_MS} ms|FAIL`);
    expect(rows[2]).toMatch(/^search\|wall ms per keystroke/);
  });
});

describe('screen stage', () => {
  it('spreads the focused trades over every stream of the symbol that steps its market', () => {
    const streams = ['btcusdt@ticker', 'btcusdt@trade', 'btcusdt@depth@100ms', 'btcusdt@kline_1m', 'ethusdt@ticker'];
    expect(focusStepRate(500, streams, 'btcusdt')).toEqual({ perStream: 125, stepping: ['btcusdt@depth@100ms', 'btcusdt@kline_1m', 'btcusdt@ticker', 'btcusdt@trade'] });
    expect(focusStepRate(500, [], 'btcusdt').perStream).toBe(500);
  });

  it('trades → painted takes the page clock\'s offset from the wall clock out (the exchange stamps on the wall clock)', () => {
    // the page's clock 60 ms behind the wall clock: painted at page 1,000 is wall 1,060
    const frames = [{ paintDoneAt: 1000, tradeTimeMin: 1020 }, { paintDoneAt: 1016, tradeTimeMin: null }, { paintDoneAt: 1032, tradeTimeMin: 1050 }];
    expect(tradePainted(frames, -60)).toEqual(summarize([40, 42]));
    expect(tradePainted(frames, 0)).toEqual(summarize([-20, -18]));
  });

  it('splits tickers → painted by hop and by whether the page kept the 60 Hz beat', () => {
    // painted at 0, 16.7 (on the beat), 50 (two beats missed), 66.7 (on the beat); each
    // frame's oldest row received 10 + i ms before, sent 6 ms before, applied 4 ms before
    // (the third: 1 ms after its frame began), painted 2 ms after the frame began
    const at = [0, 1000 / 60, 50, 200 / 3];
    const frames = at.map((paintedAt, i) => ({
      paintedAt, paintDoneAt: paintedAt + 2, receivedAtMin: paintedAt - 10 - i, rows: 3, sentAt: paintedAt - 6, appliedAt: paintedAt + (i === 2 ? 1 : -4),
    }));
    const t = frameTiming(frames);
    expect(t.hops).toEqual({ toSent: { p50: 5, p99: 7, n: 4 }, sentToApplied: { p50: 2, p99: 7, n: 4 }, appliedToPainted: { p50: 6, p99: 6, n: 4 } });
    expect(t.onBeat).toEqual({ p50: 13, p99: 15, n: 2 });
    expect(t.missedBeatShare).toBeCloseTo(1 / 3);
    expect(t.appliedLateShare).toBe(0.25);
    // a frame that painted no rows adds no latency, but its interval still counts; a frame without sentAt has no hops
    const quiet = frameTiming([frames[0]!, { ...frames[1]!, rows: 0 }, { ...frames[3]!, sentAt: NaN }]);
    expect(quiet.onBeat.n).toBe(0);
    expect(quiet.hops.toSent.n).toBe(1);
    expect(quiet.missedBeatShare).toBe(0.5);
  });

  const result: ScreenResult = {
    plan: screenPlan(false), seconds: 20, framesPainted: 1200, sent: { tradesPerS: 498, bookPerS: 9.9 }, focusStreams: ['btcusdt@trade'], chartCandles: 500,
    profile: { seconds: 5, frames: 300, msPerFrame: { chart: 0.4, ladder: 0.3, idle: 10 }, scriptMsPerFrame: 0.7 }, rendering: { seconds: 5, frames: 300, msPerFrame: { Layout: 2.5 } }, cpuSplitMs: { host: 1000, streaming: 2000 },
    scriptMs: summarize([1, 2, 3]), longTasksOver50: 0, longestTaskMs: 20, tickerPaintedMs: summarize([5]), bookPaintedMs: summarize([5]), tradePaintedMs: summarize([5]), pageClockOffsetMs: -60,
    timing: {
      hops: { toSent: { p50: 10, p99: 17.25, n: 100 }, sentToApplied: { p50: 4, p99: 14, n: 100 }, appliedToPainted: { p50: 5, p99: 18, n: 100 } },
      onBeat: { p50: 18, p99: 22, n: 75 }, missedBeatShare: 0.25, appliedLateShare: 0.3,
    },
    ticksPerS: 5400, foxCpuUsPerTick: 12, streamingReplaced: 0, rendererCpuMsPerS: 300, commitsPerS: 1,
    offeredPerS: 5400, foxCpuUsPerOffered: 24, ccxtSameLoad: { offeredPerS: 5300, cpuUsPerOffered: 20 },
    ipc: { toHostPerS: 400, toProcessPerS: 100 },
  };

  it('judges the load it offered against its plan, and the chart\'s share of the frame', () => {
    const { rows, report } = collect();
    reportScreen(result, 11, report, noCeiling);
    expect(byFigure(rows, 'load')).toMatchObject({ status: 'PASS' });
    expect(byFigure(rows, 'chart live update')).toMatchObject({ status: 'PASS', value: '0.40 (24.0 ms/s at 60.0 frames/s; chart open with 500 candles)' });
    expect(byFigure(rows, 'by part')).toMatchObject({ status: 'INFO', value: 'script 0.70: chart 0.40, ladder 0.30, idle 10.00 (300 frames in 5.0 s, profiled after the judged window)' });
    expect(byFigure(rows, 'same load')).toMatchObject({ status: 'PASS', value: '24.0 vs 20.0 = ×1.20 (offered 5,400/s; raw ccxt\'s run 5,300/s)' });
    expect(byFigure(rows, 'vs the ceiling')).toMatchObject({ status: 'INFO', value: '12.0 vs 11.0 = ×1.09 (5,400 ticks/s)' });
    expect(byFigure(rows, 'rendering steps')).toMatchObject({ value: 'Layout 2.50 (300 frames in 5.0 s, traced after the profile)' });
    expect(byFigure(rows, 'exchange (trades)').value).toContain('the page\'s clock was -60.0 ms from the wall clock the exchange stamps with; taken out');
    expect(byFigure(rows, 'by hop')).toMatchObject({
      status: 'INFO',
      value: 'socket → sent by main 10.0 / 17.3 (the send slot is 5 ms before the page\'s next frame), sent → applied in the page 4.0 / 14.0, applied → painted 5.0 / 18.0; '
        + 'frames on the 60 Hz beat 18.0 / 22.0 (75 frames); 25.0% of frame intervals longer than a beat; the update applied after its frame began in 30.0% of frames',
    });
  });

  it('sets the bare process boundary beside what the cost target leaves, per offered message; no row when not measured', () => {
    // 500 messages/s × 100 µs = 50 ms/s over 5,400 offered/s = 9.3 µs each, above 0.25 × 20 = 5 µs
    const floor = { batchesPerS: 400, acksPerS: 100, childControlMsPerS: 10, childSendingMsPerS: 30, hostMsPerS: 30, floorMsPerS: 50 };
    const { rows, report } = collect();
    reportScreen({ ...result, boundary: floor }, 11, report, noCeiling);
    expect(byFigure(rows, 'process boundary')).toMatchObject({
      status: 'INFO',
      value: '9.3 µs/offered message: 500 messages/s (batches 400, to the process 100) × 100.0 µs each (a bare child sent 400 batches/s, acked 100/s: child +20.0 ms/s, host 30.0 ms/s); the ×1.25 target leaves 5.0 µs/offered message beyond raw ccxt: the floor alone is above it',
    });
    const failed = collect();
    reportScreen({ ...result, boundary: { error: 'ipc-floor exited' } }, 11, failed.report, noCeiling);
    expect(byFigure(failed.rows, 'process boundary')).toMatchObject({ value: 'not measured: ipc-floor exited' });
    const none = collect();
    reportScreen(result, 11, none.report, noCeiling);
    expect(none.rows.some((r) => r.figure.includes('process boundary'))).toBe(false);
  });

  it('sets the frame floor beside the tickers\' latency; an ERROR when it was not measured or painted nothing; no row when not run', () => {
    const fig = (scriptMs: number, p99: number, frames = 300) => ({ scriptMs, frames, seconds: 5, p50: 15, p99, missedBeatShare: 0.02 });
    const { rows, report } = collect();
    reportScreen({ ...result, frameFloor: { page: fig(0, 17.5), relayed: fig(0, 19.2), relayedBudget: fig(4, 23.1) } }, 11, report, noCeiling);
    expect(byFigure(rows, 'frame floor')).toMatchObject({
      status: 'INFO',
      value: 'fed directly, receipt → painted: 15.0 / 17.5 (300 frames in 5.0 s, 2.0% of beats missed); '
        + 'through a bare child and a bare main process (the streaming process → main → renderer hops), source → painted: '
        + 'painting only 15.0 / 19.2 (300 frames in 5.0 s, 2.0% of beats missed), spending the script target\'s 4 ms in every frame first 15.0 / 23.1 (300 frames in 5.0 s, 2.0% of beats missed); '
        + 'the relayed painting-only floor leaves 1.5 ms of the 20.7 ms target at p99 for all the screen does in a frame; with the script target\'s 4 ms in every frame it is above the target',
    });
    // right after the tickers' own rows, so the two read together
    const i = rows.findIndex((r) => r.figure.includes('frame floor'));
    expect(rows[i - 1]!.figure).toContain('by hop');
    const failed = collect();
    reportScreen({ ...result, frameFloor: { error: 'floor socket failed' } }, 11, failed.report, noCeiling);
    expect(byFigure(failed.rows, 'frame floor')).toMatchObject({ status: 'ERROR', value: 'not measured: floor socket failed' });
    const blank = collect();
    reportScreen({ ...result, frameFloor: { page: fig(0, 17), relayed: fig(0, NaN, 0), relayedBudget: fig(4, NaN, 0) } }, 11, blank.report, noCeiling);
    expect(byFigure(blank.rows, 'frame floor')).toMatchObject({ status: 'ERROR' });
    const none = collect();
    reportScreen(result, 11, none.report, noCeiling);
    expect(none.rows.some((r) => r.figure.includes('frame floor'))).toBe(false);
  });

  it('fails a book offered at 15× its plan, a heavy chart; a chart with no data or no profile is an ERROR', () => {
    const { rows, report } = collect();
    reportScreen({ ...result, sent: { tradesPerS: 500, bookPerS: 150 }, profile: { ...result.profile!, msPerFrame: { chart: 1.3 } } }, 11, report, noCeiling);
    expect(byFigure(rows, 'load')).toMatchObject({ status: 'FAIL' });
    expect(byFigure(rows, 'chart live update')).toMatchObject({ status: 'FAIL' });
    const none = collect();
    reportScreen({ ...result, chartCandles: 0 }, 11, none.report, noCeiling);
    expect(byFigure(none.rows, 'chart live update')).toMatchObject({ status: 'ERROR', value: 'no chart with candles on the screen' });
    const other = collect();
    reportScreen({ ...result, ccxtSameLoad: { offeredPerS: 2000, cpuUsPerOffered: 20 } }, 11, other.report, noCeiling);
    expect(byFigure(other.rows, 'same load')).toMatchObject({ status: 'ERROR', target: '≤ ×1.25 at the same load' });
    const unprofiled = collect();
    reportScreen({ ...result, profile: undefined }, 11, unprofiled.report, noCeiling);
    expect(byFigure(unprofiled.rows, 'chart live update')).toMatchObject({ status: 'ERROR' });
  });
});

describe('broker adapters report', () => {
  const run = (cpuUsPerTick: number, sentPerS = 6000): ClientRun => ({ sentPerS, receivedPerS: 2000, cpuMs: 1000, cpuUsPerTick, batchesPerS: 200 });
  const cost = (adapter: ClientRun, bare: ClientRun, windowRatios: number[] = []): BrokerCost => ({ venue: 'ib', client: '@stoqey/ib IBApi', symbols: 5, adapter, bare, ratio: adapter.cpuUsPerTick / bare.cpuUsPerTick, windowRatios });

  it('prints both CPU figures, the ratio and raw ccxt beside, and judges ≤ ×1.25', () => {
    const { rows, report } = collect();
    reportBrokers([cost(run(12), run(10)), { ...cost(run(14), run(10)), venue: 'futu', client: 'futu-api' }], 11.4, report, noCeiling);
    expect(byFigure(rows, 'IB: CPU')).toMatchObject({
      status: 'PASS',
      value: '12.00 vs 10.00 = ×1.20 (stand-in sent 6,000/s vs 6,000/s, 5 instruments × ticker+trades, side by side; raw ccxt 11.4 µs/tick)',
    });
    expect(byFigure(rows, 'Futu: CPU')).toMatchObject({ status: 'FAIL', figure: 'Futu: CPU µs per tick, adapter vs bare futu-api' });
  });

  it('shows the spread of the windows beside the ratio over all of them, which alone is judged', () => {
    const { rows, report } = collect();
    reportBrokers([cost(run(12), run(10), [1.31, 1.12, 1.18])], 11.4, report, noCeiling);
    expect(byFigure(rows, 'IB: CPU')).toMatchObject({
      status: 'PASS',
      value: '12.00 vs 10.00 = ×1.20 (stand-in sent 6,000/s vs 6,000/s, 5 instruments × ticker+trades, side by side; 3 windows ×1.12–×1.31; raw ccxt 11.4 µs/tick)',
    });
  });

  it('a ratio that is not a positive finite number, or runs at different rates, is an ERROR', () => {
    const { rows, report } = collect();
    reportBrokers([cost(run(NaN), run(10)), cost(run(12, 6000), run(10, 3000))], NaN, report, noCeiling);
    expect(rows.filter((r) => r.figure.includes('CPU')).map((r) => r.status)).toEqual(['ERROR', 'ERROR']);
    expect(sameRate(run(1, 5200), run(1, 6000))).toBe(true);
    expect(sameRate(run(1, 0), run(1, 0))).toBe(false);
  });
});
