// The bounded trade history behind REST /trades, /historicalTrades and /aggTrades.
import { describe, expect, it } from 'vitest';
import { TradeHistory } from '../../simulator/trade-history';

/** Ids of the trades a selection covers. */
function ids(h: TradeHistory, [first, count]: [number, number]): number[] {
  const out: number[] = [];
  for (let i = first; i < first + count; i++) out.push(h.id[h.slot(i)]!);
  return out;
}

/** Trades 1000.. with times 10 ms apart, two trades per timestamp. */
function filled(n: number, limit: number): TradeHistory {
  const h = new TradeHistory(limit);
  for (let i = 0; i < n; i++) h.push(1000 + i, 500 + i, 1 + i, 1_000_000 + Math.floor(i / 2) * 10, i % 3 === 0);
  return h;
}

describe('trade history', () => {
  it('keeps every trade up to its bound, growing as needed, then drops the oldest first', () => {
    const h = filled(700, 1000);
    expect(h.size).toBe(700);
    expect(ids(h, h.select({ limit: 3 }))).toEqual([1697, 1698, 1699]);
    expect(ids(h, h.select({ fromId: 1000, limit: 2 }))).toEqual([1000, 1001]);
    const full = filled(2500, 1000);
    expect(full.size).toBe(1000);
    expect(full.id.length).toBe(1000);
    expect(ids(full, full.select({ fromId: 0, limit: 1 }))).toEqual([2500]); // the oldest kept: 3499 - 999
    expect(ids(full, full.select({ limit: 1 }))).toEqual([3499]);
    // every field travels with its id through growth and wrap-around
    const s = full.slot(full.select({ fromId: 3000, limit: 1 })[0]);
    expect([full.id[s], full.ticks[s], full.lots[s], full.time[s], full.maker[s]]).toEqual([3000, 2500, 2001, 1_000_000 + 1000 * 10, 0]);
  });

  it('selects like Binance: most recent by default, from an id, within inclusive times, at most limit', () => {
    const h = filled(100, 1000);
    expect(ids(h, h.select({ fromId: 1050, limit: 3 }))).toEqual([1050, 1051, 1052]);
    expect(ids(h, h.select({ fromId: 1098, limit: 10 }))).toEqual([1098, 1099]);
    expect(h.select({ fromId: 1100, limit: 10 })[1]).toBe(0);
    // times: trade i at 1_000_000 + floor(i/2)*10
    expect(ids(h, h.select({ startTime: 1_000_100, endTime: 1_000_120, limit: 100 }))).toEqual([1020, 1021, 1022, 1023, 1024, 1025]);
    expect(ids(h, h.select({ startTime: 1_000_101, endTime: 1_000_119, limit: 100 }))).toEqual([1022, 1023]);
    expect(ids(h, h.select({ startTime: 1_000_100, limit: 3 }))).toEqual([1020, 1021, 1022]);
    expect(ids(h, h.select({ endTime: 1_000_005, limit: 100 }))).toEqual([1000, 1001]);
    expect(ids(h, h.select({ fromId: 1030, endTime: 1_000_160, limit: 100 }))).toEqual([1030, 1031, 1032, 1033]);
    expect(h.select({ startTime: 2_000_000, limit: 5 })[1]).toBe(0);
    expect(new TradeHistory(5).select({ limit: 5 })).toEqual([0, 0]);
    expect(() => new TradeHistory(0)).toThrow(/positive integer/);
  });
});
