// The candle service with the unmodified ccxt against the simulator: history
// equals the simulator's klines, the last candle updates live (kline stream, and
// built from trades for 1s), and after the sockets are dropped the repaired
// candles equal the simulator's klines again. A silent chart on a quiet market is
// vouched for over REST; one whose stream stalled is redialled and repaired.
import { describe, expect, it } from 'vitest';
import { candleKeyId, type CandleKey, type CandleMessage, type Timeframe } from '../../shared/contract/candles';
import { parseCandleMessage } from '../../shared/contract/streaming-protocol';
import { Owner } from '../../shared/lifecycle/owner';
import { systemScheduler } from '../../shared/lifecycle/timers';
import { CandleService } from '../../electron/streaming/candles/candle-service';
import type { OhlcvSource } from '../../electron/streaming/candles/candle-feed';
import { ohlcvSourceOf } from '../../electron/streaming/candles/ohlcv-source';
import { ChartData } from '../../renderer/src/chart/chart-data';
import { binance, sleep, startSim, useSimulator } from './simulator-ccxt-helpers';
import { until } from '../support/until';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt is untyped where it matters here */
useSimulator();

function harness(ex: any, askAfterMs?: number, wrap: (source: OhlcvSource) => OhlcvSource = (source) => source) {
  const owner = new Owner('candles-test');
  const got: CandleMessage[] = [];
  // What a chart would hold, applying every message as the renderer does.
  const view = new ChartData();
  const redials: string[] = [];
  const source: OhlcvSource = wrap(ohlcvSourceOf(ex, () => Promise.resolve(), (symbol, sockets) => redials.push(`${symbol} on ${sockets}`)));
  const svc = new CandleService({
    owner,
    scheduler: systemScheduler,
    clock: Date.now,
    sourceFor: (id) => (id === 'sim' ? source : undefined),
    post: (m) => {
      const parsed = parseCandleMessage(m); // what the engine would accept
      if (!parsed.ok) throw new Error(parsed.error);
      got.push(m);
      view.apply(m);
    },
    options: { history: 1000, repair: 50, pageSize: 1000, retryMs: 100, ...(askAfterMs !== undefined ? { askAfterMs } : {}) },
  });
  return { owner, got, svc, view, redials };
}

const rows = (candles: { t: number; o: number; h: number; l: number; c: number; v: number }[]) => candles.map((k) => [k.t, k.o, k.h, k.l, k.c, k.v]);

/**
 * Candles equal the exchange's klines: times and prices exactly; volumes to 1e-9, since a
 * candle built from trades sums their sizes in floating point (0.1 + 0.04489 is not
 * 0.14489 to the last bit) while the exchange sums exact decimals.
 */
function expectSameCandles(actual: number[][], klines: number[][]): void {
  expect(actual.map((r) => r.slice(0, 5))).toEqual(klines.map((r) => r.slice(0, 5)));
  actual.forEach((r, i) => expect(r[5], `volume of candle ${r[0]}`).toBeCloseTo(klines[i]![5]!, 9));
}

async function klines(ex: any, symbol: string, tf: Timeframe): Promise<number[][]> {
  return (await ex.fetchOHLCV(symbol, tf, undefined, 1000)).map((r: number[]) => r.slice(0, 6));
}

