// Counting the trades ccxt's bounded cache evicted before a watch took them, with a
// cache that behaves like ccxt's ArrayCache (maxSize, per-symbol new-update counts).
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { takeShed } from '../../electron/streaming/channel-calls';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';

// Like ccxt's ArrayCache, its bookkeeping is invisible to Object.values() (# fields).
class FakeCache extends Array<{ symbol: string; id?: string }> {
  #fresh = 0;
  #clear = false;
  #maxSize: number;
  constructor(maxSize: number) {
    super();
    this.#maxSize = maxSize;
  }
  append(symbol: string, id?: string): void {
    if (this.length === this.#maxSize) this.shift();
    this.push({ symbol, id });
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
