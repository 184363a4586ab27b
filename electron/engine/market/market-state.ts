// The latest state per (exchange, symbol): one mutable row object per instrument,
// updated in place from tick batches (no allocation per tick). Rows exist only for
// instruments on the watchlist; ticks for anything else are ignored. An entry the
// exchange sent malformed (see tick-batch.ts per-entry checks) is refused alone,
// counted per instrument and reported once per episode, so a row on the screen only
// ever holds finite numbers and the good entries of the same batch still apply.
import type { TickerRow } from '../../../shared/contract/renderer-api';
import {
  R_AMOUNT, R_EVENT_TIME, R_KEY, R_PRICE, R_RECEIVED_AT, R_SIDE, R_SOURCE, SOURCE_REST,
  T_ASK, T_BASE_VOL, T_BID, T_CHANGE_PCT, T_EVENT_TIME, T_KEY, T_LAST, T_QUOTE_VOL, T_RECEIVED_AT, T_SOURCE,
  TICKER_STRIDE, TRADE_STRIDE, bookFault, gapFault, tickerFault, tradeFault, type TickBatch, type TradeGap,
} from '../../../shared/contract/tick-batch';
import { instrumentId } from '../../../shared/market';
import type { FocusFeed } from './focus-feed';

export type DirtyListener = (key: string) => void;

/**
 * A run of refused entries for one instrument: 'began' with the first refusal (and
 * its reason), 'ended' with the first valid entry after it (and how many were refused
 * in between). Reported once per episode, never per entry.
 */
export type RefusalEpisode =
  | { phase: 'began'; key: string; kind: 'ticker' | 'trade' | 'book'; reason: string }
  | { phase: 'ended'; key: string; refused: number };
export type RefusalListener = (episode: RefusalEpisode) => void;

/**
 * A row and, per source, the exchange time of the newest update applied. Tickers,
 * trades and books arrive on different sockets, so each is ordered against its own
 * kind; a field shared by two kinds (last, bid/ask) takes whichever is newer.
 */
interface Entry {
  row: TickerRow;
  tickerAt: number;
  tradeAt: number;
  bookAt: number;
  /** Entries refused since start. */
  refused: number;
  /** Entries refused in the current episode (0: none running). */
  episodeRefused: number;
}

export class MarketState {
  private readonly entries = new Map<string, Entry>();
  /** Ticks applied since start, by kind: the engine's throughput counters. */
  tickersApplied = 0;
  tradesApplied = 0;
  booksApplied = 0;
  /** Entries refused as malformed, all instruments. */
  entriesRefused = 0;

  constructor(
    private readonly onDirty: DirtyListener,
    private readonly onRefusal: RefusalListener = () => undefined,
    /** Depth and tape of focused instruments (the ladder and tape panels). */
    private readonly feed?: FocusFeed,
  ) {}

  ensureRow(exchange: string, symbol: string): TickerRow {
    const key = instrumentId(exchange, symbol);
    let e = this.entries.get(key);
    if (!e) {
      const row: TickerRow = { key, exchange, symbol, bid: null, ask: null, last: null, changePct: null, volume: null, eventTime: null, receivedAt: 0, source: 'ws' };
      e = { row, tickerAt: -Infinity, tradeAt: -Infinity, bookAt: -Infinity, refused: 0, episodeRefused: 0 };
      this.entries.set(key, e);
    }
    return e.row;
  }

  /** Keeps exactly these instruments (watchlist changes). */
  retain(keys: Set<string>): void {
    for (const k of this.entries.keys()) if (!keys.has(k)) this.entries.delete(k);
  }

  row(key: string): TickerRow | undefined {
    return this.entries.get(key)?.row;
  }

