// Counting the trades ccxt's bounded cache evicted before a watch took them, with a
// cache that behaves like ccxt's ArrayCache (maxSize, per-symbol new-update counts).
import { describe, expect, it } from 'vitest';
import { takeShed } from '../../electron/streaming/channel-calls';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';

class FakeCache extends Array<{ symbol: string }> {
  private fresh = 0;
  private clear = false;
  constructor(private readonly maxSize: number) {
    super();
  }
  append(symbol: string): void {
    if (this.length === this.maxSize) this.shift();
    this.push({ symbol });
    if (this.clear) {
      this.clear = false;
      this.fresh = 0;
    }
    this.fresh++;
  }
  getLimit(_symbol: string | undefined, limit: number | undefined): number {
    this.clear = true;
    return limit === undefined ? this.fresh : Math.min(this.fresh, limit);
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

  it('no cache yet: nothing shed', () => {
    expect(takeShed({ trades: {} } as unknown as StreamExchange, 'X/USDT')).toBe(0);
  });
});
