// The sync state of one full-depth book, apart from how the book is kept (ccxt keeps
// it: snapshot plus diffs). ccxt raises ChecksumError on a sequence gap and then
// forgets the book; it does not notice a crossed book nor say when a reconnect
// restarted the book. This class turns those facts into one state a trader can read,
// with counts of resyncs by cause, and says when the caller must force a fresh
// snapshot (a crossed book: ccxt would keep showing it).
import { BOOK_STATES, type BookState, type ResyncCause } from '../../../shared/market';

/** What an update did to the state. */
export type BookVerdict = 'synced' | 'crossed';

export class BookSync {
  state: BookState = 'syncing';
  /** The exchange's update id of the book shown (NaN before the first snapshot). */
  lastUpdateId = NaN;
  /** Local receipt time of the newest update (NaN before the first). */
  updatedAt = NaN;
  /** Resync episodes since subscribing, by cause. */
  readonly resyncsBy: Record<ResyncCause, number> = { gap: 0, crossed: 0, reconnect: 0 };
  /** The cause of the resync running now (undefined unless resyncing). */
  cause: ResyncCause | undefined;

  get resyncs(): number {
    return this.resyncsBy.gap + this.resyncsBy.crossed + this.resyncsBy.reconnect;
  }

  /** State as the numeric code the tick batch carries (index in BOOK_STATES). */
  get code(): number {
    return BOOK_STATES.indexOf(this.state);
  }

  /** Age of the book at `now` (ms since its newest update; Infinity before the first). */
  age(now: number): number {
    return Number.isNaN(this.updatedAt) ? Infinity : now - this.updatedAt;
  }

  /**
   * A book update arrived from ccxt. A crossed book (best bid ≥ best ask) starts a
   * resync: the caller must make ccxt fetch a fresh snapshot. Otherwise the book is synced.
   */
  update(bestBid: number | undefined, bestAsk: number | undefined, updateId: number, at: number): BookVerdict {
    this.updatedAt = at;
    this.lastUpdateId = updateId;
    if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) {
      this.resync('crossed');
      return 'crossed';
    }
    this.state = 'synced';
    this.cause = undefined;
    return 'synced';
  }

  /**
   * The book can no longer be trusted (gap, crossed, reconnect). Returns true when this
   * starts a resync episode (counted once, however many faults arrive before the next
   * good update). A reconnect before the first snapshot changes nothing: that book
   * was never shown as synced.
   */
  resync(cause: ResyncCause): boolean {
    if (this.state === 'resyncing' || (this.state === 'syncing' && cause === 'reconnect')) return false;
    this.state = 'resyncing';
    this.cause = cause;
    this.resyncsBy[cause]++;
    return true;
  }

  /** No update for longer than allowed; the next good update makes it synced again. */
  stale(): boolean {
    if (this.state === 'stale') return false;
    this.state = 'stale';
    return true;
  }
}