  allRows(): TickerRow[] {
    return [...this.entries.values()].map((e) => e.row);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Refused entries per instrument since start (instruments with none are left out). */
  refusedByInstrument(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, e] of this.entries) if (e.refused > 0) out[key] = e.refused;
    return out;
  }

  apply(batch: TickBatch): void {
    const { keys, tickers, trades, tradeIds } = batch;
    for (let o = 0; o < tickers.length; o += TICKER_STRIDE) {
      const key = keys[tickers[o + T_KEY]!]!;
      const e = this.entries.get(key);
      if (!e) continue;
      if (!this.admitted(e, 'ticker', tickerFault(tickers, o))) continue;
      this.tickersApplied++;
      // A ticker older than the last one applied (a REST poll that raced the socket) is dropped.
      const t = orNow(tickers[o + T_EVENT_TIME]!, tickers[o + T_RECEIVED_AT]!);
      if (t < e.tickerAt) continue;
      e.tickerAt = t;
      const row = e.row;
      if (t >= e.bookAt) {
        row.bid = finiteOr(tickers[o + T_BID]!, row.bid);
        row.ask = finiteOr(tickers[o + T_ASK]!, row.ask);
      }
      if (t >= e.tradeAt) row.last = finiteOr(tickers[o + T_LAST]!, row.last);
      row.changePct = finiteOr(tickers[o + T_CHANGE_PCT]!, row.changePct);
      row.volume = finiteOr(tickers[o + T_QUOTE_VOL]!, finiteOr(tickers[o + T_BASE_VOL]!, row.volume));
      this.touch(row, t, tickers[o + T_RECEIVED_AT]!, tickers[o + T_SOURCE]!);
      this.onDirty(key);
    }
    for (let o = 0; o < trades.length; o += TRADE_STRIDE) {
      const key = keys[trades[o + R_KEY]!]!;
      const e = this.entries.get(key);
      if (!e) continue;
      if (!this.admitted(e, 'trade', tradeFault(trades, o, tradeIds[o / TRADE_STRIDE]))) continue;
      this.tradesApplied++;
      const t = orNow(trades[o + R_EVENT_TIME]!, trades[o + R_RECEIVED_AT]!);
      // Every trade goes on the tape (recovered ones are older than the row's newest).
      this.feed?.trade(key, tradeIds[o / TRADE_STRIDE]!, trades[o + R_PRICE]!, trades[o + R_AMOUNT]!, trades[o + R_SIDE]!, t, trades[o + R_SOURCE]!);
      if (t < e.tradeAt) continue;
      e.tradeAt = t;
      const row = e.row;
      if (t >= e.tickerAt) row.last = finiteOr(trades[o + R_PRICE]!, row.last);
      this.touch(row, t, trades[o + R_RECEIVED_AT]!, trades[o + R_SOURCE]!);
      this.onDirty(key);
    }
    for (const book of batch.books) {
      const e = this.entries.get(book.key);
      if (!e) continue;
      if (!this.admitted(e, 'book', bookFault(book))) continue;
      this.booksApplied++;
      const t = orNow(book.eventTime, book.receivedAt);
      if (t < e.bookAt) continue;
      e.bookAt = t;
      this.feed?.book(book);
      const row = e.row;
      if (t >= e.tickerAt) {
        row.bid = book.bids[0]?.[0] ?? row.bid;
        row.ask = book.asks[0]?.[0] ?? row.ask;
      }
      this.touch(row, t, book.receivedAt, book.source);
      this.onDirty(book.key);
    }
    if (batch.gaps.length) this.applyGaps(batch.gaps);
  }

  private applyGaps(gaps: readonly TradeGap[]): void {
    for (const g of gaps) {
      const e = this.entries.get(g.key);
      if (!e) continue;
      const fault = gapFault(g);
      if (fault !== undefined) {
        this.refuse(e, 'trade', fault);
        continue;
      }
      this.feed?.gap(g);
      this.onDirty(g.key);
    }
  }

  /** A row with no fault is applied (ending a refusal episode); a faulty one is refused. No allocation: the tick path. */
  private admitted(e: Entry, kind: 'ticker' | 'trade' | 'book', fault: string | undefined): boolean {
    if (fault !== undefined) {
      this.refuse(e, kind, fault);
      return false;
    }
    if (e.episodeRefused !== 0) this.endEpisode(e);
    return true;
  }

  private refuse(e: Entry, kind: 'ticker' | 'trade' | 'book', reason: string): void {
    this.entriesRefused++;
    e.refused++;
    if (e.episodeRefused++ === 0) this.onRefusal({ phase: 'began', key: e.row.key, kind, reason });
  }

  private endEpisode(e: Entry): void {
    const refused = e.episodeRefused;
    e.episodeRefused = 0;
    this.onRefusal({ phase: 'ended', key: e.row.key, refused });
  }

  /** The row's freshness: the newest exchange time seen and when it was received. */
  private touch(row: TickerRow, eventTime: number, receivedAt: number, source: number): void {
    if (row.eventTime === null || eventTime >= row.eventTime) row.eventTime = eventTime;
    row.receivedAt = receivedAt;
    row.source = source === SOURCE_REST ? 'rest' : 'ws';
  }
}

/** Exchanges without event times are ordered by receipt. */
function orNow(eventTime: number, receivedAt: number): number {
  return Number.isFinite(eventTime) ? eventTime : receivedAt;
}

function finiteOr(v: number, fallback: number | null): number | null {
  return Number.isFinite(v) ? v : fallback;
}
