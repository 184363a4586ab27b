// How each channel maps onto ccxt calls (watch, unWatch, REST fallback), and the
// conversion of ccxt's results into rows of the tick batch. Kept apart from the
// session so the session deals with connection state only.
import { ccxt } from './exchange-loader';
import type { OrderBook, Ticker, Trade } from 'ccxt';
import { now } from '../../shared/clock';
import { SOURCE_REST, type BookTop } from '../../shared/contract/tick-batch';
import { BOOK_SYNCED_CODE, type Channel, type SubscriptionKey } from '../../shared/market';
import type { StreamExchange } from './instrumented-exchange';
import type { BookSync } from './book/book-sync';
import type { TapeContinuity, TapeHole } from './trades/tape-continuity';
import type { LatencyRing } from './latency-ring';
import type { TickSink } from './tick-sink';
import { deliveredMark } from './undelivered-updates';

/** Binance needs {name:'ticker'} for the full 24hrTicker (bid/ask); others ignore unknown params. */
function tickerParams(ex: StreamExchange): Record<string, unknown> {
  return ex.id.startsWith('binance') ? { name: 'ticker' } : {};
}

/** Starts one watch; returns synchronously so the caller can read ex.lastWatchUrl right after. */
export function callWatch(ex: StreamExchange, key: SubscriptionKey): Promise<unknown> {
  switch (key.channel) {
    case 'ticker':
      return ex.watchTicker(key.symbol, tickerParams(ex));
    case 'trades':
      return ex.watchTrades(key.symbol);
    case 'book':
      return ex.watchOrderBook(key.symbol);
  }
}

/** Starts one watch per item on `ex`; resolves once each has delivered, with the socket URL it went to. */
export function watchEach<T extends { key: SubscriptionKey }>(ex: StreamExchange, items: readonly T[]): Promise<{ item: T; result: unknown; url: string | undefined }[]> {
  return Promise.all(
    items.map((item) => {
      const p = callWatch(ex, item.key);
      p.catch(() => undefined); // Promise.all reports the first failure; the others are expected
      const url = ex.lastWatchUrl;
      return p.then((result) => ({ item, result, url }));
    }),
  );
}

const UNWATCH: Record<Channel, string> = { ticker: 'unWatchTicker', trades: 'unWatchTrades', book: 'unWatchOrderBook' };

/** Sends the exchange's unsubscribe where ccxt has one; false when it does not. */
export function callUnWatch(ex: StreamExchange, key: SubscriptionKey): Promise<unknown> | false {
  if (!ex.has[UNWATCH[key.channel]]) return false;
  switch (key.channel) {
    case 'ticker':
      return ex.unWatchTicker(key.symbol, tickerParams(ex));
    case 'trades':
      return ex.unWatchTrades(key.symbol);
    case 'book':
      return ex.unWatchOrderBook(key.symbol);
  }
}

const num = (v: unknown): number => (typeof v === 'number' ? v : v === undefined || v === null ? NaN : Number(v));

function stampOf(info: unknown, fallback: number): number {
  const rx = (info as { _rx?: unknown } | undefined)?._rx;
  return typeof rx === 'number' ? rx : fallback;
}

/** Exchange event time: Binance's E when present (ccxt's timestamp is the stats close time). */
function eventTimeOf(info: unknown, timestamp: unknown): number {
  const e = (info as { E?: unknown } | undefined)?.E;
  return typeof e === 'number' ? e : num(timestamp);
}

export interface RowTarget {
  sink: TickSink;
  instrument: string;
  source: number;
  exchangeLatency: LatencyRing | undefined;
  processingLatency: LatencyRing;
  bookDepth: number;
  /** Reused per subscription so a book update does not allocate a new snapshot. */
  bookTop?: BookTop;
  /** Book subscriptions: the book's sync state, sent with every book. */
  book?: BookSync;
  /** Trade subscriptions: holes in the tape (and trades already seen, skipped). */
  tape?: TapeContinuity;
  /** Ticker subscriptions: the last trade id the newest ticker counted (Binance's `L`, REST `lastId`; NaN: none). */
  lastTradeId?: number;
  /** Ticker subscriptions: the best bid and ask the newest ticker carried (the silence check compares them). */
  lastBid?: number;
  lastAsk?: number;
  /**
   * Called with each hole the tape reveals (the session recovers it over REST), and how
   * many of its trades ccxt's cache evicted: those are shed only if REST cannot recover them.
   */
  onHole?: (hole: TapeHole, evicted: number) => void;
  /** Trades lost for good: evicted by ccxt's bounded cache and not recovered (cumulative). */
  tradesShed: number;
  /** Evicted by the cache in the watch being written, not yet matched to a hole. */
  evictedInFlight?: number;
  /**
   * What ccxt's cache held for the stream's last result written (deliveredMark): what
   * it caches after that is taken before the next watch (undelivered-updates.ts).
   */
  delivered?: unknown;
}

