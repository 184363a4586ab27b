// Candles built from trades: OHLC, volumes, taker-buy split, roll-over at the
// interval boundary, Binance's selection rules, the bounded history, stream names.
import { describe, expect, it } from 'vitest';
import { KlineSeries, type Candle } from '../../simulator/klines';
import { parseStream } from '../../simulator/streams';

const T0 = 1_700_000_040_000; // a whole minute

function opens(s: KlineSeries, [first, count]: [number, number]): number[] {
  const out: number[] = [];
  for (let i = first; i < first + count; i++) out.push(s.at(i).t);
  return out;
}

describe('kline series', () => {
  it('aggregates the trades of each interval and opens a new candle at the boundary', () => {
    const s = new KlineSeries('1m');
    expect(s.size).toBe(0);
    expect(s.current).toBeUndefined();
    s.add(1, 100, 2, 0.2, T0 + 5, false); // taker buy
    s.add(2, 105, 1, 0.105, T0 + 10_000, true);
    s.add(3, 98, 3, 0.294, T0 + 59_999, false);
    expect(s.size).toBe(1);
    expect(s.current).toEqual<Candle>({ t: T0, o: 100, h: 105, l: 98, c: 98, v: 6, q: 0.2 + 0.105 + 0.294, n: 3, f: 1, L: 3, V: 5, Q: 0.2 + 0.294 });
    s.add(4, 99, 1, 0.099, T0 + 60_000, true);
    expect(s.size).toBe(2);
    expect(s.at(0).c).toBe(98);
    expect(s.current).toMatchObject({ t: T0 + 60_000, o: 99, h: 99, l: 99, c: 99, n: 1, f: 4, L: 4, V: 0 });
    expect(s.find(T0)?.L).toBe(3);
    expect(s.find(T0 + 30_000)).toBeUndefined();
    // an interval without trades has no candle
    s.add(5, 101, 1, 0.101, T0 + 240_000, false);
    expect(opens(s, [0, s.size])).toEqual([T0, T0 + 60_000, T0 + 240_000]);
  });

  it('selects like Binance: the last limit by default, from startTime, up to endTime (open times, inclusive)', () => {
    const s = new KlineSeries('1s');
    for (let i = 0; i < 10; i++) s.add(i, 100 + i, 1, 1, T0 + i * 1000 + 500, false);
    const t = (i: number): number => T0 + i * 1000;
    expect(opens(s, s.select({ limit: 3 }))).toEqual([t(7), t(8), t(9)]);
    expect(opens(s, s.select({ startTime: t(2), limit: 3 }))).toEqual([t(2), t(3), t(4)]);
    expect(opens(s, s.select({ startTime: t(2) + 1, limit: 2 }))).toEqual([t(3), t(4)]);
    expect(opens(s, s.select({ startTime: t(2), endTime: t(4), limit: 100 }))).toEqual([t(2), t(3), t(4)]);
    expect(opens(s, s.select({ endTime: t(4), limit: 2 }))).toEqual([t(3), t(4)]);
    expect(s.select({ startTime: t(20), limit: 5 })[1]).toBe(0);
    expect(s.select({ endTime: t(0) - 1, limit: 5 })[1]).toBe(0);
  });

  it('keeps a bounded number of closed candles, oldest dropped first', () => {
    const s = new KlineSeries('1s', 5);
    for (let i = 0; i < 12; i++) s.add(i, 100, 1, 1, T0 + i * 1000, false);
    expect(s.size).toBe(6); // 5 closed + the open one
    expect(opens(s, s.select({ limit: 100 }))).toEqual([6, 7, 8, 9, 10, 11].map((i) => T0 + i * 1000));
    expect(s.find(T0 + 5000)).toBeUndefined();
  });

  it('parses kline stream names for the supported intervals only', () => {
    expect(parseStream('btcusdt@kline_1m')).toEqual({ lowerId: 'btcusdt', kind: 'kline', interval: '1m' });
    for (const i of ['1s', '5m', '15m', '1h', '4h', '1d']) expect(parseStream(`ethusdt@kline_${i}`)?.interval).toBe(i);
    expect(parseStream('btcusdt@kline_3m')).toBeUndefined();
    expect(parseStream('btcusdt@kline_')).toBeUndefined();
    expect(parseStream('btcusdt@kline_1m@+08:00')).toBeUndefined();
  });
});
