// What ccxt cached with no watch waiting, read from ccxt's own binance class fed frames
// directly (its clients never dial: a watch only registers its future), so the caches
// are the ones ccxt keeps and the watches resolve as ccxt resolves them.
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, SubscriptionKey } from '../../shared/market';
import { deliveredMark, takeUndelivered } from '../../electron/streaming/undelivered-updates';
import { writeWatchResult, type RowTarget } from '../../electron/streaming/channel-calls';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { TapeContinuity } from '../../electron/streaming/trades/tape-continuity';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt is untyped where it matters here */
const never = new Promise<never>(() => undefined);
const exchanges: any[] = [];
afterEach(async () => {
  for (const ex of exchanges.splice(0)) await ex.close();
});

function offlineBinance(options: Record<string, unknown> = {}): any {
  class Offline extends (ccxt as any).pro.binance {
    client(url: string): any {
      const c = super.client(url);
      c.connect = () => never; // no socket: the watch waits for the frames fed below
      return c;
    }
  }
  const ex: any = new (Offline as any)({ options });
  ex.setMarkets([{ id: 'BTCUSDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', type: 'spot', spot: true, active: true, lowercaseId: 'btcusdt', precision: {}, limits: {} }]);
  exchanges.push(ex);
  return ex;
}

const key = (channel: Channel): SubscriptionKey => ({ exchange: 'sim', symbol: 'BTC/USDT', channel });
/** Feeds one frame to the socket the exchange's last watch went to. */
const feed = (ex: any, frame: unknown) => ex.handleMessage(Object.values(ex.clients).at(-1), frame);
const tickerFrame = (L: number) => ({ e: '24hrTicker', E: 1000 + L, s: 'BTCUSDT', c: String(100 + L), b: String(99 + L), a: String(101 + L), L, o: '1', h: '200', l: '1', v: '1', q: '1', P: '0', p: '0', O: 0, C: 1000 + L });
const tradeFrame = (t: number) => ({ e: 'trade', E: 1000 + t, s: 'BTCUSDT', t, p: '100', q: '1', T: 1000 + t, m: false });
const depthFrame = (U: number, u: number, bid: number) => ({ e: 'depthUpdate', E: 1000 + u, s: 'BTCUSDT', U, u, b: [[String(bid), '2']], a: [] });

describe('takeUndelivered: tickers', () => {
  it('gives the ticker ccxt cached after the one written, once; nothing before a first delivery', async () => {
    const ex = offlineBinance();
    const k = key('ticker');
    const watch = ex.watchTicker('BTC/USDT', { name: 'ticker' });
    feed(ex, tickerFrame(1));
    feed(ex, tickerFrame(2)); // same socket read: cached; the watch resolves with the first
    const result = await watch;
    expect(result.info.L).toBe(1);
    expect(takeUndelivered(ex, k, undefined)).toBeUndefined(); // nothing written yet: nothing to compare with
    let mark = deliveredMark(ex, k, result); // what writeWatchResult writes: the cached one
    expect((mark as any).info.L).toBe(2);
    expect(takeUndelivered(ex, k, mark)).toBeUndefined();
    feed(ex, tickerFrame(3)); // no watch waiting: ccxt only caches it
    const missed = takeUndelivered(ex, k, mark) as any;
    expect(missed.info.L).toBe(3);
    mark = deliveredMark(ex, k, missed);
    expect(takeUndelivered(ex, k, mark)).toBeUndefined();
    const next = ex.watchTicker('BTC/USDT', { name: 'ticker' });
    feed(ex, tickerFrame(4));
    expect((await next).info.L).toBe(4);
  });
});