/**
 * The last trade id a raw ticker counts (Binance's stream `L`, its REST `lastId`), NaN
 * when it carries none: a silent ticker's mark (silent-stream-check.ts).
 */
export function tickerTradeId(info: unknown): number {
  const i = info as { L?: unknown; lastId?: unknown } | undefined;
  const id = Number(i?.L ?? i?.lastId);
  return Number.isSafeInteger(id) ? id : NaN;
}

/** Writes a ticker; returns its receipt stamp, or NaN if the ticker carries no price (malformed). */
export function writeTicker(t: RowTarget, ticker: Ticker, fallbackRx: number): number {
  const last = num(ticker.last ?? ticker.close);
  if (!Number.isFinite(last)) return NaN;
  const rx = stampOf(ticker.info, fallbackRx);
  const et = eventTimeOf(ticker.info, ticker.timestamp);
  const bid = num(ticker.bid);
  const ask = num(ticker.ask);
  t.sink.ticker(t.instrument, bid, ask, last, num(ticker.percentage), num(ticker.baseVolume), num(ticker.quoteVolume), et, rx, t.source, t.processingLatency);
  t.exchangeLatency?.push(rx - et);
  t.lastTradeId = tickerTradeId(ticker.info);
  t.lastBid = bid;
  t.lastAsk = ask;
  return rx;
}

/** Writes trades newer than `after` (ms); returns the newest receipt stamp and trade time. */
export function writeTrades(t: RowTarget, trades: Trade[], fallbackRx: number, after = -Infinity): { rx: number; lastTs: number } {
  let rx = NaN;
  let lastTs = after;
  for (let i = 0; i < trades.length; i++) {
    const tr = trades[i]!;
    const ts = num(tr.timestamp);
    if (ts <= after) continue;
    const price = num(tr.price);
    const amount = num(tr.amount);
    if (!Number.isFinite(price) || !Number.isFinite(amount)) continue;
    const id = String(tr.id ?? '');
    const tape = t.tape;
    if (tape) {
      if (!tape.accept(id, ts)) continue; // seen already (REST overlap, replay)
      if (tape.hole) {
        const evicted = Math.min(t.evictedInFlight ?? 0, holeSize(tape.hole));
        if (evicted > 0) t.evictedInFlight = (t.evictedInFlight ?? 0) - evicted;
        t.onHole?.(tape.hole, evicted);
      }
    }
    rx = stampOf(tr.info, fallbackRx);
    const et = eventTimeOf(tr.info, ts);
    // Refused at the sink's per-batch cap: shed, counted for this instrument.
    if (!t.sink.trade(t.instrument, id, price, amount, sideCode(tr), et, rx, t.source, t.processingLatency)) t.tradesShed++;
    t.exchangeLatency?.push(rx - et);
    if (ts > lastTs) lastTs = ts;
  }
  return { rx, lastTs };
}

function sideCode(tr: Trade): number {
  return tr.side === 'buy' ? 1 : tr.side === 'sell' ? -1 : 0;
}

/** Trades missing in a hole by its ids (0 when the ids do not say). */
function holeSize(hole: TapeHole): number {
  return Number.isFinite(hole.missing) ? hole.missing : 0;
}

/** Trades of a hole lost for good: the evicted ones REST did not recover (the rest of what is missing was never sent to us). */
export function shedOfHole(evicted: number, missing: number, covered: number): number {
  const unrecovered = Number.isFinite(missing) ? Math.max(0, missing - covered) : 0;
  return Math.min(evicted, unrecovered);
}

/** Writes trades REST recovered for a hole (source REST); they bypass the continuity check. */
export function writeRecovered(t: RowTarget, trades: Trade[], rx: number): void {
  for (const tr of trades) {
    const price = num(tr.price);
    const amount = num(tr.amount);
    if (!Number.isFinite(price) || !Number.isFinite(amount)) continue;
    if (!t.sink.trade(t.instrument, String(tr.id ?? ''), price, amount, sideCode(tr), eventTimeOf(tr.info, num(tr.timestamp)), rx, SOURCE_REST, t.processingLatency)) t.tradesShed++;
  }
}

export function writeBook(t: RowTarget, ob: OrderBook, rx: number): number {
  const top = (t.bookTop ??= { key: t.instrument, bids: [], asks: [], eventTime: NaN, receivedAt: NaN, source: t.source, state: 0, updateId: NaN });
  copyLevels(top.bids, ob.bids as unknown as number[][], t.bookDepth);
  copyLevels(top.asks, ob.asks as unknown as number[][], t.bookDepth);
  top.eventTime = num(ob.timestamp);
  top.receivedAt = rx;
  top.source = t.source;
  top.state = t.book ? t.book.code : BOOK_SYNCED_CODE;
  const nonce = (ob as unknown as { nonce?: unknown }).nonce;
  top.updateId = typeof nonce === 'number' ? nonce : NaN;
  t.sink.book(top, t.processingLatency);
  if (Number.isFinite(top.eventTime)) t.exchangeLatency?.push(rx - top.eventTime);
  return rx;
}

