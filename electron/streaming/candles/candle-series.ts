// One bounded candle series (oldest first, open times strictly increasing) and the
// two ways it changes: the live last candle (upsert) and a fetched range that
// replaces what it covers (merge: history load and repair after a reconnect).
import { MAX_CANDLES, type Candle } from '../../../shared/contract/candles';

/** The same candle to the last bit (the stream's repeat of one it already sent). */
export function identicalCandle(a: Candle, b: Candle): boolean {
  return a.t === b.t && a.o === b.o && a.h === b.h && a.l === b.l && a.c === b.c && a.v === b.v;
}

/** Index of the first candle with open time ≥ t. */
function lowerBound(candles: readonly Candle[], t: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class CandleSeries {
  private candles: Candle[] = [];

  constructor(private readonly max: number = MAX_CANDLES) {}

  get length(): number {
    return this.candles.length;
  }

  last(): Candle | undefined {
    return this.candles[this.candles.length - 1];
  }

  /** The i-th candle, oldest first (no copy). */
  nth(i: number): Candle | undefined {
    return this.candles[i];
  }

  /** A copy, oldest first. */
  snapshot(): Candle[] {
    return this.candles.slice();
  }

  /** Finds the candle opened at t (the live path looks at the last one first). */
  at(t: number): Candle | undefined {
    const last = this.last();
    if (last && last.t === t) return last;
    const i = lowerBound(this.candles, t);
    const k = this.candles[i];
    return k && k.t === t ? k : undefined;
  }

  /**
   * Puts one candle in: replaces the one with the same open time, appends a newer
   * one, inserts an older missing one in order. Returns false (ignored) for a candle
   * older than everything kept when the series is full.
   */
  upsert(k: Candle): boolean {
    const n = this.candles.length;
    const last = this.candles[n - 1];
    if (!last || k.t > last.t) {
      this.candles.push(k);
      this.trim();
      return true;
    }
    if (k.t === last.t) {
      this.candles[n - 1] = k;
      return true;
    }
    const i = lowerBound(this.candles, k.t);
    if (this.candles[i]!.t === k.t) this.candles[i] = k;
    else if (i === 0 && n >= this.max) return false;
    else this.candles.splice(i, 0, k);
    this.trim();
    return true;
  }

  /**
   * Replaces every candle within the fetched range's open-time span by the range
   * (the exchange is the authority for what it returns). Returns how many candles
   * were replaced: changed, missing before, or held but absent from the exchange.
   * `range` must be oldest first with increasing open times.
   */
  merge(range: readonly Candle[]): number {
    if (range.length === 0) return 0;
    const from = range[0]!.t;
    const to = range[range.length - 1]!.t;
    const start = lowerBound(this.candles, from);
    const end = lowerBound(this.candles, to + 1);
    const held = new Map<number, Candle>();
    for (let i = start; i < end; i++) held.set(this.candles[i]!.t, this.candles[i]!);
    let replaced = 0;
    for (const k of range) {
      const h = held.get(k.t);
      if (!h || !identicalCandle(h, k)) replaced++;
      held.delete(k.t);
    }
    replaced += held.size;
    this.candles = [...this.candles.slice(0, start), ...range, ...this.candles.slice(end)];
    this.trim();
    return replaced;
  }

  clear(): void {
    this.candles = [];
  }

  private trim(): void {
    const over = this.candles.length - this.max;
    if (over > 0) this.candles.splice(0, over);
  }
}
