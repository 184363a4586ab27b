// The session's side of a full-depth book: judging each book ccxt delivers, forcing a
// fresh snapshot when ccxt would keep a bad one, and telling the consumers about a
// state change even when no new levels came with it.
import type { OrderBook } from 'ccxt';
import type { ResyncCause } from '../../../shared/market';
import type { StreamExchange } from '../instrumented-exchange';
import type { RowTarget } from '../channel-calls';
import type { BookSync, BookVerdict } from './book-sync';

/** ccxt pro's message hash of one symbol's book (the key of its future and its subscription). */
function bookHash(symbol: string): string {
  return `orderbook::${symbol}`;
}

/**
 * Makes ccxt drop its book of `symbol` and its subscription, as it does itself on a
 * ChecksumError: the next watchOrderBook subscribes again and starts from a snapshot.
 */
export function forgetBook(ex: StreamExchange, symbol: string): void {
  const books = (ex as unknown as { orderbooks?: Record<string, unknown> }).orderbooks;
  if (books) delete books[symbol];
  const hash = bookHash(symbol);
  for (const client of Object.values(ex.clients)) {
    const subs = (client as unknown as { subscriptions?: Record<string, unknown> }).subscriptions;
    if (subs && hash in subs) delete subs[hash];
  }
}

/** The newest update id of `symbol`'s book over REST (a 5-level snapshot's), NaN when it carries none. */
export async function restBookUpdateId(ex: StreamExchange, symbol: string): Promise<number> {
  const nonce = (await ex.fetchOrderBook(symbol, 5) as unknown as { nonce?: unknown }).nonce;
  return typeof nonce === 'number' ? nonce : NaN;
}

/** Judges a book ccxt delivered; a crossed one is already flagged resyncing in `sync`. */
export function judgeBook(sync: BookSync, ob: OrderBook, rx: number): BookVerdict {
  const bids = ob.bids as unknown as number[][];
  const asks = ob.asks as unknown as number[][];
  const nonce = (ob as unknown as { nonce?: unknown }).nonce;
  return sync.update(bids[0]?.[0], asks[0]?.[0], typeof nonce === 'number' ? nonce : NaN, rx);
}

/**
 * Starts a resync in `target`'s book; when that changes the state shown, the last book
 * sent goes out again carrying it (so a book not synced never looks synced). Returns
 * true when a resync episode began.
 */
export function resyncBook(target: RowTarget, cause: ResyncCause): boolean {
  const sync = target.book;
  if (!sync || !sync.resync(cause)) return false;
  resendState(target);
  return true;
}

/** The book went silent for too long; returns true when the state changed. */
export function staleBook(target: RowTarget): boolean {
  if (!target.book || !target.book.stale()) return false;
  resendState(target);
  return true;
}

function resendState(target: RowTarget): void {
  const top = target.bookTop;
  if (!top || !target.book) return;
  top.state = target.book.code;
  target.sink.book(top, target.processingLatency);
}
