// The depth and tape of focused instruments (those a renderer's ladder and tape show),
// kept between frames: the newest book per instrument and a bounded ring of recent
// trades with the gap markers among them. Each renderer reads it through a cursor,
// so a frame carries only what changed since that renderer's previous frame, and a
// renderer that fell behind the ring gets the recent tape again (reset) instead of a
// silent hole. Trades of instruments nobody focuses are not kept.
import type { DepthView, TapeGapView, TapeTrade, TapeView } from '../../../shared/contract/renderer-api';
import { MAX_TAPE_GAPS, MAX_TAPE_TRADES } from '../../../shared/contract/renderer-api';
import { SOURCE_REST, type BookTop, type TradeGap } from '../../../shared/contract/tick-batch';
import { bookStateOf } from '../../../shared/market';

const STRIDE = 5; // price, amount, side, time, rest

/** Recent trades of one instrument: a ring of fixed size, written in place. */
export class TapeRing {
  private readonly data: Float64Array;
  private readonly ids: string[];
  /** Trades ever pushed; the ring holds the last `capacity` of them. */
  seq = 0;
  /** Gaps ever recorded; `gaps` holds the last MAX_TAPE_GAPS, each with the trade seq it follows. */
  gapCount = 0;
  private readonly gaps: { seq: number; n: number; gap: TapeGapView }[] = [];

  constructor(readonly capacity = MAX_TAPE_TRADES) {
    this.data = new Float64Array(capacity * STRIDE);
    this.ids = new Array<string>(capacity).fill('');
  }

  push(price: number, amount: number, side: number, time: number, rest: boolean, id: string): void {
    const slot = this.seq % this.capacity;
    const o = slot * STRIDE;
    const d = this.data;
    d[o] = price;
    d[o + 1] = amount;
    d[o + 2] = side;
    d[o + 3] = time;
    d[o + 4] = rest ? 1 : 0;
    this.ids[slot] = id;
    this.seq++;
  }

  gap(gap: TapeGapView): void {
    this.gaps.push({ seq: this.seq, n: this.gapCount++, gap });
    if (this.gaps.length > MAX_TAPE_GAPS) this.gaps.shift();
  }

  /**
   * Trades after trade seq `since` and gaps after gap count `sinceGap`; everything kept
   * (reset) when `since` is -1 or fell out of the ring.
   */
  since(key: string, since: number, sinceGap: number): TapeView | undefined {
    const reset = since < 0 || since < this.seq - this.capacity;
    const from = reset ? Math.max(0, this.seq - this.capacity) : since;
    const gaps = this.gaps.filter((g) => (reset ? g.seq >= from : g.n >= sinceGap)).map((g) => g.gap);
    if (!reset && from === this.seq && gaps.length === 0) return undefined;
    if (since >= 0 && reset) {
      // This reader fell behind the ring: the trades it never got are shed, and said so.
      const at = this.data[(from % this.capacity) * STRIDE + 3]!;
      gaps.unshift({ fromId: '', toId: '', missing: from - since, recovered: 0, startedAt: at, endedAt: at, cause: 'shed' });
    }
    const trades: TapeTrade[] = [];
    const ids: string[] = [];
    for (let s = from; s < this.seq; s++) {
      const slot = s % this.capacity;
      const o = slot * STRIDE;
      const d = this.data;
      trades.push([d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!]);
      ids.push(this.ids[slot]!);
    }
    return { key, reset, trades, ids, gaps };
  }
}

interface BookEntry {
  top: BookTop;
  version: number;
}

/** Where one renderer is in the feed of its focused instrument. */
export interface FocusCursor {
  key: string;
  /** Tape seq already sent; -1: send the recent tape (reset). */
  tapeSeq: number;
  /** Gaps already sent (a ring's gapCount). */
  gapSeq: number;
  /** Book version already sent; -1: none. */
  bookVersion: number;
}

export class FocusFeed {
  private readonly books = new Map<string, BookEntry>();
  private readonly tapes = new Map<string, TapeRing>();

  /** Instruments focused by someone: only these keep a tape and a book. */
  retain(keys: ReadonlySet<string>): void {
    for (const k of keys) if (!this.tapes.has(k)) this.tapes.set(k, new TapeRing());
    for (const k of this.tapes.keys()) if (!keys.has(k)) this.tapes.delete(k);
    for (const k of this.books.keys()) if (!keys.has(k)) this.books.delete(k);
  }

  isFocused(key: string): boolean {
    return this.tapes.has(key);
  }

  book(top: BookTop): void {
    if (!this.tapes.has(top.key)) return;
    const e = this.books.get(top.key);
    if (e) {
      e.top = top;
      e.version++;
    } else this.books.set(top.key, { top, version: 0 });
  }

  trade(key: string, id: string, price: number, amount: number, side: number, time: number, source: number): void {
    this.tapes.get(key)?.push(price, amount, side, time, source === SOURCE_REST, id);
  }

  gap(g: TradeGap): void {
    this.tapes.get(g.key)?.gap({
      fromId: g.fromId, toId: g.toId, missing: Number.isNaN(g.missing) ? null : g.missing, recovered: g.recovered,
      startedAt: g.startedAt, endedAt: g.endedAt, cause: g.cause,
    });
  }

  /** What changed for this cursor since its last frame; advances it. */
  read(cursor: FocusCursor): { depth?: DepthView; tape?: TapeView } {
    const out: { depth?: DepthView; tape?: TapeView } = {};
    const b = this.books.get(cursor.key);
    if (b && b.version !== cursor.bookVersion) {
      cursor.bookVersion = b.version;
      out.depth = depthView(b.top);
    }
    const ring = this.tapes.get(cursor.key);
    if (ring) {
      const tape = ring.since(cursor.key, cursor.tapeSeq, cursor.gapSeq);
      cursor.tapeSeq = ring.seq;
      cursor.gapSeq = ring.gapCount;
      if (tape) out.tape = tape;
    }
    return out;
  }
}

function depthView(top: BookTop): DepthView {
  return {
    key: top.key,
    state: bookStateOf(top.state) ?? 'syncing',
    updateId: Number.isNaN(top.updateId) ? null : top.updateId,
    eventTime: Number.isNaN(top.eventTime) ? null : top.eventTime,
    receivedAt: top.receivedAt,
    source: top.source === SOURCE_REST ? 'rest' : 'ws',
    bids: top.bids,
    asks: top.asks,
  };
}
