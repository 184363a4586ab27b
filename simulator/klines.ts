// Candles (klines) of one market and one interval, built from the market's own
// trades as they happen, so REST /klines and the kline streams agree with the
// trades exactly. The series starts when the simulator creates the market (no
// history is synthesized); an interval without a trade has no candle. Closed
// candles are kept up to KLINE_HISTORY (Binance's largest REST limit); a candle
// object is allocated when one opens, never per trade.

import { isTimeframe, TIMEFRAME_NAMES, TIMEFRAMES, type Candle as OhlcvCandle, type Timeframe } from '../shared/contract/candles';

// The intervals served are the terminal's chart timeframes (Binance's names and
// lengths for them): one table, so a timeframe the charts gain is served here too.
export const KLINE_INTERVALS = TIMEFRAMES;
export type KlineInterval = Timeframe;
export const KLINE_INTERVAL_NAMES = TIMEFRAME_NAMES;
export const isKlineInterval = isTimeframe;
/** Closed candles kept per interval. */
export const KLINE_HISTORY = 1000;

/**
 * One candle in the model's units: the terminal's OHLCV fields (open time a multiple
 * of the interval, prices in ticks, base volume in lots) plus Binance's kline extras.
 */
export interface Candle extends OhlcvCandle {
  /** Quote volume. */
  q: number;
  /** Number of trades. */
  n: number;
  /** First and last trade id. */
  f: number;
  L: number;
  /** Taker buy base volume (lots) and quote volume. */
  V: number;
  Q: number;
}

/** Which candles a REST request asks for (openTime bounds inclusive). */
export interface KlineQuery {
  startTime?: number;
  endTime?: number;
  limit: number;
}

export class KlineSeries {
  readonly ms: number;
  /** Closed candles, oldest first (ring of at most KLINE_HISTORY). */
  private readonly closed: Candle[] = [];
  private closedHead = 0;
  /** The candle trades go into now; undefined before the first trade. */
  current: Candle | undefined;

  constructor(
    readonly interval: KlineInterval,
    private readonly history: number = KLINE_HISTORY,
  ) {
    this.ms = KLINE_INTERVALS[interval];
  }

  /** Adds one trade; `quote` = price × size in quote units; buyerMaker false = the taker bought. */
  add(id: number, ticks: number, lots: number, quote: number, time: number, buyerMaker: boolean): void {
    let k = this.current;
    if (k === undefined || time >= k.t + this.ms) {
      if (k) this.close(k);
      const t = time - (time % this.ms);
      k = this.current = { t, o: ticks, h: ticks, l: ticks, c: ticks, v: 0, q: 0, n: 0, f: id, L: id, V: 0, Q: 0 };
    }
    if (ticks > k.h) k.h = ticks;
    if (ticks < k.l) k.l = ticks;
    k.c = ticks;
    k.v += lots;
    k.q += quote;
    k.n++;
    k.L = id;
    if (!buyerMaker) {
      k.V += lots;
      k.Q += quote;
    }
  }

  private close(k: Candle): void {
    if (this.closed.length < this.history) this.closed.push(k);
    else {
      this.closed[this.closedHead] = k;
      this.closedHead = (this.closedHead + 1) % this.history;
    }
  }

  /** Number of candles (closed + current). */
  get size(): number {
    return this.closed.length + (this.current ? 1 : 0);
  }

  /** The i-th candle, 0 = oldest kept; the last one is the current (open) candle. */
  at(i: number): Candle {
    const nClosed = this.closed.length;
    if (i === nClosed) return this.current!;
    return this.closed[(this.closedHead + i) % nClosed]!;
  }

  /** The candle with this open time, if kept. */
  find(t: number): Candle | undefined {
    for (let i = this.size - 1; i >= 0; i--) {
      const k = this.at(i);
      if (k.t === t) return k;
      if (k.t < t) return undefined;
    }
    return undefined;
  }

  /**
   * Candles a query selects, oldest first, as [first index, count]: from startTime on
   * (the first `limit`), else the last `limit` whose open time is <= endTime (or all).
   */
  select(q: KlineQuery): [number, number] {
    const n = this.size;
    let end = n; // exclusive
    if (q.endTime !== undefined) end = this.firstOpenAfter(q.endTime);
    if (q.startTime !== undefined) {
      const first = this.firstOpenAtOrAfter(q.startTime);
      return [first, Math.max(0, Math.min(q.limit, end - first))];
    }
    const count = Math.min(q.limit, end);
    return [end - count, count];
  }

  private firstOpenAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).t < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstOpenAfter(t: number): number {
    return this.firstOpenAtOrAfter(t + 1);
  }
}
