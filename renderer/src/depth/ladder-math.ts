// The depth ladder's arithmetic, apart from drawing: the price step of a book,
// grouping levels into buckets of N ticks (bids down, asks up, so a bucket never
// claims a better price than its levels have), cumulative depth, the spread in ticks
// and basis points, and the bid/ask imbalance over the visible levels.

export type Level = readonly [price: number, size: number];

/** One row of a side of the ladder after grouping. */
export interface LadderLevel {
  price: number;
  size: number;
  /** Sum of sizes from the best price to this level. */
  cumulative: number;
}

/**
 * The book's price step: the smallest gap between adjacent levels, rounded to a
 * decimal step (1, 2 or 5 × 10^k) so float noise (0.30000000000000004) does not count.
 * NaN with fewer than two levels.
 */
export function inferTick(bids: readonly Level[], asks: readonly Level[]): number {
  let min = Infinity;
  for (const side of [bids, asks]) for (let i = 1; i < side.length; i++) {
    const d = Math.abs(side[i]![0] - side[i - 1]![0]);
    if (d > 0 && d < min) min = d;
  }
  if (!Number.isFinite(min)) return NaN;
  const exp = Math.floor(Math.log10(min));
  const unit = 10 ** exp;
  const m = min / unit;
  const step = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
  return round(step * unit);
}

/** Rounds away binary float noise at 12 significant digits. */
function round(v: number): number {
  return Number(v.toPrecision(12));
}

/**
 * Groups one side into buckets of `groupTicks` × `tick`, at most `levels` buckets,
 * best first. Bids floor to their bucket, asks ceil.
 */
export function groupSide(side: readonly Level[], tick: number, groupTicks: number, levels: number, isBid: boolean): LadderLevel[] {
  const out: LadderLevel[] = [];
  const step = Number.isFinite(tick) && tick > 0 ? tick * groupTicks : NaN;
  let cumulative = 0;
  for (const [price, size] of side) {
    const bucket = Number.isNaN(step) ? price : round((isBid ? Math.floor(price / step + 1e-9) : Math.ceil(price / step - 1e-9)) * step);
    cumulative += size;
    const last = out[out.length - 1];
    if (last && last.price === bucket) {
      last.size += size;
      last.cumulative = cumulative;
      continue;
    }
    if (out.length === levels) break;
    out.push({ price: bucket, size, cumulative });
  }
  return out;
}

/** Spread between the best bid and ask, in ticks and basis points of the mid (NaN when a side is empty). */
export function spread(bestBid: number | undefined, bestAsk: number | undefined, tick: number): { abs: number; ticks: number; bps: number } {
  if (bestBid === undefined || bestAsk === undefined) return { abs: NaN, ticks: NaN, bps: NaN };
  const abs = round(bestAsk - bestBid);
  const mid = (bestAsk + bestBid) / 2;
  return { abs, ticks: Number.isFinite(tick) && tick > 0 ? Math.round(abs / tick) : NaN, bps: mid > 0 ? (abs / mid) * 10_000 : NaN };
}

/** Bid share of the volume on the visible levels, from -1 (all asks) to 1 (all bids); 0 when both are empty. */
export function imbalance(bids: readonly LadderLevel[], asks: readonly LadderLevel[]): number {
  const b = bids.length ? bids[bids.length - 1]!.cumulative : 0;
  const a = asks.length ? asks[asks.length - 1]!.cumulative : 0;
  return b + a > 0 ? (b - a) / (b + a) : 0;
}

/**
 * Volume traded at each price over a sliding window, in one-second buckets so that
 * expiry costs nothing per trade. Prices are keyed as the ladder groups them.
 */
export class VolumeAtPrice {
  private readonly buckets: { second: number; volume: Map<number, number> }[] = [];
  /** Running sum per raw price over the buckets kept: grouping reads this, not every bucket. */
  private readonly sum = new Map<number, number>();

  constructor(private windowMs: number) {}

  setWindow(ms: number): void {
    this.windowMs = ms;
  }

  add(price: number, amount: number, time: number): void {
    const second = Math.floor(time / 1000);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.second < second) {
      b = { second, volume: new Map() };
      this.buckets.push(b);
    } else if (b.second > second) {
      // A recovered (older) trade: into its own second, kept in order (expiry drops it in time).
      let i = this.buckets.length - 1;
      while (i >= 0 && this.buckets[i]!.second > second) i--;
      if (i >= 0 && this.buckets[i]!.second === second) b = this.buckets[i]!;
      else {
        b = { second, volume: new Map() };
        this.buckets.splice(i + 1, 0, b);
      }
    }
    b.volume.set(price, (b.volume.get(price) ?? 0) + amount);
    this.sum.set(price, (this.sum.get(price) ?? 0) + amount);
  }

  /** Traded volume per grouped price within the window ending at `now`. */
  totals(now: number, tick: number, groupTicks: number, isBidSideOf: (price: number) => boolean): Map<number, number> {
    // whole seconds only: a second partly outside the window has expired
    const oldest = Math.ceil((now - this.windowMs) / 1000);
    while (this.buckets.length && this.buckets[0]!.second < oldest) {
      for (const [price, v] of this.buckets.shift()!.volume) {
        const left = (this.sum.get(price) ?? 0) - v;
        if (left > 1e-12) this.sum.set(price, left);
        else this.sum.delete(price);
      }
    }
    const step = Number.isFinite(tick) && tick > 0 ? tick * groupTicks : NaN;
    const out = new Map<number, number>();
    for (const [price, v] of this.sum) {
      const key = Number.isNaN(step) ? price : round((isBidSideOf(price) ? Math.floor(price / step + 1e-9) : Math.ceil(price / step - 1e-9)) * step);
      out.set(key, (out.get(key) ?? 0) + v);
    }
    return out;
  }

  clear(): void {
    this.buckets.length = 0;
    this.sum.clear();
  }
}
