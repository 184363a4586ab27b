// The session's handling of a full-depth book going bad: judging each book delivered
// (a crossed one makes ccxt fetch a fresh snapshot), a resync per reconnect, and
// ccxt's sequence gaps, which back off when they come in a row. One BOOK_RESYNC event
// per resync episode.
import type { OrderBook } from 'ccxt';
import { errorMessage } from '../../../shared/error-message';
import { sleep, type Scheduler } from '../../../shared/lifecycle/timers';
import type { ResyncCause } from '../../../shared/market';
import type { StreamExchange } from '../instrumented-exchange';
import type { SessionReport } from '../session-report';
import type { Subscription } from '../subscription';
import { forgetBook, judgeBook, resyncBook } from './book-feed';

/** Longest pause between resyncs of a book whose snapshots keep failing to continue. */
const BOOK_GAP_BACKOFF_CAP_MS = 2000;

export class BookRecovery {
  constructor(
    private readonly report: SessionReport,
    private readonly scheduler: Scheduler,
  ) {}

  /** Judges a book subscription's delivery before it is written; anything else passes. */
  delivered(sub: Subscription, result: unknown, ex: StreamExchange): void {
    const book = sub.target.book;
    if (!book) return;
    const was = book.state;
    if (judgeBook(book, result as OrderBook, ex.lastReceivedAt) === 'crossed') {
      // ccxt would keep the crossed book and apply diffs to it: make it fetch a snapshot.
      forgetBook(ex, sub.key.symbol);
      this.bookEvent(sub, 'crossed', 'best bid at or above best ask');
    } else if (was !== 'synced') this.report.changed();
  }

  /** A book subscription's book can no longer be trusted; one event per resync episode. */
  resync(sub: Subscription, cause: ResyncCause, message: string): void {
    if (resyncBook(sub.target, cause)) this.bookEvent(sub, cause, message);
  }

  /**
   * ccxt found a gap in the book's update ids and dropped the book. The socket is fine
   * (ChecksumError is a NetworkError in ccxt, but no reconnect is needed): the next
   * watch subscribes again and starts from a snapshot. Gaps in a row back off.
   * Resolves false when the loop should end (aborted meanwhile).
   */
  async gap(sub: Subscription, e: unknown, signal: AbortSignal): Promise<boolean> {
    this.report.countError(e);
    this.resync(sub, 'gap', errorMessage(e));
    const streak = ++sub.malformedStreak;
    if (streak > 1) await sleep(this.scheduler, Math.min(BOOK_GAP_BACKOFF_CAP_MS, 50 * 2 ** streak), signal);
    return !signal.aborted;
  }

  private bookEvent(sub: Subscription, cause: ResyncCause, message: string): void {
    this.report.event('BOOK_RESYNC', sub, { cause, message });
    this.report.changed();
  }
}
