// What ccxt cached for a subscription that no watch has returned. ccxt pro resolves a
// watch only while one is pending for the message's hash: a message handled while
// none is (the watch loop waiting out a turn, turn-yield.ts) only updates ccxt's cache,
// and the stream hands it over with its next message, which a market that has just
// gone quiet never sends. The row kept the previous price as live, and the silence
// check then found REST ahead of the stream and called a stream that lost nothing
// stale. The watch loop (before it watches again) and the silence check take it from
// the cache instead. (Frames of one socket read are not the case: ccxt hands them over
// in one go and the watch's continuation reads the cache after them.) Read as ccxt 4.5
// keeps it: a new ticker object per message in `tickers`, one ArrayCache per symbol in
// `trades` (its hidden per-symbol new-update count, which watchTrades takes with
// getLimit), one OrderBook per symbol in `orderbooks` (mutated in place; its nonce is
// the update id it holds). The chart's kline caches are read here too (undeliveredKlines).
import type { SubscriptionKey } from '../../shared/market';

/** ccxt pro's caches, as far as they are read here. */
interface CcxtCaches {
  tickers?: Record<string, unknown>;
  trades?: Record<string, unknown>;
  orderbooks?: Record<string, unknown>;
}

/** ccxt's ArrayCache, as far as telling and taking its new updates goes (hidden fields). */
interface TradeCache {
  readonly length: number;
  readonly [i: number]: { symbol?: unknown } | undefined;
  /** Per symbol: true once a watch took the updates (getLimit), false again at the next append. */
  clearUpdatesBySymbol?: Record<string, boolean | undefined>;
  getLimit(symbol: string, limit: undefined): number;
}

function nonceOf(book: unknown): number | undefined {
  const nonce = (book as { nonce?: unknown } | undefined)?.nonce;
  return typeof nonce === 'number' ? nonce : undefined;
}

/**
 * What a stream result written for `key` leaves to compare the cache with later: the
 * ticker written (ccxt's cached one, else the result), the trade cache it came from,
 * the update id of the book. Undefined: nothing to compare (no ccxt cache behind it).
 */
export function deliveredMark(ex: unknown, key: SubscriptionKey, result: unknown): unknown {
  const c = ex as CcxtCaches;
  switch (key.channel) {
    case 'ticker':
      return c.tickers?.[key.symbol] ?? result;
    case 'trades':
      return c.trades?.[key.symbol];
    case 'book':
      return nonceOf(result);
  }
}

/**
 * What ccxt cached for `key` after the result that left `mark` (deliveredMark), as a
 * watch would have resolved with it; undefined when nothing newer is there, or nothing
 * was delivered yet. A ticker or a book is only read (the next watch resolves with the
 * next message anyway); trades are taken as watchTrades takes them (getLimit), so the
 * next watch returns only what comes after. Allocates only when it finds something.
 */
export function takeUndelivered(ex: unknown, key: SubscriptionKey, mark: unknown): unknown {
  if (mark === undefined) return undefined;
  const c = ex as CcxtCaches;
  switch (key.channel) {
    case 'ticker': {
      const ticker = c.tickers?.[key.symbol];
      return ticker !== undefined && ticker !== mark ? ticker : undefined;
    }
    case 'trades': {
      const cache = c.trades?.[key.symbol];
      return cache === mark ? takeTrades(cache as TradeCache) : undefined;
    }
    case 'book': {
      const book = c.orderbooks?.[key.symbol];
      const nonce = nonceOf(book);
      if (nonce === undefined || nonce === mark) return undefined;
      // what watchOrderBook returns: the book cut to its depth
      const limit = (book as { limit?: unknown }).limit;
      return typeof limit === 'function' ? limit.call(book) : book;
    }
  }
}

/**
 * The trades appended since a watch last took them, oldest first, taken (undefined:
 * none). watchTrades asks the cache by its first trade's symbol how many are new (every
 * append since it last asked) and returns the newest that many it still holds.
 */
function takeTrades(cache: TradeCache): unknown[] | undefined {
  const symbol = cache[0]?.symbol;
  if (typeof symbol !== 'string' || cache.clearUpdatesBySymbol?.[symbol] !== false) return undefined;
  const n = cache.getLimit(symbol, undefined);
  const out: unknown[] = [];
  for (let i = Math.max(0, cache.length - n); i < cache.length; i++) out.push(cache[i]);
  return out.length ? out : undefined;
}

/**
 * The rows of a ccxt pro kline cache (ArrayCacheByTimestamp, ccxt 4.5) that no watch has
 * returned yet: its hidden `clearUpdates` turns true when a watch takes the updates
 * (getLimit) and false at the next append, and `newUpdates` counts the candles appended
 * since, which are its last rows (what the next watch would return). Anything else:
 * none. Read only, unlike the trades above: the next watch still gets them, and the
 * chart takes a candle it already holds as no change. Copied into a plain array (the
 * cache's own slice would build another cache).
 */
export function undeliveredKlines(cache: unknown): readonly (number | undefined)[][] | undefined {
  if (!Array.isArray(cache)) return undefined;
  const c = cache as unknown as { clearUpdates?: unknown; newUpdates?: unknown };
  if (c.clearUpdates !== false || typeof c.newUpdates !== 'number' || !(c.newUpdates > 0)) return undefined;
  const rows = cache as (number | undefined)[][];
  const out: (number | undefined)[][] = [];
  for (let i = Math.max(0, rows.length - c.newUpdates); i < rows.length; i++) out.push(rows[i]!);
  return out;
}
