// Candle messages reach a renderer with its next frame, at the frame's send slot and
// after its credit is back, inside the frame message, so the chart redraws in the
// frame that paints the ticks (two messages are two tasks: a paint can come between).
// Fake time (vitest timers behind the injected scheduler); traces of what was sent.
import { describe, expect, it, vi } from 'vitest';
import { MarketState } from '../../electron/engine/market/market-state';
import { queueCandle, RendererLink, type RendererClient } from '../../electron/engine/renderer-link/renderer-link';
import { SOURCE_WS, TickBatchWriter } from '../../shared/contract/tick-batch';
import type { CandleKey, CandleMessage } from '../../shared/contract/candles';
import { MAX_FRAME_CANDLES, type ToRenderer } from '../../shared/contract/renderer-api';
import { fakeScheduler } from '../support/fake-scheduler';
import { fakeTimersInEachTest } from '../support/fake-timers';

const KEY: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' };
const OTHER: CandleKey = { ...KEY, timeframe: '5m' };
const update = (key: CandleKey, t: number, c: number): CandleMessage => ({ type: 'candle-update', key, candle: { t, o: 1, h: Math.max(1, c), l: Math.min(1, c), c, v: 1 }, receivedAt: 1 });
const history = (key: CandleKey): CandleMessage => ({ type: 'candle-history', key, candles: [], state: 'live', receivedAt: 1 });

function setup() {
  const m = new MarketState((k) => link.markDirty(k));
  const link: RendererLink = new RendererLink({
    rows: (k) => m.row(k),
    allKeys: () => m.keys(),
    greet: () => [],
    onRequest: () => undefined,
    onInvalid: () => undefined,
    scheduler: fakeScheduler,
  });
  m.ensureRow('sim', 'BTC/USDT');
  const sent: ToRenderer[] = [];
  const c: RendererClient = { id: 'a', send: (x) => sent.push(x) };
  link.attach(c);
  const w = new TickBatchWriter();
  const tick = (last: number) => {
    w.ticker('sim|BTC/USDT', last, last, last, 0, 0, 0, last, last, SOURCE_WS);
    m.apply(w.flush(last));
  };
  const one = (x: ToRenderer): string => (x.type === 'candle-update' ? `update ${x.key.timeframe} ${x.candle.t}:${x.candle.c}` : x.type);
  const trace = () => sent.map((x) => (x.type === 'frame' ? `frame ${x.seq}${x.candles ? ` [${x.candles.map(one).join(', ')}]` : ''}` : one(x)));
  const ack = (seq: number, frameTime?: number) => link.receive('a', { type: 'frame-ack', seq, ...(frameTime === undefined ? {} : { frameTime }) });
  return { link, tick, trace, ack };
}

fakeTimersInEachTest();

describe('queueCandle', () => {
  it('an update replaces the waiting update of the same candle; a closed candle keeps its final state', () => {
    const q: CandleMessage[] = [];
    queueCandle(q, update(KEY, 0, 2));
    queueCandle(q, update(OTHER, 0, 7));
    queueCandle(q, update(KEY, 0, 3));
    queueCandle(q, update(KEY, 60_000, 4)); // the next minute: the first one's final state stays
    queueCandle(q, update(KEY, 60_000, 5));
    expect(q.map((m) => (m.type === 'candle-update' ? `${m.key.timeframe} ${m.candle.t}:${m.candle.c}` : m.type))).toEqual(['1m 0:3', '5m 0:7', '1m 60000:5']);
  });

  it('nothing moves across a history of the series', () => {
    const q: CandleMessage[] = [];
    queueCandle(q, update(KEY, 0, 2));
    queueCandle(q, history(KEY));
    queueCandle(q, update(KEY, 0, 3));
    expect(q.map((m) => (m.type === 'candle-update' ? `${m.candle.t}:${m.candle.c}` : m.type))).toEqual(['0:2', 'candle-history', '0:3']);
  });
});

describe('RendererLink candle messages', () => {
  it('go out in the frame, in the order they came', () => {
    const { link, tick, trace } = setup();
    link.sendWithFrame(update(KEY, 0, 2));
    link.sendWithFrame(history(OTHER));
    link.sendWithFrame(update(OTHER, 0, 5));
    tick(1);
    expect(trace()).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(trace()).toEqual(['frame 1 [update 1m 0:2, candle-history, update 5m 0:5]']);
  });

  it('more than a frame carries go on their own, just before it, in order', () => {
    const { link, tick, trace } = setup();
    for (let i = 0; i <= MAX_FRAME_CANDLES; i++) link.sendWithFrame(update(KEY, i * 60_000, 2));
    tick(1);
    vi.advanceTimersByTime(0);
    const t = trace();
    expect(t).toHaveLength(MAX_FRAME_CANDLES + 2);
    expect(t[0]).toBe('update 1m 0:2');
    expect(t.at(-2)).toBe(`update 1m ${MAX_FRAME_CANDLES * 60_000}:2`);
    expect(t.at(-1)).toBe('frame 1');
  });

  it('wait for the send slot before the renderer’s next paint, like the frame', () => {
    const { link, tick, trace, ack } = setup();
    tick(1);
    vi.advanceTimersByTime(0);
    ack(1, Date.now()); // the renderer painted now: its frame grid is known
    link.sendWithFrame(update(KEY, 0, 2));
    vi.advanceTimersByTime(1);
    expect(trace()).toEqual(['frame 1']); // not at once: a chart redraw of its own
    tick(2);
    vi.advanceTimersByTime(20);
    expect(trace()).toEqual(['frame 1', 'frame 2 [update 1m 0:2]']);
  });

  it('wait for the credit of a frame in flight, coalesced meanwhile', () => {
    const { link, tick, trace, ack } = setup();
    tick(1);
    vi.advanceTimersByTime(0);
    link.sendWithFrame(update(KEY, 0, 2));
    link.sendWithFrame(update(KEY, 0, 3));
    vi.advanceTimersByTime(100);
    expect(trace()).toEqual(['frame 1']);
    ack(1);
    vi.advanceTimersByTime(0);
    expect(trace()).toEqual(['frame 1', 'update 1m 0:3']);
  });

  it('alone, without rows to send, go at the slot and take no credit', () => {
    const { link, tick, trace } = setup();
    link.sendWithFrame(update(KEY, 0, 2));
    vi.advanceTimersByTime(0);
    expect(trace()).toEqual(['update 1m 0:2']);
    tick(1); // the credit is still there: the frame goes at once
    vi.advanceTimersByTime(0);
    expect(trace()).toEqual(['update 1m 0:2', 'frame 1']);
  });
});
