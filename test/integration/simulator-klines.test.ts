// Candles from the simulator's own trades, seen by the unmodified ccxt:
// fetchOHLCV (REST /klines) equals candles computed from the trades, and
// watchOHLCV (<symbol>@kline_<interval>) keeps its last candle updated and equal.
import { describe, expect, it } from 'vitest';
import { binance, errors, sleep, startSim, useSimulator } from './simulator-ccxt-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt is untyped where it matters here */
useSimulator();

/** Candles [t, o, h, l, c, v] computed from ccxt trades, oldest first. */
function candlesOf(trades: any[], ms: number): number[][] {
  const out: number[][] = [];
  for (const t of trades) {
    const open = t.timestamp - (t.timestamp % ms);
    const last = out[out.length - 1];
    if (!last || last[0] !== open) out.push([open, t.price, t.price, t.price, t.price, t.amount]);
    else {
      last[2] = Math.max(last[2]!, t.price);
      last[3] = Math.min(last[3]!, t.price);
      last[4] = t.price;
      last[5] = last[5]! + t.amount;
    }
  }
  return out;
}

function expectCandles(got: number[][], want: number[][]): void {
  expect(got.map((k) => k.slice(0, 5))).toEqual(want.map((k) => k.slice(0, 5)));
  for (let i = 0; i < want.length; i++) expect(got[i]![5]).toBeCloseTo(want[i]![5]!, 8);
}

describe('klines', () => {
  it('fetchOHLCV equals candles computed from the trades, for 1s, 1m and 1d, with since and limit', async () => {
    const s = await startSim({ ratePerSymbol: 40 });
    const ex = binance(s);
    const end = Date.now() + 2500;
    while (Date.now() < end) await ex.watchTrades('BTC/USDT');
    s.setRate(0);
    await sleep(50);
    const trades = await ex.fetchTrades('BTC/USDT', undefined, 1000);
    expect(trades.length).toBeGreaterThan(60);
    expect(trades.length).toBeLessThan(1000); // every trade since the market was created
    for (const [tf, ms] of [['1s', 1000], ['1m', 60_000], ['1d', 86_400_000]] as const) {
      const want = candlesOf(trades, ms);
      const got = await ex.fetchOHLCV('BTC/USDT', tf, undefined, 1000);
      expectCandles(got, want);
    }
    const oneSecond = candlesOf(trades, 1000);
    expect(oneSecond.length).toBeGreaterThanOrEqual(3);
    expectCandles(await ex.fetchOHLCV('BTC/USDT', '1s', oneSecond[1]![0], 2), oneSecond.slice(1, 3));
    expectCandles(await ex.fetchOHLCV('BTC/USDT', '1s', undefined, 2), oneSecond.slice(-2));
    const raw = (await ex.publicGetKlines({ symbol: 'BTCUSDT', interval: '1s', limit: 1 })) as unknown[][];
    const last = trades.filter((t: any) => t.timestamp >= oneSecond[oneSecond.length - 1]![0]!);
    expect(raw[0]![6]).toBe(Number(raw[0]![0]) + 999); // close time
    expect(raw[0]![8]).toBe(last.length); // trade count
    const takerBuy = last.filter((t: any) => t.side === 'buy').reduce((a: number, t: any) => a + t.amount, 0);
    expect(Number(raw[0]![9])).toBeCloseTo(takerBuy, 8);
  });

  it('watchOHLCV: the last candle updates with every trade; each candle ccxt holds equals the REST kline', async () => {
    const s = await startSim({ ratePerSymbol: 20 });
    const ex = binance(s);
    s.record(true);
    const lasts: number[][] = [];
    const end = Date.now() + 2300;
    while (Date.now() < end) {
      const candles: number[][] = await ex.watchOHLCV('ETH/USDT', '1s');
      lasts.push([...candles[candles.length - 1]!]);
    }
    expect(Object.keys(s.view().streams)).toEqual(['ethusdt@kline_1s']);
    s.setRate(0);
    await sleep(100);
    const stored: number[][] = ex.ohlcvs['ETH/USDT']['1s'];
    expect(stored.length).toBeGreaterThanOrEqual(2);
    // the open candle changed while it was open (volume grows with each trade)
    const firstOpen = lasts.filter((k) => k[0] === lasts[lasts.length - 1]![0]);
    for (let i = 1; i < firstOpen.length; i++) expect(firstOpen[i]![5]).toBeGreaterThan(firstOpen[i - 1]![5]!);
    const rest = await ex.fetchOHLCV('ETH/USDT', '1s', stored[0]![0], 1000);
    const byOpen = new Map(rest.map((k: number[]) => [k[0], k]));
    for (const k of stored) expect(k, `candle ${k[0]}`).toEqual(byOpen.get(k[0]));
    // every candle that closed got its final update (x: true) before the next one opened
    const events = s.sent('ethusdt@kline_1s') as Array<{ k: { t: number; x: boolean; L: number } }>;
    for (let i = 1; i < events.length; i++) {
      if (events[i]!.k.t !== events[i - 1]!.k.t) expect(events[i - 1]!.k.x, `final update of ${events[i - 1]!.k.t}`).toBe(true);
    }
    expect(events.filter((e) => e.k.x).length).toBe(stored.length - 1);
  });

  it('REST klines validate interval, symbol and times like Binance', async () => {
    const s = await startSim({ ratePerSymbol: 0 });
    const get = async (q: string): Promise<{ status: number; body: any }> => {
      const r = await fetch(`${s.urls.rest}/klines?${q}`);
      return { status: r.status, body: await r.json() };
    };
    expect(await get('symbol=BTCUSDT&interval=3m')).toMatchObject({ status: 400, body: { code: -1120 } });
    expect(await get('symbol=BTCUSDT')).toMatchObject({ status: 400, body: { code: -1102 } });
    expect(await get('symbol=NOPE&interval=1m')).toMatchObject({ status: 400, body: { code: -1121 } });
    expect(await get('symbol=BTCUSDT&interval=1m&startTime=x')).toMatchObject({ status: 400, body: { code: -1100 } });
    const warm = await get('symbol=BTCUSDT&interval=1d');
    expect(warm.status).toBe(200);
    // a new market's warm-up trades are its first candles (nothing before the market existed)
    expect(warm.body.reduce((n: number, k: unknown[]) => n + (k[8] as number), 0)).toBe(20);
    const ex = binance(s);
    await expect(ex.fetchOHLCV('BTC/USDT', '3m')).rejects.toBeInstanceOf(errors.BadRequest);
  });
});
