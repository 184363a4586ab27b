// The tape: trades-pause leaves a gap in trade ids on the stream, and the REST
// history ccxt's fetchTrades reads (aggTrades with fromId or since, and
// historicalTrades) returns exactly the missing trades.
import { describe, expect, it } from 'vitest';
import { binance, errors, startSim, useSimulator } from './simulator-ccxt-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt is untyped where it matters here */
useSimulator();

/** Watches trades until one arrives more than one id after the previous one; returns the trades around the gap. */
async function untilGap(ex: any, symbol: string, seen: any[]): Promise<{ before: any; after: any }> {
  for (let i = 0; i < 200; i++) {
    for (const t of await ex.watchTrades(symbol)) {
      const prev = seen[seen.length - 1];
      seen.push(t);
      if (prev && Number(t.id) > Number(prev.id) + 1) return { before: prev, after: t };
    }
  }
  throw new Error('no gap in trade ids');
}

describe('trades-pause and the REST trade history', () => {
  it('the trade stream carries every trade of its symbol, those of other streams\' steps too: no gaps in ids', async () => {
    const s = await startSim({ ratePerSymbol: 25 });
    const ex = binance(s);
    s.record(true);
    await Promise.all([ex.watchTicker('SOL/USDT', { name: 'ticker' }), ex.watchOrderBook('SOL/USDT')]);
    const seen: any[] = [];
    while (seen.length < 40) seen.push(...(await ex.watchTrades('SOL/USDT')));
    for (let i = 1; i < seen.length; i++) expect(Number(seen[i].id)).toBe(Number(seen[i - 1].id) + 1);
    // the ticker and depth streams stepped the market too: more trades than trade-stream messages' own steps
    expect(s.sent('solusdt@ticker').length).toBeGreaterThan(3);
    const rest = await ex.fetchTrades('SOL/USDT', undefined, seen.length, { fromId: seen[0].id });
    expect(rest.map((t: any) => [t.id, t.price, t.amount, t.side, t.timestamp])).toEqual(seen.map((t: any) => [t.id, t.price, t.amount, t.side, t.timestamp]));
  });

  it('the view names the newest trade each trade stream has streamed; REST history may be ahead of it by other streams\' steps', async () => {
    const s = await startSim({ ratePerSymbol: 25 });
    const ex = binance(s);
    s.record(true);
    await Promise.all([ex.watchTicker('SOL/USDT', { name: 'ticker' }), ex.watchOrderBook('SOL/USDT')]);
    while ((await ex.watchTrades('SOL/USDT')).length === 0);
    s.setRate(0);
    const streamed = s.sent('solusdt@trade').map((m) => (m as { t: number }).t);
    const last = s.view().lastTradeIds['solusdt@trade'];
    expect(last).toBe(streamed.at(-1));
    const rest = await ex.fetchTrades('SOL/USDT', undefined, 50);
    expect(Number(rest.at(-1).id)).toBeGreaterThanOrEqual(last!);
  });

  it('everyTrade: false sends one trade per message of the stream itself (ids skip other streams\' steps)', async () => {
    const s = await startSim({ ratePerSymbol: 25, everyTrade: false });
    const ex = binance(s);
    await ex.watchTicker('SOL/USDT', { name: 'ticker' });
    const seen: any[] = [];
    while (seen.length < 20) seen.push(...(await ex.watchTrades('SOL/USDT')));
    const skips = seen.slice(1).filter((t: any, i: number) => Number(t.id) > Number(seen[i].id) + 1);
    expect(skips.length).toBeGreaterThan(0);
  });

  it('the stream skips the paused trades; fetchTrades with fromId and with since returns exactly the missing ids', async () => {
    const s = await startSim({ ratePerSymbol: 25 });
    const ex = binance(s);
    await ex.watchTicker('ETH/USDT', { name: 'ticker' }); // another stream stepping the market during the pause
    const seen: any[] = [];
    while (seen.length < 10) seen.push(...(await ex.watchTrades('ETH/USDT')));
    for (let i = 1; i < seen.length; i++) expect(Number(seen[i].id)).toBe(Number(seen[i - 1].id) + 1);
    s.fault({ kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 400 });
    expect(s.activeFaults()).toEqual([{ kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 400 }]);
    const { before, after } = await untilGap(ex, 'ETH/USDT', seen);
    expect(s.activeFaults()).toEqual([]); // the pause ended by itself
    const missing: string[] = [];
    for (let id = Number(before.id) + 1; id < Number(after.id); id++) missing.push(String(id));
    expect(missing.length).toBeGreaterThanOrEqual(6); // ~400 ms at 25/s on two streams
    // nothing paused reached the stream
    const streamed = new Set(seen.map((t) => t.id));
    for (const id of missing) expect(streamed.has(id), id).toBe(false);

    const byId = await ex.fetchTrades('ETH/USDT', undefined, missing.length, { fromId: missing[0] });
    expect(byId.map((t: any) => t.id)).toEqual(missing);
    for (const t of byId) {
      expect(t.symbol).toBe('ETH/USDT');
      expect(t.timestamp).toBeGreaterThanOrEqual(before.timestamp);
      expect(t.timestamp).toBeLessThanOrEqual(after.timestamp);
    }
    const bySince = await ex.fetchTrades('ETH/USDT', before.timestamp, 1000);
    const inGap = bySince.filter((t: any) => Number(t.id) > Number(before.id) && Number(t.id) < Number(after.id));
    expect(inGap.map((t: any) => t.id)).toEqual(missing);
    expect(bySince.find((t: any) => t.id === after.id)?.price).toBe(after.price); // the stream's trades are in the history too
    ex.apiKey = 'sim'; // ccxt sends an API key for historicalTrades (the simulator does not check it)
    const historical = await ex.fetchTrades('ETH/USDT', undefined, missing.length, { fetchTradesMethod: 'publicGetHistoricalTrades', fromId: missing[0] });
    expect(historical.map((t: any) => t.id)).toEqual(missing);
    expect(historical.map((t: any) => [t.price, t.amount, t.side])).toEqual(byId.map((t: any) => [t.price, t.amount, t.side]));
    expect(s.restLog().map((e) => e.path)).toEqual(['/api/v3/exchangeInfo', '/api/v3/aggTrades', '/api/v3/aggTrades', '/api/v3/historicalTrades']);
  });

  it('a pause for all symbols stops every trade stream; other streams keep flowing', async () => {
    const s = await startSim({ ratePerSymbol: 20 });
    const ex = binance(s);
    await ex.watchTrades('BTC/USDT');
    await ex.watchTicker('SOL/USDT', { name: 'ticker' });
    s.record(true);
    s.fault({ kind: 'trades-pause', durationMs: 60_000 });
    const t0 = (await ex.watchTicker('SOL/USDT', { name: 'ticker' })).timestamp;
    let t = t0;
    while (t - t0 < 300) t = (await ex.watchTicker('SOL/USDT', { name: 'ticker' })).timestamp;
    expect(s.sent('btcusdt@trade')).toEqual([]);
    expect(s.sent('solusdt@ticker').length).toBeGreaterThan(3);
    s.fault({ kind: 'clear' });
    const resumed = await ex.watchTrades('BTC/USDT');
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('REST trade endpoints validate their parameters like Binance', async () => {
    const s = await startSim({ ratePerSymbol: 0 });
    const get = async (q: string): Promise<{ status: number; body: any }> => {
      const r = await fetch(`${s.urls.rest}/${q}`);
      return { status: r.status, body: await r.json() };
    };
    expect(await get('aggTrades?symbol=BTCUSDT&fromId=abc')).toMatchObject({ status: 400, body: { code: -1100 } });
    expect(await get('historicalTrades?symbol=BTCUSDT&fromId=-1')).toMatchObject({ status: 400, body: { code: -1100 } });
    expect(await get('aggTrades?symbol=BTCUSDT&startTime=0&endTime=3600001')).toMatchObject({ status: 400, body: { code: -1127 } });
    const recent = await get('trades?symbol=BTCUSDT&limit=5');
    expect(recent.body).toHaveLength(5);
    const first = recent.body[0].id as number;
    const from = await get(`historicalTrades?symbol=BTCUSDT&fromId=${first}&limit=2`);
    expect(from.body.map((t: any) => t.id)).toEqual([first, first + 1]);
    const agg = await get(`aggTrades?symbol=BTCUSDT&fromId=${first}&limit=2`);
    expect(agg.body.map((t: any) => [t.a, t.f, t.l])).toEqual([
      [first, first, first],
      [first + 1, first + 1, first + 1],
    ]);
    const ex = binance(s);
    await expect(ex.fetchTrades('BTC/USDT', undefined, undefined, { fromId: 'x' })).rejects.toBeInstanceOf(errors.BadRequest);
  });
});
