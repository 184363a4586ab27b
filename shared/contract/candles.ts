// Candles (OHLCV) as every process sees them: the timeframes a chart offers, one
// candle's shape and the messages that carry history, the live last candle and
// repair notices. Validated where received; bounded so a bad peer cannot make a
// receiver hold or draw an unbounded series.
import { z } from 'zod';

/** Timeframe → length in ms. 1s is always built from trades (no exchange history is assumed). */
export const TIMEFRAMES = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 } as const;
export type Timeframe = keyof typeof TIMEFRAMES;
export const TIMEFRAME_NAMES = Object.keys(TIMEFRAMES) as Timeframe[];

/** Candles kept per (instrument, timeframe), in the streaming process and in a chart. */
export const MAX_CANDLES = 5_000;
/** Candles fetched again after a reconnect. */
export const REPAIR_CANDLES = 100;

export function isTimeframe(s: string): s is Timeframe {
  return Object.prototype.hasOwnProperty.call(TIMEFRAMES, s);
}

/** Open time of the candle of `timeframe` that holds `time` (UTC-aligned, as exchanges align them). */
export function candleOpen(time: number, timeframe: Timeframe): number {
  const ms = TIMEFRAMES[timeframe];
  return time - (((time % ms) + ms) % ms);
}

/** One candle: open time (ms), prices, base volume. */
export interface Candle {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

const price = z.number().positive();
export const CandleSchema = z
  .object({ t: z.number().int().nonnegative(), o: price, h: price, l: price, c: price, v: z.number().nonnegative() })
  .strict()
  .refine((k) => k.h >= k.l && k.h >= k.o && k.h >= k.c && k.l <= k.o && k.l <= k.c, 'high/low do not enclose open/close');

export const CandleKeySchema = z
  .object({ exchange: z.string().min(1).max(64), symbol: z.string().min(1).max(64), timeframe: z.enum(TIMEFRAME_NAMES as [Timeframe, ...Timeframe[]]) })
  .strict();
export type CandleKey = z.infer<typeof CandleKeySchema>;

export function candleKeyId(k: CandleKey): string {
  return `${k.exchange}|${k.symbol}|${k.timeframe}`;
}

/** Candles oldest first, strictly increasing open times, each aligned to the key's timeframe. */
export const CandleSeriesSchema = z.array(CandleSchema).max(MAX_CANDLES);

/** Where a candle series stands: loading its history, live, or not live (with why). */
export const CandleStateSchema = z.enum(['loading', 'live', 'reconnecting', 'error']);
export type CandleState = z.infer<typeof CandleStateSchema>;

function ordered(key: CandleKey, candles: readonly Candle[]): boolean {
  const ms = TIMEFRAMES[key.timeframe];
  for (let i = 0; i < candles.length; i++) {
    const t = candles[i]!.t;
    if (t % ms !== 0) return false;
    if (i > 0 && t <= candles[i - 1]!.t) return false;
  }
  return true;
}

const withKey = <L extends string, T extends z.ZodRawShape>(type: L, shape: T) =>
  z.object({ type: z.literal(type), key: CandleKeySchema, ...shape }).strict();

/** The whole series (on open, and after a repair). */
export const CandleHistorySchema = withKey('candle-history', {
  candles: CandleSeriesSchema,
  state: CandleStateSchema,
  /** When the newest data in it was received (ms), or 0 if never. */
  receivedAt: z.number().nonnegative(),
  /** When the exchange last said (over REST) that a silent series holds its last candles: a quiet market, not a stale chart. */
  quietAt: z.number().nonnegative().optional(),
  /** Candles replaced by a repair after a reconnect; absent for a first load. */
  repaired: z.number().int().nonnegative().max(MAX_CANDLES).optional(),
  error: z.string().max(500).optional(),
}).refine((m) => ordered(m.key, m.candles), 'candles are not aligned to the timeframe and strictly increasing');
export type CandleHistory = z.infer<typeof CandleHistorySchema>;

/** The last candle changed (or a new one opened): at most one per series per flush. */
export const CandleUpdateSchema = withKey('candle-update', {
  candle: CandleSchema,
  receivedAt: z.number().nonnegative(),
}).refine((m) => m.candle.t % TIMEFRAMES[m.key.timeframe] === 0, 'candle is not aligned to the timeframe');
export type CandleUpdate = z.infer<typeof CandleUpdateSchema>;

/** The series' state changed without new data (e.g. the stream went down), or a silent live series was found quiet (`quietAt`). */
export const CandleStateMessageSchema = withKey('candle-state', {
  state: CandleStateSchema,
  error: z.string().max(500).optional(),
  quietAt: z.number().nonnegative().optional(),
});
export type CandleStateMessage = z.infer<typeof CandleStateMessageSchema>;

export const CandleMessageSchema = z.union([CandleHistorySchema, CandleUpdateSchema, CandleStateMessageSchema]);
export type CandleMessage = z.infer<typeof CandleMessageSchema>;

/** A consumer (a chart) opens or closes a series; the service reference-counts by consumer. */
export const CandleDemandSchema = z
  .object({ type: z.enum(['candles-open', 'candles-close']), key: CandleKeySchema, consumer: z.string().min(1).max(128) })
  .strict();
export type CandleDemand = z.infer<typeof CandleDemandSchema>;