describe('candle service against the simulator', () => {
  for (const tf of ['1m', '1s'] as const) {
    it(`${tf}: history equals the klines, the last candle updates live, and after a drop the repaired candles equal the klines again`, async () => {
      const s = await startSim({ ratePerSymbol: 30 });
      const ex = binance(s);
      const { owner, got, svc, view } = harness(ex);
      const key: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: tf };
      view.listen(key, () => undefined);
      expect(svc.openFor(key, 'chart-1')).toBe(true);
      expect(svc.openFor({ ...key, exchange: 'nope' }, 'chart-1')).toBe(false);
      await until(() => got.some((m) => m.type === 'candle-history'), 'history', 5000);
      const first = got.find((m) => m.type === 'candle-history')!;
      expect(first.type === 'candle-history' && first.repaired).toBe(undefined);
      // live: updates arrive and the open candle's volume grows
      await until(() => got.filter((m) => m.type === 'candle-update').length >= 5, 'live updates', 5000);
      const feed = svc.feed(key)!;
      expect(feed.state).toBe('live');
      // quiesce, let the last events arrive, then compare with the exchange's klines
      s.setRate(0);
      await sleep(300);
      expectSameCandles(rows(feed.series.snapshot()), await klines(ex, 'BTC/USDT', tf));
      // coalesced updates lose nothing: a chart holds the same (closed candles' final trades included)
      expectSameCandles(rows(view.get(key)!.candles), await klines(ex, 'BTC/USDT', tf));

      // drop every socket while trades go on; the feed says it is reconnecting, then repairs
      s.setRate(30);
      s.fault({ kind: 'drop', code: 1006 });
      await until(() => got.some((m) => m.type === 'candle-state' && m.state === 'reconnecting'), 'reconnecting', 5000);
      await until(() => got.some((m) => m.type === 'candle-history' && m.repaired !== undefined), 'repair', 10_000);
      expect(feed.repairs).toBeGreaterThanOrEqual(1);
      const before = got.length;
      await until(() => got.slice(before).some((m) => m.type === 'candle-update'), 'live after repair', 5000);
      s.setRate(0);
      await sleep(300);
      expectSameCandles(rows(feed.series.snapshot()), await klines(ex, 'BTC/USDT', tf));
      expectSameCandles(rows(view.get(key)!.candles), await klines(ex, 'BTC/USDT', tf));
      expect(view.get(key)!.repaired).toBeGreaterThanOrEqual(0);
      svc.closeFor(key, 'chart-1');
      expect(svc.consumers()).toEqual({});
      await owner.close(2000);
    }, 30_000);
  }

  it('reference-counts consumers: one feed per series, stopped with its last consumer; a late consumer gets the history', async () => {
    const s = await startSim({ ratePerSymbol: 10 });
    const ex = binance(s);
    const { owner, got, svc } = harness(ex);
    const key: CandleKey = { exchange: 'sim', symbol: 'ETH/USDT', timeframe: '5m' };
    svc.openFor(key, 'a');
    await until(() => got.some((m) => m.type === 'candle-history'), 'history', 5000);
    const histories = got.filter((m) => m.type === 'candle-history').length;
    svc.openFor(key, 'b');
    expect(got.filter((m) => m.type === 'candle-history').length).toBe(histories + 1);
    expect(svc.consumers()).toEqual({ [candleKeyId(key)]: ['a', 'b'] });
    svc.closeFor(key, 'a');
    expect(svc.feed(key)).toBeDefined();
    svc.closeFor(key, 'b');
    expect(svc.feed(key)).toBeUndefined();
    const after = got.length;
    await sleep(300);
    expect(got.length).toBe(after); // nothing more from a closed series
    expect(owner.counts()).toEqual({});
    await owner.close(2000);
  }, 20_000);

  it('a quiet market: the silent chart is vouched for over REST and stays live; a stalled kline stream is redialled and its candles repaired', async () => {
    const s = await startSim({ ratePerSymbol: 30 });
    const ex = binance(s);
    const { owner, got, svc, view, redials } = harness(ex, 400);
    const key: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' };
    view.listen(key, () => undefined);
    svc.openFor(key, 'chart-1');
    await until(() => got.filter((m) => m.type === 'candle-update').length >= 3, 'live updates', 5000);
    const feed = svc.feed(key)!;

    // quiet: nothing trades; the chart is asked about and found whole, again and again, and never reconnects
    s.setRate(0);
    const quietFrom = got.length;
    await until(() => got.slice(quietFrom).filter((m) => m.type === 'candle-state' && m.quietAt !== undefined).length >= 2, 'two quiet answers', 5000);
    expect(got.slice(quietFrom).filter((m) => m.type === 'candle-state' && m.state !== 'live')).toEqual([]);
    expect(view.get(key)!.quietAt).toBeGreaterThan(view.get(key)!.receivedAt);
    expect(redials).toEqual([]);

    // stalled: the market trades on while the stream sends nothing; the chart is redialled and repaired
    s.setRate(30);
    s.fault({ kind: 'silence', durationMs: 3000 });
    const stallFrom = got.length;
    await until(() => got.slice(stallFrom).some((m) => m.type === 'candle-state' && m.state === 'reconnecting' && /missed candles/.test(m.error ?? '')), 'redialled', 8000);
    expect(redials[0]).toBe('BTC/USDT on 1');
    await until(() => got.slice(stallFrom).some((m) => m.type === 'candle-history' && m.repaired !== undefined), 'repaired', 8000);
    // once the feed flows again, its candles and the chart's equal the exchange's klines
    await until(() => feed.state === 'live' && got.slice(-1)[0]!.type === 'candle-update', 'live again', 10_000);
    s.setRate(0);
    await sleep(300);
    expectSameCandles(rows(feed.series.snapshot()), await klines(ex, 'BTC/USDT', '1m'));
    expectSameCandles(rows(view.get(key)!.candles), await klines(ex, 'BTC/USDT', '1m'));
    svc.closeFor(key, 'chart-1');
    await owner.close(2000);
  }, 30_000);

  it('klines that came while no watch waited are taken from ccxt\'s cache when the market goes quiet, not taken for missed ones', async () => {
    const s = await startSim({ ratePerSymbol: 30 });
    const ex = binance(s);
    // ccxt resolves only a watch already waiting; the feed's next watch is held here
    let gate: Promise<void> | undefined;
    let open = () => undefined as void;
    const { owner, got, svc, view, redials } = harness(ex, 400, (source) => ({
      ...source,
      watchOHLCV: async (symbol, tf) => (await gate, source.watchOHLCV(symbol, tf)),
    }));
    const key: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' };
    view.listen(key, () => undefined);
    svc.openFor(key, 'chart-1');
    await until(() => got.filter((m) => m.type === 'candle-update').length >= 3, 'live updates', 5000);
    const feed = svc.feed(key)!;
    gate = new Promise<void>((resolve) => (open = resolve));
    const held = got.length;
    await until(() => got.length > held, 'the update the watch before the gate resolved', 2000);
    // the stream goes on into ccxt's cache, then the market stops: no message resolves the next watch
    await sleep(150);
    s.setRate(0);
    await sleep(50);
    open();
    gate = undefined;
    const quietFrom = got.length;
    await until(() => got.slice(quietFrom).some((m) => m.type === 'candle-state' && m.quietAt !== undefined), 'a quiet answer', 5000);
    expect(got.slice(quietFrom).filter((m) => m.type === 'candle-state' && m.state !== 'live')).toEqual([]);
    expect(redials).toEqual([]);
    expectSameCandles(rows(feed.series.snapshot()), await klines(ex, 'BTC/USDT', '1m'));
    expectSameCandles(rows(view.get(key)!.candles), await klines(ex, 'BTC/USDT', '1m'));
    svc.closeFor(key, 'chart-1');
    await owner.close(2000);
  }, 20_000);
});
