import { describe, expect, it } from 'vitest';
import { candleOpen, CandleMessageSchema, MAX_CANDLES, type Candle } from '../../shared/contract/candles';
import { parseCandleMessage, parseFromStreaming, parseToStreaming } from '../../shared/contract/streaming-protocol';
import { MAX_FRAME_CANDLES, ToRendererSchema } from '../../shared/contract/renderer-api';

const key = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' } as const;
const k = (t: number, o = 10, h = 12, l = 9, c = 11, v = 1): Candle => ({ t, o, h, l, c, v });
const history = (candles: Candle[]) => ({ type: 'candle-history', key, candles, state: 'live', receivedAt: 1 });

describe('candle contract', () => {
  it('accepts a well-formed history, update, state and demand through the process-boundary parsers', () => {
    expect(parseCandleMessage(history([k(60_000), k(120_000)]))).toMatchObject({ ok: true });
    expect(parseCandleMessage({ ...history([k(60_000)]), repaired: 1 })).toMatchObject({ ok: true });
    expect(parseCandleMessage({ type: 'candle-update', key, candle: k(180_000), receivedAt: 2 })).toMatchObject({ ok: true });
    expect(parseCandleMessage({ type: 'candle-state', key, state: 'reconnecting' })).toMatchObject({ ok: true });
    // They travel in the tick batch only: not as messages of their own.
    expect(parseFromStreaming({ type: 'candle-update', key, candle: k(180_000), receivedAt: 2 }).ok).toBe(false);
    expect(parseToStreaming({ type: 'candles-open', key, consumer: 'chart-1' })).toMatchObject({ ok: true });
    expect(parseToStreaming({ type: 'candles-close', key, consumer: 'chart-1' })).toMatchObject({ ok: true });
  });

  it.each([
    ['a non-finite price', history([k(60_000, Infinity)])],
    ['NaN volume', history([k(60_000, 10, 12, 9, 11, NaN)])],
    ['a high below the close', history([k(60_000, 10, 10.5, 9, 11)])],
    ['a low above the open', history([k(60_000, 10, 12, 10.5, 11)])],
    ['negative volume', history([k(60_000, 10, 12, 9, 11, -1)])],
    ['a candle not aligned to the timeframe', history([k(61_000)])],
    ['open times out of order', history([k(120_000), k(60_000)])],
    ['a duplicated open time', history([k(60_000), k(60_000)])],
    ['too many candles', history(Array.from({ length: MAX_CANDLES + 1 }, (_, i) => k(i * 60_000)))],
    ['an unknown timeframe', { ...history([]), key: { ...key, timeframe: '3m' } }],
    ['an extra field', { ...history([]), extra: 1 }],
    ['an unaligned update', { type: 'candle-update', key, candle: k(1), receivedAt: 2 }],
  ])('rejects %s', (_what, msg) => {
    expect(CandleMessageSchema.safeParse(msg).success).toBe(false);
    expect(parseCandleMessage(msg).ok).toBe(false);
  });

  it('rejects a demand without a consumer or with an unknown timeframe', () => {
    expect(parseToStreaming({ type: 'candles-open', key, consumer: '' }).ok).toBe(false);
    expect(parseToStreaming({ type: 'candles-open', key: { ...key, timeframe: '2h' }, consumer: 'c' }).ok).toBe(false);
  });

  it('aligns open times to the timeframe, also before the epoch', () => {
    expect(candleOpen(125_000, '1m')).toBe(120_000);
    expect(candleOpen(120_000, '1m')).toBe(120_000);
    expect(candleOpen(86_400_000 * 3 + 5, '1d')).toBe(86_400_000 * 3);
    expect(candleOpen(-1, '1s')).toBe(-1000);
  });
});

describe('candles in a renderer frame', () => {
  const frame = (candles: unknown) => ({ type: 'frame', seq: 1, sentAt: 1, rows: [], candles });
  const update = (t: number) => ({ type: 'candle-update', key, candle: k(t), receivedAt: 2 });

  it('a frame carries up to MAX_FRAME_CANDLES valid candle messages', () => {
    expect(ToRendererSchema.safeParse(frame([update(60_000), history([k(60_000)])])).success).toBe(true);
    expect(ToRendererSchema.safeParse(frame(Array.from({ length: MAX_FRAME_CANDLES }, (_, i) => update(i * 60_000)))).success).toBe(true);
  });

  it.each([
    ['an empty list', []],
    ['more than MAX_FRAME_CANDLES', Array.from({ length: MAX_FRAME_CANDLES + 1 }, (_, i) => update(i * 60_000))],
    ['an invalid candle', [update(1)]],
    ['a message that is not a candle', [{ type: 'notice', level: 'info', message: 'x' }]],
  ])('rejects a frame with %s', (_what, candles) => {
    expect(ToRendererSchema.safeParse(frame(candles)).success).toBe(false);
  });
});
