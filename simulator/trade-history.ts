// The trades of one market kept for REST (/trades, /historicalTrades, /aggTrades):
// a bounded ring, oldest dropped first, in typed arrays that start small and
// double up to the bound, so a market nobody asks much of stays small and a
// step costs no allocation once the bound is reached. Ids are consecutive and
// times non-decreasing (one trade per market step), which makes every lookup a
// subtraction or a binary search.

/** Default bound: the last 10,000 trades per market (~330 KB at the bound). */
export const TRADE_HISTORY_LIMIT = 10_000;
const INITIAL_CAPACITY = 256;

/** Which trades a REST request asks for (Binance semantics; every bound inclusive). */
export interface TradeQuery {
  fromId?: number;
  startTime?: number;
  endTime?: number;
  limit: number;
}

export class TradeHistory {
  id: Float64Array;
  ticks: Float64Array;
  lots: Float64Array;
  time: Float64Array;
  maker: Uint8Array;
  private head = 0; // slot of the oldest trade
  private len = 0;

  constructor(readonly limit: number = TRADE_HISTORY_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`trade history limit must be a positive integer, got ${limit}`);
    const cap = Math.min(INITIAL_CAPACITY, limit);
    this.id = new Float64Array(cap);
    this.ticks = new Float64Array(cap);
    this.lots = new Float64Array(cap);
    this.time = new Float64Array(cap);
    this.maker = new Uint8Array(cap);
  }

  get size(): number {
    return this.len;
  }

  /** Slot of the i-th kept trade, 0 = oldest. */
  slot(i: number): number {
    return (this.head + i) % this.id.length;
  }

  push(id: number, ticks: number, lots: number, time: number, buyerMaker: boolean): void {
    if (this.len === this.id.length && this.len < this.limit) this.grow();
    let s: number;
    if (this.len === this.id.length) {
      s = this.head; // full at the bound: overwrite the oldest
      this.head = (this.head + 1) % this.id.length;
    } else {
      s = this.slot(this.len);
      this.len++;
    }
    this.id[s] = id;
    this.ticks[s] = ticks;
    this.lots[s] = lots;
    this.time[s] = time;
    this.maker[s] = buyerMaker ? 1 : 0;
  }

  /** The kept trades a query selects, as [first index, count] (indices: 0 = oldest). */
  select(q: TradeQuery): [number, number] {
    const n = this.len;
    if (n === 0) return [0, 0];
    if (q.fromId === undefined && q.startTime === undefined && q.endTime === undefined) {
      const count = Math.min(q.limit, n);
      return [n - count, count]; // the most recent
    }
    let first = 0;
    if (q.fromId !== undefined) first = Math.max(first, Math.min(n, q.fromId - this.id[this.slot(0)]!));
    if (q.startTime !== undefined) first = Math.max(first, this.firstAtOrAfter(q.startTime));
    let end = n; // exclusive
    if (q.endTime !== undefined) end = this.firstAtOrAfter(q.endTime + 1);
    const count = Math.max(0, Math.min(q.limit, end - first));
    return [first, count];
  }

  /** Index of the first kept trade with time >= t (n when none). */
  private firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[this.slot(mid)]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const oldCap = this.id.length;
    const cap = Math.min(this.limit, oldCap * 2);
    const copy = <T extends Float64Array | Uint8Array>(old: T, next: T): T => {
      for (let i = 0; i < this.len; i++) next[i] = old[(this.head + i) % oldCap]!;
      return next;
    };
    this.id = copy(this.id, new Float64Array(cap));
    this.ticks = copy(this.ticks, new Float64Array(cap));
    this.lots = copy(this.lots, new Float64Array(cap));
    this.time = copy(this.time, new Float64Array(cap));
    this.maker = copy(this.maker, new Uint8Array(cap));
    this.head = 0;
  }
}
