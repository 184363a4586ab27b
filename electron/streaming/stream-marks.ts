// What "newest" means for each kind of stream, as the stream holds it and as the
// exchange's REST says it is now, in the same units: a tape's newest trade id, a
// book's update id, a ticker's last counted trade id (and its best bid and ask). The
// silence check compares the two (silent-stream-check.ts).
import type { Ticker } from 'ccxt';
import { tickerTradeId } from './channel-calls';
import type { StreamExchange } from './instrumented-exchange';
import type { Subscription } from './subscription';
import { restBookUpdateId } from './book/book-feed';
import { newestRestTradeId } from './trades/gap-recovery';

/**
 * Symbols one ticker request may ask about: Binance's /ticker/24hr takes a list, and
 * weighs 40 for 21 to 100 symbols, 80 above.
 */
export const TICKERS_PER_REQUEST = 100;

/** The newest mark `sub`'s stream holds (NaN: none yet, or none it can tell). */
export function heldMark(sub: Subscription): number {
  const t = sub.target;
  if (t.tape) return t.tape.newestId;
  if (t.book) return t.book.lastUpdateId;
  return t.lastTradeId ?? NaN;
}

/** The newest mark of a tape's or a book's stream over REST (undefined: a tape with no trade at all). */
export function restMark(ex: StreamExchange, sub: Subscription): Promise<number | undefined> {
  return sub.target.tape ? newestRestTradeId(ex, sub.key.symbol) : restBookUpdateId(ex, sub.key.symbol);
}

/** The tickers of `symbols` over REST, in one request where the exchange can. */
export async function fetchTickersOf(ex: StreamExchange, symbols: string[]): Promise<Record<string, Ticker | undefined>> {
  if (symbols.length > 1 && ex.has['fetchTickers']) return ex.fetchTickers(symbols);
  const out: Record<string, Ticker> = {};
  for (const s of symbols) out[s] = await ex.fetchTicker(s);
  return out;
}

/** Both sides carry the price, and they differ (a stream or an answer without it compares nothing). */
const differs = (held: number | undefined, rest: unknown): boolean => typeof rest === 'number' && Number.isFinite(rest) && held !== undefined && Number.isFinite(held) && held !== rest;

/**
 * The ticker marks of `subs` over REST, in one request: the last trade id each
 * ticker counts, NaN for a symbol missing from the answer. A book can move without a
 * trade: a row whose best bid or ask differs from the exchange's now is behind
 * whatever its trade id says (Infinity: missed).
 */
export async function restTickerMarks(ex: StreamExchange, subs: Subscription[]): Promise<Map<Subscription, number>> {
  const marks = new Map<Subscription, number>();
  const tickers = await fetchTickersOf(ex, subs.map((s) => s.key.symbol));
  for (const sub of subs) {
    const ticker = tickers[sub.key.symbol];
    const moved = ticker !== undefined && (differs(sub.target.lastBid, ticker.bid) || differs(sub.target.lastAsk, ticker.ask));
    marks.set(sub, moved ? Infinity : tickerTradeId(ticker?.info));
  }
  return marks;
}