describe('takeUndelivered: trades', () => {
  it('gives the trades appended while no watch waited, taking them as watchTrades does: each trade once, in order', async () => {
    const ex = offlineBinance();
    const k = key('trades');
    const seen: string[] = [];
    const watch = ex.watchTrades('BTC/USDT');
    feed(ex, tradeFrame(1));
    feed(ex, tradeFrame(2));
    const first = await watch;
    seen.push(...first.map((t: any) => t.id));
    const mark = deliveredMark(ex, k, first);
    expect(mark).toBe(ex.trades['BTC/USDT']);
    expect(takeUndelivered(ex, k, mark)).toBeUndefined(); // the watch took them
    feed(ex, tradeFrame(3));
    feed(ex, tradeFrame(4));
    const missed = takeUndelivered(ex, k, mark) as any[];
    expect(missed.constructor).toBe(Array); // not a throw-away ArrayCache (slice would make one)
    seen.push(...missed.map((t) => t.id));
    expect(takeUndelivered(ex, k, mark)).toBeUndefined(); // taken
    const next = ex.watchTrades('BTC/USDT');
    feed(ex, tradeFrame(5));
    seen.push(...(await next).map((t: any) => t.id));
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
  });

  it('written as the session writes a watch\'s result, the tape accepts each trade once, in order, with no hole', async () => {
    const ex = offlineBinance();
    const k = key('trades');
    const accepted: string[] = [];
    const refused: string[] = [];
    const tape = new TapeContinuity();
    const accept = tape.accept.bind(tape);
    tape.accept = (id, ts) => {
      const ok = accept(id, ts);
      (ok ? accepted : refused).push(id);
      if (tape.hole) refused.push(`hole ${tape.hole.fromId}-${tape.hole.toId}`);
      return ok;
    };
    const sink = { trade: () => true } as unknown as TickSink;
    const t: RowTarget = { sink, instrument: 'sim|BTC/USDT', source: 0, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10, tape, tradesShed: 0 };
    let id = 0;
    for (let round = 0; round < 3; round++) {
      const watch = ex.watchTrades('BTC/USDT');
      feed(ex, tradeFrame(++id));
      feed(ex, tradeFrame(++id)); // one socket read
      writeWatchResult(t, k, await watch, ex);
      feed(ex, tradeFrame(++id)); // no watch waiting
      feed(ex, tradeFrame(++id));
      writeWatchResult(t, k, takeUndelivered(ex, k, t.delivered), ex);
      expect(takeUndelivered(ex, k, t.delivered)).toBeUndefined();
    }
    expect(accepted).toEqual(Array.from({ length: id }, (_, i) => String(i + 1)));
    expect(refused).toEqual([]);
    expect(t.tradesShed).toBe(0);
  });

  it('more than the cache holds: the newest it holds, and getLimit says how many came (what takeShed counts)', async () => {
    const ex = offlineBinance({ tradesLimit: 3 });
    const k = key('trades');
    const watch = ex.watchTrades('BTC/USDT');
    feed(ex, tradeFrame(1));
    const mark = deliveredMark(ex, k, await watch);
    const counted: number[] = [];
    const cache = ex.trades['BTC/USDT'];
    const getLimit = cache.getLimit;
    Object.defineProperty(cache, 'getLimit', { value: (s: string, l: undefined) => (counted.push(getLimit.call(cache, s, l)), counted.at(-1)), enumerable: false });
    for (let t = 2; t <= 6; t++) feed(ex, tradeFrame(t));
    expect((takeUndelivered(ex, k, mark) as any[]).map((t) => t.id)).toEqual(['4', '5', '6']);
    expect(counted).toEqual([5]);
  });

  it('gives nothing from a cache other than the one delivered from (ccxt replaced it), or before a first delivery', async () => {
    const ex = offlineBinance();
    const k = key('trades');
    const watch = ex.watchTrades('BTC/USDT');
    feed(ex, tradeFrame(1));
    await watch;
    feed(ex, tradeFrame(2));
    expect(takeUndelivered(ex, k, undefined)).toBeUndefined();
    expect(takeUndelivered(ex, k, [])).toBeUndefined();
  });
});

describe('takeUndelivered: books', () => {
  it('gives the book once its update id moved past the one written, as watchOrderBook returns it', async () => {
    const ex = offlineBinance();
    const k = key('book');
    // the snapshot ccxt would have fetched over REST at the subscription
    ex.orderbooks['BTC/USDT'] = ex.orderBook({ bids: [[99, 1]], asks: [[101, 1]], nonce: 100, timestamp: 1 });
    const watch = ex.watchOrderBook('BTC/USDT');
    feed(ex, depthFrame(101, 102, 99.5));
    const result = await watch;
    const mark = deliveredMark(ex, k, result);
    expect(mark).toBe(102);
    expect(takeUndelivered(ex, k, mark)).toBeUndefined();
    feed(ex, depthFrame(103, 105, 99.7)); // no watch waiting: applied to the book, which is the object delivered
    expect(result.nonce).toBe(105);
    const missed = takeUndelivered(ex, k, mark) as any;
    expect(missed).toBe(ex.orderbooks['BTC/USDT']);
    expect(missed.bids[0]).toEqual([99.7, 2]);
    expect(takeUndelivered(ex, k, deliveredMark(ex, k, missed))).toBeUndefined();
    const next = ex.watchOrderBook('BTC/USDT');
    feed(ex, depthFrame(106, 106, 99.8));
    expect((await next).nonce).toBe(106);
  });

  it('gives nothing for a book ccxt dropped or one waiting for its snapshot (no update id)', () => {
    const ex = offlineBinance();
    const k = key('book');
    expect(takeUndelivered(ex, k, 102)).toBeUndefined();
    ex.orderbooks['BTC/USDT'] = ex.orderBook({});
    expect(takeUndelivered(ex, k, 102)).toBeUndefined();
    expect(deliveredMark(ex, k, ex.orderbooks['BTC/USDT'])).toBeUndefined();
  });
});
