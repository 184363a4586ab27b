import { describe, expect, it } from 'vitest';
import type { Candle, CandleKey, CandleMessage } from '../../shared/contract/candles';
import { ChartData, type ChartChange } from '../../renderer/src/chart/chart-data';
import { chartInstrument } from '../../renderer/src/chart/chart-instrument';
import { chartStatus } from '../../renderer/src/chart/chart-status';
import { toBar, toVolumeBar } from '../../renderer/src/chart/lw-bars';

const key: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1s' };
const k = (t: number, c = 10): Candle => ({ t, o: 10, h: Math.max(10, c), l: Math.min(10, c), c, v: 1 });
const history = (candles: Candle[], repaired?: number): CandleMessage => ({ type: 'candle-history', key, candles, state: 'live', receivedAt: 100, ...(repaired !== undefined ? { repaired } : {}) });
const update = (candle: Candle, receivedAt = 200): CandleMessage => ({ type: 'candle-update', key, candle, receivedAt });

function listening(data: ChartData) {
  const seen: Array<[ChartChange, number, number | undefined]> = [];
  const off = data.listen(key, (change, d) => seen.push([change, d.candles.length, d.candles.at(-1)?.c]));
  return { seen, off };
}

describe('ChartData', () => {
  it('history redraws; an update replaces the last candle or appends a new one; an older one is ignored', () => {
    const data = new ChartData();
    const { seen } = listening(data);
    data.apply(history([k(1000), k(2000)]));
    data.apply(update(k(2000, 12)));
    data.apply(update(k(3000, 9)));
    data.apply(update(k(1000, 20)));
    expect(seen).toEqual([
      ['history', 2, 10],
      ['update', 2, 12],
      ['update', 3, 9],
    ]);
    expect(data.get(key)!.receivedAt).toBe(200);
  });

  it('ignores series nobody listens to and updates before their history; forgets a series with its last listener', () => {
    const data = new ChartData();
    data.apply(history([k(1000)]));
    expect(data.get(key)).toBeUndefined();
    const { seen, off } = listening(data);
    data.apply(update(k(1000)));
    expect(seen).toEqual([]);
    data.apply(history([k(1000)]));
    off();
    expect(data.get(key)).toBeUndefined();
  });

  it('a quiet answer (a live state with quietAt) is kept until a history says otherwise; a state without one keeps it', () => {
    const data = new ChartData();
    const { seen } = listening(data);
    data.apply(history([k(1000)]));
    expect(data.get(key)!.quietAt).toBe(0);
    data.apply({ type: 'candle-state', key, state: 'live', quietAt: 900 });
    expect(data.get(key)).toMatchObject({ state: 'live', quietAt: 900, receivedAt: 100 });
    data.apply({ type: 'candle-state', key, state: 'reconnecting' });
    expect(data.get(key)!.quietAt).toBe(900);
    data.apply({ ...history([k(1000)]), quietAt: 950 } as CandleMessage);
    expect(data.get(key)!.quietAt).toBe(950);
    data.apply(history([k(1000)]));
    expect(data.get(key)!.quietAt).toBe(0);
    expect(seen.map((x) => x[0])).toEqual(['history', 'state', 'state', 'history', 'history']);
  });

  it('a state change keeps the candles; a repair history carries its count; the next update makes it live again', () => {
    const data = new ChartData();
    const { seen } = listening(data);
    data.apply(history([k(1000)]));
    data.apply({ type: 'candle-state', key, state: 'reconnecting', error: 'socket closed' });
    expect(data.get(key)).toMatchObject({ state: 'reconnecting', error: 'socket closed' });
    data.apply(history([k(1000, 11), k(2000)], 2));
    expect(data.get(key)).toMatchObject({ state: 'live', repaired: 2 });
    data.apply({ type: 'candle-state', key, state: 'reconnecting' });
    data.apply(update(k(2000, 12)));
    expect(data.get(key)!.state).toBe('live');
    expect(seen.map((s) => s[0])).toEqual(['history', 'state', 'history', 'state', 'update']);
  });
});

describe('chartStatus', () => {
  const d = (over: object = {}) => ({ candles: [], state: 'live' as const, receivedAt: 1000, quietAt: 0, repaired: undefined, error: undefined, ...over });
  it('is live only while connected, live and fresh', () => {
    expect(chartStatus(d(), 1500, true, 1000)).toEqual({ tone: 'live', label: 'live', ageMs: 500, repairNote: null });
    expect(chartStatus(d(), 2500, true, 1000).tone).toBe('stale');
    expect(chartStatus(d(), 1500, false, 1000).tone).toBe('stale');
    expect(chartStatus(d({ state: 'reconnecting' }), 1500, true, 1000).tone).toBe('reconnecting');
    expect(chartStatus(undefined, 1500, true, 1000)).toEqual({ tone: 'loading', label: 'loading', ageMs: null, repairNote: null });
  });
  it('a silent series the exchange vouched for is live and quiet, its silence counted from the answer; its age stays the data age', () => {
    // data at 1000, found quiet at 1800: at 2500 (1.5 limits after the data, 0.7 after the answer) still live
    expect(chartStatus(d({ quietAt: 1800 }), 2500, true, 1000)).toEqual({ tone: 'live', label: 'live · quiet', ageMs: 1500, repairNote: null });
    // a limit after the answer with no new one: stale
    expect(chartStatus(d({ quietAt: 1800 }), 2900, true, 1000)).toMatchObject({ tone: 'stale', label: 'stale' });
    // newer data than the answer: plain live
    expect(chartStatus(d({ receivedAt: 2000, quietAt: 1800 }), 2100, true, 1000)).toMatchObject({ tone: 'live', label: 'live' });
    // quiet never hides a reconnect or a lost host link
    expect(chartStatus(d({ quietAt: 1800, state: 'reconnecting' }), 1900, true, 1000).label).toBe('reconnecting');
    expect(chartStatus(d({ quietAt: 1800 }), 1900, false, 1000).label).toBe('stale');
  });
  it('says how many candles a repair replaced', () => {
    expect(chartStatus(d({ repaired: 3 }), 1500, true, 1000).repairNote).toBe('repaired 3 candles');
    expect(chartStatus(d({ repaired: 1 }), 1500, true, 1000).repairNote).toBe('repaired 1 candle');
  });
});

describe('chart adapters', () => {
  it('bars in UTC seconds; volume coloured by direction', () => {
    expect(toBar({ t: 60_000, o: 1, h: 3, l: 0.5, c: 2, v: 7 })).toEqual({ time: 60, open: 1, high: 3, low: 0.5, close: 2 });
    expect(toVolumeBar({ t: 60_000, o: 1, h: 3, l: 0.5, c: 2, v: 7 })).toMatchObject({ time: 60, value: 7, color: expect.stringContaining('38, 166, 154') });
    expect(toVolumeBar({ t: 60_000, o: 2, h: 3, l: 0.5, c: 1, v: 7 }).color).toContain('239, 83, 80');
  });
  it('the chart shows the first watchlist row (same object), or nothing', () => {
    const row = { key: 'sim|ETH/USDT', exchange: 'sim', symbol: 'ETH/USDT' };
    expect(chartInstrument({ rows: [row], focus: null })).toBe(row);
    const focus = { key: 'sim|ETH/USDT', exchange: 'sim', symbol: 'ETH/USDT' };
    expect(chartInstrument({ rows: [row], focus })).toBe(focus);
    expect(chartInstrument({ rows: [], focus: null })).toBeNull();
  });
});