/** A book without a sync tracker (a REST snapshot) is whole as fetched. */

function copyLevels(into: [number, number][], from: number[][], depth: number): void {
  const n = Math.min(depth, from.length);
  for (let i = 0; i < n; i++) {
    const lvl = from[i]!;
    const row = into[i];
    if (row) {
      row[0] = lvl[0]!;
      row[1] = lvl[1]!;
    } else into.push([lvl[0]!, lvl[1]!]);
  }
  into.length = n;
}

/**
 * Writes what a watch resolved with; returns its receipt stamp, NaN when it held
 * nothing usable (a ticker without a price).
 */
export function writeWatchResult(t: RowTarget, key: SubscriptionKey, result: unknown, ex: StreamExchange): number {
  t.delivered = deliveredMark(ex, key, result);
  switch (key.channel) {
    case 'ticker': {
      // A watch future settles with the first ticker of a burst; when ccxt handles
      // several frames in one socket read, the newest is in its cache, not in the
      // resolved value. Tickers coalesce to the newest, never to the first.
      const cached = (ex as unknown as { tickers?: Record<string, Ticker> }).tickers?.[key.symbol];
      return writeTicker(t, cached ?? (result as Ticker), ex.lastReceivedAt);
    }
    case 'trades': {
      // Evicted trades leave a jump in the ids, which the tape reports as a hole and
      // REST may fill: counted as shed now only where no hole takes them.
      const evicted = takeShed(ex, key.symbol);
      if (t.onHole) t.evictedInFlight = evicted;
      else t.tradesShed += evicted;
      const rx = writeTrades(t, result as Trade[], ex.lastReceivedAt).rx;
      if (t.evictedInFlight) {
        t.tradesShed += t.evictedInFlight;
        t.evictedInFlight = 0;
      }
      return rx;
    }
    case 'book':
      return writeBook(t, result as OrderBook, ex.lastReceivedAt);
  }
}

/**
 * One REST snapshot of a subscription (the fallback while the socket is down),
 * written like socket data. Trades newer than `lastTradeTs` only; returns the
 * receipt stamp (NaN for a ticker without a price) and the newest trade time.
 */
export async function pollChannel(ex: StreamExchange, t: RowTarget, key: SubscriptionKey, lastTradeTs: number): Promise<{ rx: number; lastTradeTs: number }> {
  switch (key.channel) {
    case 'ticker':
      return { rx: writeTicker(t, await ex.fetchTicker(key.symbol), now()), lastTradeTs };
    case 'book':
      return { rx: writeBook(t, await ex.fetchOrderBook(key.symbol, restDepth(t.bookDepth)), now()), lastTradeTs };
    case 'trades': {
      const r = writeTrades(t, await ex.fetchTrades(key.symbol, undefined, 100), now(), lastTradeTs);
      return { rx: Number.isNaN(r.rx) ? now() : r.rx, lastTradeTs: r.lastTs };
    }
  }
}

/** Binance accepts only these REST depth limits; others fetch the default and are cut locally. */
const REST_DEPTHS = [5, 10, 20, 50, 100, 500, 1000, 5000];
export function restDepth(depth: number): number | undefined {
  return REST_DEPTHS.find((d) => d >= depth);
}

const SHED = Symbol('trades shed');

/** ccxt's ArrayCache, as far as counting what it evicted goes. */
interface TradeCache {
  length: number;
  getLimit(symbol: string | undefined, limit: number | undefined): number;
  [SHED]?: number;
}

/**
 * Trades of `symbol` that ccxt's cache (bounded by options.tradesLimit) evicted
 * before a watch took them; counted since the last call. watchTrades asks the cache
 * how many trades are new (getLimit: every append since the last watch) and returns
 * the newest of them it still holds: when more arrived than it holds, the difference
 * was shed. The first watch on a new cache arms the count.
 */
export function takeShed(ex: StreamExchange, symbol: string): number {
  const cache = (ex as unknown as { trades?: Record<string, TradeCache | undefined> }).trades?.[symbol];
  if (!cache || typeof cache.getLimit !== 'function') return 0;
  const counted = cache[SHED];
  if (counted === undefined) {
    // Non-enumerable, both: ccxt turns the cache into its result with Object.values(),
    // and an enumerable own property would take the place of the newest trade there.
    Object.defineProperty(cache, SHED, { value: 0, writable: true, enumerable: false, configurable: true });
    const getLimit = cache.getLimit;
    Object.defineProperty(cache, 'getLimit', {
      value: function (this: TradeCache, sym: string | undefined, limit: number | undefined) {
        const n = getLimit.call(this, sym, limit);
        if (limit === undefined && n > this.length) this[SHED] = (this[SHED] ?? 0) + (n - this.length);
        return n;
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
    return 0;
  }
  cache[SHED] = 0;
  return counted;
}

export const UnsubscribeError = ccxt.UnsubscribeError;
export const ExchangeClosedByUser = ccxt.ExchangeClosedByUser;
