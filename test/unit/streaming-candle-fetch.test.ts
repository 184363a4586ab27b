import { describe, expect, it } from 'vitest';
import { fetchCandles, toCandles, type OhlcvSource } from '../../electron/streaming/candles/candle-feed';

/** An exchange holding one candle per minute for [0, n) minutes, answering at most `cap` per call. */
function source(n: number, cap: number, calls: Array<[number | undefined, number | undefined]>): OhlcvSource {
  const all = Array.from({ length: n }, (_, i) => [i * 60_000, 10, 11, 9, 10, 1]);
  return {
    has: { watchOHLCV: true },
    fetchOHLCV: async (_s, _tf, since, limit) => {
      calls.push([since, limit]);
      return all.filter((r) => since === undefined || r[0]! >= since).slice(0, Math.min(limit ?? cap, cap));
    },
    watchOHLCV: async () => [],
    watchTrades: async () => [],
  };
}

const never = new AbortController().signal;

describe('fetchCandles: paginated history', () => {
  it('loads the last N candles over several pages, without duplicates', async () => {
    const calls: Array<[number | undefined, number | undefined]> = [];
    const got = await fetchCandles(source(2500, 1000, calls), { exchange: 'x', symbol: 'A/B', timeframe: '1m' }, 2300, 1000, 2499 * 60_000 + 5, never);
    expect(got.length).toBe(2300);
    expect(got[0]!.t).toBe(200 * 60_000);
    expect(got[got.length - 1]!.t).toBe(2499 * 60_000);
    expect(calls).toEqual([[200 * 60_000, 1000], [1200 * 60_000, 1000], [2200 * 60_000, 300]]);
  });

  it('stops at a short page (the exchange has fewer candles than asked)', async () => {
    const calls: Array<[number | undefined, number | undefined]> = [];
    const got = await fetchCandles(source(30, 1000, calls), { exchange: 'x', symbol: 'A/B', timeframe: '1m' }, 5000, 1000, 29 * 60_000, never);
    expect(got.length).toBe(30);
    expect(calls.length).toBe(1);
  });
});

describe('toCandles', () => {
  it('drops malformed, unaligned, non-finite and out-of-order rows; missing volume is 0', () => {
    const rows = [
      [60_000, 10, 11, 9, 10, 1],
      [90_000, 10, 11, 9, 10, 1], // unaligned
      [120_000, 10, 11, 9, Infinity, 1],
      [120_000, 10, 8, 9, 10, 1], // high below low
      [180_000, 10, 11, 9, undefined, 1], // no close
      [180_000, 12, 11, 9, 10, 1], // open above high
      [180_000, 10, 11, 0, 10, 1], // zero low
      [180_000, 10, 11, 9, 10, -1], // negative volume
      [240_000, 10, 11, 9, 10, undefined],
      [60_000, 10, 11, 9, 10, 1], // repeated
    ];
    expect(toCandles(rows, 60_000)).toEqual([
      { t: 60_000, o: 10, h: 11, l: 9, c: 10, v: 1 },
      { t: 240_000, o: 10, h: 11, l: 9, c: 10, v: 0 },
    ]);
  });
});
