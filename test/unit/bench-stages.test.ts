import { describe, expect, it } from 'vitest';
import type { Reporter } from '../../bench/stages/context';
import { idleWatchlist, reportIdle, type IdleResult } from '../../bench/stages/idle';
import { parseVoluntarySwitches } from '../../bench/procfs';
import { reportStorm, type StormResult } from '../../bench/stages/storm';
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
    trades: { sent: 1000, delivered: 1000, shed: undefined }, rows: 384, rowsLive: 384, liveAfterCalmMs: 763, liveWaitLimitMs: 60_000, drainedQuietly: true,
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

  it('a p99 that was not measured is an ERROR', () => {
    const { rows, report } = collect();
    reportStorm({ ...calm, latencyEngineMs: summarize([]), latencySeen: 0 }, report, noCeiling);
    expect(byFigure(rows, 'p99')).toMatchObject({ status: 'ERROR' });
  });
});

describe('idle report', () => {
  const quiet: IdleResult = {
    seconds: 30, rows: 6, leftOut: 2, ratePerStream: 4, hostCpuMs: 150, streamingCpuMs: 150, restarts: 0, hostAndStreamingCore: 0.01,
    emptyRendererCore: 0.02, appRendererCore: 0.015, framesSentPerS: 4, wakeupsPerS: { host: 20, streaming: 12.5, renderer: 30 }, hostRssBytes: 60e6, streamingRssBytes: 90e6, bare: { rssBytes: 75e6, loaded: 'ccxt pro binance module only' }, bareError: undefined,
  };

  it('judges CPU of one core, renderer above the empty page and RSS against the bare process', () => {
    const { rows, report } = collect();
    reportIdle(quiet, report);
    expect(byFigure(rows, 'host + streaming')).toMatchObject({ status: 'PASS', value: '1.00% (host 150 ms, streaming 150 ms; frames sent 4.00/s)' });
    // below the empty page is noise: zero, a PASS
    expect(byFigure(rows, 'renderer')).toMatchObject({ status: 'PASS' });
    expect(byFigure(rows, 'RSS')).toMatchObject({ status: 'PASS', value: '85.8 MB vs 71.5 MB (ccxt pro binance module only) = ×1.20; host 57.2 MB' });
    // wake-ups are a figure to compare runs by, not judged
    expect(byFigure(rows, 'wake-ups')).toMatchObject({ value: 'host 20.00, streaming 12.50, renderer 30.00' });
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
