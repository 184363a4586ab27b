// Candles built from trades, for timeframes the exchange has no kline stream for
// (and always for 1s). An interval without a trade has no candle, as on exchanges.
// Trades may arrive out of order (across a reconnect, or from REST gap-fill): a late
// trade still widens high/low and adds volume to its candle if that candle is kept;
// open/close follow trade time within the last candle only (earlier candles do not
// keep their trades' times, and REST repair replaces them anyway). A candle that came
// closed from REST holds every trade made in it: the stream's copy of one of those
// trades (ccxt hands trades made before a history fetch over with the stream's first
// delivery after it) is not added again.
import { candleOpen, type Timeframe } from '../../../shared/contract/candles';
import { CandleSeries } from './candle-series';

export type TradeEffect = 'updated' | 'opened' | 'late' | 'dropped' | 'whole';

export class TradeCandles {
  /** Trade times of the last candle's open and close (the order within it). */
  private firstAt = 0;
  private lastAt = 0;
  /** Candles opening before this time came closed from REST (restWholeBefore). */
  private wholeBefore = -Infinity;

  constructor(
    readonly timeframe: Timeframe,
    readonly series: CandleSeries = new CandleSeries(),
  ) {}

  /** The series' candles opening before `t` came closed from REST: their trades are all in them. */
  restWholeBefore(t: number): void {
    if (t > this.wholeBefore) this.wholeBefore = t;
  }

  /** Adds one trade; says what it did to the series ('whole': its candle came whole from REST). */
  add(price: number, amount: number, time: number): TradeEffect {
    if (!(price > 0) || !(amount >= 0) || !Number.isFinite(price) || !Number.isFinite(amount) || !Number.isFinite(time)) return 'dropped';
    const t = candleOpen(time, this.timeframe);
    if (t < this.wholeBefore) return 'whole';
    const last = this.series.last();
    if (!last || t > last.t) {
      this.series.upsert({ t, o: price, h: price, l: price, c: price, v: amount });
      this.firstAt = this.lastAt = time;
      return 'opened';
    }
    if (t === last.t) {
      if (price > last.h) last.h = price;
      if (price < last.l) last.l = price;
      last.v += amount;
      if (time >= this.lastAt) {
        last.c = price;
        this.lastAt = time;
      }
      if (time < this.firstAt) {
        last.o = price;
        this.firstAt = time;
      }
      return 'updated';
    }
    const k = this.series.at(t);
    if (k) {
      if (price > k.h) k.h = price;
      if (price < k.l) k.l = price;
      k.v += amount;
      return 'late';
    }
    // A late trade in an interval that had no candle: the candle it opens is its own.
    return this.series.upsert({ t, o: price, h: price, l: price, c: price, v: amount }) ? 'late' : 'dropped';
  }
}
