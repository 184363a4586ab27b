// Counting the trades ccxt's bounded cache evicted before a watch took them, with a
// cache that behaves like ccxt's ArrayCache (maxSize, per-symbol new-update counts).
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { shedOfHole, takeShed, writeWatchResult, type RowTarget } from '../../electron/streaming/channel-calls';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { TickSink } from '../../electron/streaming/tick-sink';
import { TapeContinuity, type TapeHole } from '../../electron/streaming/trades/tape-continuity';
import type { TickBatch } from '../../shared/contract/tick-batch';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';

// Like ccxt's ArrayCache, its bookkeeping is invisible to Object.values() (# fields).
class FakeCache extends Array<{ symbol: string; id?: string; timestamp?: number; price?: number; amount?: number }> {
  #fresh = 0;
  #clear = false;
  #maxSize: number;
  constructor(maxSize: number) {
    super();
    this.#maxSize = maxSize;
  }
  append(symbol: string, id?: string): void {
    if (this.length === this.#maxSize) this.shift();
    this.push({ symbol, id, timestamp: 1000 + this.#fresh, price: 100, amount: 1 });
    if (this.#clear) {
      this.#clear = false;
      this.#fresh = 0;
    }
    this.#fresh++;
  }
  getLimit(_symbol: string | undefined, limit: number | undefined): number {
    this.#clear = true;
    return limit === undefined ? this.#fresh : Math.min(this.#fresh, limit);
  }
  /** What watchTrades returns: the newest getLimit() entries still held. */
  watch(): number {
    return Math.min(this.getLimit('X/USDT', undefined), this.length);
  }
}

describe('takeShed', () => {
  it('adds nothing ccxt would read as a trade: the cache enumerates its trades and only them', () => {
    const cache = new FakeCache(5);
    const ex = { trades: { 'X/USDT': cache } } as unknown as StreamExchange;
    cache.append('X/USDT');
    cache.append('X/USDT');
    const before = Object.keys(cache);
    takeShed(ex, 'X/USDT'); // arms the count: hooks the cache
    // ccxt reads caches with Object.values in places: an enumerable counting hook came back as a
    // third "trade" and pushed a real one out of the watch's limit (every other trade was lost).
    expect(Object.keys(cache)).toEqual(before);
  });

  it('counts what arrived beyond the cache between two watches, once', () => {
    const cache = new FakeCache(5);
    const ex = { trades: { 'X/USDT': cache } } as unknown as StreamExchange;
    expect(takeShed(ex, 'X/USDT')).toBe(0); // arms the count
    for (let i = 0; i < 3; i++) cache.append('X/USDT');
    expect(cache.watch()).toBe(3);
    expect(takeShed(ex, 'X/USDT')).toBe(0);
    for (let i = 0; i < 12; i++) cache.append('X/USDT');
    expect(cache.watch()).toBe(5);
    expect(takeShed(ex, 'X/USDT')).toBe(7);
    expect(takeShed(ex, 'X/USDT')).toBe(0);
    cache.append('X/USDT');
    expect(cache.watch()).toBe(1);
    expect(takeShed(ex, 'X/USDT')).toBe(0);
  });

  it('leaves what watchTrades returns untouched: every new trade, nothing else', () => {
    // watchTrades ends in filterBySinceLimit(cache, …, getLimit(…), tail), which reads the
    // cache through Object.values(): an enumerable own property of the counting hook
    // took the place of the newest trade of every watch.
    const cache = new FakeCache(5);
    const ex = { trades: { 'X/USDT': cache } } as unknown as StreamExchange;
    const binance = new ccxt.binance();
    cache.append('X/USDT', '1');
    takeShed(ex, 'X/USDT');
    const watch = () => binance.filterBySinceLimit(cache as never, undefined, cache.getLimit('X/USDT', undefined), 'timestamp', true) as unknown as { id?: string }[];
    expect(watch().map((t) => t.id)).toEqual(['1']);
    cache.append('X/USDT', '2');
    cache.append('X/USDT', '3');
    expect(watch().map((t) => t.id)).toEqual(['2', '3']);
    cache.append('X/USDT', '4');
    expect(watch().map((t) => t.id)).toEqual(['4']);
    expect(takeShed(ex, 'X/USDT')).toBe(0);
  });

  it('no cache yet: nothing shed', () => {
    expect(takeShed({ trades: {} } as unknown as StreamExchange, 'X/USDT')).toBe(0);
  });
});

describe('trades evicted by the cache: shed once, never also delivered', () => {
  const SYM = 'X/USDT';
  function setup() {
    const cache = new FakeCache(5);
    const ex = { trades: { [SYM]: cache }, lastReceivedAt: 5000 } as unknown as StreamExchange;
    const binance = new ccxt.binance();
    const batches: TickBatch[] = [];
    const sink = new TickSink((b) => batches.push(b));
    const holes: [TapeHole, number][] = [];
    const t: RowTarget = { sink, instrument: `sim|${SYM}`, source: 0, exchangeLatency: undefined, processingLatency: new LatencyRing(), bookDepth: 10, tape: new TapeContinuity(), tradesShed: 0, onHole: (h, evicted) => holes.push([{ ...h }, evicted]) };
    const watch = () => {
      const result = binance.filterBySinceLimit(cache as never, undefined, cache.getLimit(SYM, undefined), 'timestamp', true);
      writeWatchResult(t, { exchange: 'sim', symbol: SYM, channel: 'trades' }, result, ex);
      sink.flushNow();
    };
    const delivered = () => batches.flatMap((b) => b.tradeIds);
    return { cache, ex, t, holes, watch, delivered };
  }

  it('ids that count: the eviction goes with the hole it leaves (REST may still fill it), not to tradesShed', () => {
    const { cache, ex, t, holes, watch, delivered } = setup();
    takeShed(ex, SYM); // armed, as by the first watch
    for (let id = 1; id <= 3; id++) cache.append(SYM, String(id));
    watch();
    for (let id = 4; id <= 15; id++) cache.append(SYM, String(id));
    watch();
    expect(delivered()).toEqual(['1', '2', '3', '11', '12', '13', '14', '15']);
    expect(holes.map(([h, evicted]) => [h.fromId, h.toId, h.missing, evicted])).toEqual([['4', '10', 7, 7]]);
    expect(t.tradesShed).toBe(0);
    expect(t.evictedInFlight).toBe(0);
  });

  it('ids that do not count: no hole can take the eviction, so it is shed at once', () => {
    const { cache, ex, t, holes, watch, delivered } = setup();
    takeShed(ex, SYM);
    for (let i = 1; i <= 3; i++) cache.append(SYM, `a${i}`);
    watch();
    for (let i = 4; i <= 15; i++) cache.append(SYM, `a${i}`);
    watch();
    expect(delivered()).toEqual(['a1', 'a2', 'a3', 'a11', 'a12', 'a13', 'a14', 'a15']);
    expect(holes).toEqual([]);
    expect(t.tradesShed).toBe(7);
  });

  it('a hole is shed as far as its evicted trades were not recovered', () => {
    expect(shedOfHole(7, 7, 7)).toBe(0); // REST had them all: delivered, not shed
    expect(shedOfHole(7, 7, 2)).toBe(5);
    expect(shedOfHole(7, 10, 2)).toBe(7); // the exchange skipped 3 more: never sent, not ours to count
    expect(shedOfHole(0, 4, 0)).toBe(0); // a hole the cache did not cause
    expect(shedOfHole(3, NaN, 0)).toBe(0);
  });
});
