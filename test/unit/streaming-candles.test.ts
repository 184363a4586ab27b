import { describe, expect, it } from 'vitest';
import type { Candle } from '../../shared/contract/candles';
import { CandleSeries } from '../../electron/streaming/candles/candle-series';
import { TradeCandles } from '../../electron/streaming/candles/trade-candles';

const k = (t: number, c = 10, v = 1): Candle => ({ t, o: c, h: c, l: c, c, v });
const times = (s: CandleSeries) => s.snapshot().map((x) => x.t);

describe('TradeCandles: candles from trades', () => {
  it('opens a candle at each interval boundary, the boundary trade belonging to the new candle', () => {
    const b = new TradeCandles('1s');
    expect(b.add(10, 1, 1_000)).toBe('opened');
    expect(b.add(12, 2, 1_500)).toBe('updated');
    expect(b.add(9, 1, 1_999)).toBe('updated');
    expect(b.add(11, 1, 2_000)).toBe('opened');
    expect(b.series.snapshot()).toEqual([
      { t: 1_000, o: 10, h: 12, l: 9, c: 9, v: 4 },
      { t: 2_000, o: 11, h: 11, l: 11, c: 11, v: 1 },
    ]);
  });

  it('leaves no candle for an interval without trades (a gap)', () => {
    const b = new TradeCandles('1m');
    b.add(10, 1, 60_000);
    b.add(11, 1, 5 * 60_000 + 1);
    expect(times(b.series)).toEqual([60_000, 300_000]);
  });

  it('orders open and close by trade time within the last candle when trades arrive out of order', () => {
    const b = new TradeCandles('1s');
    b.add(10, 1, 1_500);
    b.add(8, 1, 1_200); // earlier: becomes the open, not the close
    b.add(12, 1, 1_400); // neither first nor last
    expect(b.series.last()).toEqual({ t: 1_000, o: 8, h: 12, l: 8, c: 10, v: 3 });
  });

  it('adds a late trade to its kept earlier candle (high/low, volume), or opens its own candle in a gap', () => {
    const b = new TradeCandles('1s');
    b.add(10, 1, 1_000);
    b.add(10, 1, 3_000);
    expect(b.add(15, 2, 1_700)).toBe('late');
    expect(b.series.at(1_000)).toEqual({ t: 1_000, o: 10, h: 15, l: 10, c: 10, v: 3 });
    expect(b.add(7, 1, 2_100)).toBe('late');
    expect(times(b.series)).toEqual([1_000, 2_000, 3_000]);
    expect(b.series.last()).toEqual({ t: 3_000, o: 10, h: 10, l: 10, c: 10, v: 1 });
  });

  it('adds nothing to a candle that came whole from REST; the candle forming at the fetch and later ones still grow', () => {
    const b = new TradeCandles('1s');
    b.series.merge([{ t: 1_000, o: 10, h: 10, l: 10, c: 10, v: 2 }, { t: 2_000, o: 11, h: 11, l: 11, c: 11, v: 1 }]);
    b.restWholeBefore(2_000);
    expect(b.add(12, 1, 1_900)).toBe('whole');
    expect(b.series.at(1_000)).toEqual({ t: 1_000, o: 10, h: 10, l: 10, c: 10, v: 2 });
    expect(b.add(12, 1, 2_500)).toBe('updated');
    expect(b.series.at(2_000)!.v).toBe(2);
    // never moves back
    b.restWholeBefore(1_000);
    expect(b.add(12, 1, 1_500)).toBe('whole');
  });

  it('drops a late trade older than a full series, and non-finite or non-positive trades', () => {
    const b = new TradeCandles('1s', new CandleSeries(2));
    b.add(10, 1, 5_000);
    b.add(10, 1, 6_000);
    expect(b.add(10, 1, 1_000)).toBe('dropped');
    expect(b.add(NaN, 1, 7_000)).toBe('dropped');
    expect(b.add(10, Infinity, 7_000)).toBe('dropped');
    expect(b.add(0, 1, 7_000)).toBe('dropped');
    expect(times(b.series)).toEqual([5_000, 6_000]);
  });
});

describe('CandleSeries', () => {
  it('upsert replaces the same open time, appends newer, inserts a missing older one, and stays bounded', () => {
    const s = new CandleSeries(3);
    s.upsert(k(1));
    s.upsert(k(3));
    s.upsert(k(3, 11));
    s.upsert(k(2));
    expect(s.snapshot()).toEqual([k(1), k(2), k(3, 11)]);
    s.upsert(k(4));
    expect(times(s)).toEqual([2, 3, 4]);
    expect(s.upsert(k(1))).toBe(false);
    expect(times(s)).toEqual([2, 3, 4]);
  });

  it('merge replaces exactly the fetched span and counts changed, missing and vanished candles', () => {
    const s = new CandleSeries();
    for (const t of [1, 2, 3, 5, 6, 7]) s.upsert(k(t));
    // the exchange has 3 unchanged, 4 (we missed it), 5 changed, no 6, and 7 unchanged
    const replaced = s.merge([k(3), k(4), k(5, 12), k(7)]);
    expect(replaced).toBe(3);
    expect(s.snapshot()).toEqual([k(1), k(2), k(3), k(4), k(5, 12), k(7)]);
    expect(s.merge([k(3), k(4)])).toBe(0);
  });

  it('merge of a newer range appends; of an empty range changes nothing; the bound keeps the newest', () => {
    const s = new CandleSeries(4);
    s.upsert(k(1));
    expect(s.merge([k(5), k(6), k(7), k(8)])).toBe(4);
    expect(times(s)).toEqual([5, 6, 7, 8]);
    expect(s.merge([])).toBe(0);
    expect(times(s)).toEqual([5, 6, 7, 8]);
  });
});
