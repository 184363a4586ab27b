// The latest state per (exchange, symbol): one mutable row object per instrument,
// updated in place from tick batches (no allocation per tick). Rows exist only for
// instruments on the watchlist; ticks for anything else are ignored.
import type { TickerRow } from '../../../shared/contract/renderer-api';
import {
  R_EVENT_TIME, R_KEY, R_PRICE, R_RECEIVED_AT, R_SOURCE, SOURCE_REST,
  T_ASK, T_BASE_VOL, T_BID, T_CHANGE_PCT, T_EVENT_TIME, T_KEY, T_LAST, T_QUOTE_VOL, T_RECEIVED_AT, T_SOURCE,
  TICKER_STRIDE, TRADE_STRIDE, type TickBatch,
} from '../../../shared/contract/tick-batch';
import { instrumentId } from '../../../shared/market';

export type DirtyListener = (key: string) => void;

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
}

export class MarketState {
  private readonly entries = new Map<string, Entry>();
  /** Ticks applied since start, by kind: the engine's throughput counters. */
  tickersApplied = 0;
  tradesApplied = 0;
  booksApplied = 0;

  constructor(private readonly onDirty: DirtyListener) {}

  ensureRow(exchange: string, symbol: string): TickerRow {
    const key = instrumentId(exchange, symbol);
    let e = this.entries.get(key);
    if (!e) {
      const row: TickerRow = { key, exchange, symbol, bid: null, ask: null, last: null, changePct: null, volume: null, eventTime: null, receivedAt: 0, source: 'ws' };
      e = { row, tickerAt: -Infinity, tradeAt: -Infinity, bookAt: -Infinity };
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

  apply(batch: TickBatch): void {
    const { keys, tickers, trades } = batch;
    for (let o = 0; o < tickers.length; o += TICKER_STRIDE) {
      const key = keys[tickers[o + T_KEY]!]!;
      const e = this.entries.get(key);
      if (!e) continue;
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
      this.tradesApplied++;
      const t = orNow(trades[o + R_EVENT_TIME]!, trades[o + R_RECEIVED_AT]!);
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
      this.booksApplied++;
      const t = orNow(book.eventTime, book.receivedAt);
      if (t < e.bookAt) continue;
      e.bookAt = t;
      const row = e.row;
      if (t >= e.tickerAt) {
        row.bid = book.bids[0]?.[0] ?? row.bid;
        row.ask = book.asks[0]?.[0] ?? row.ask;
      }
      this.touch(row, t, book.receivedAt, book.source);
      this.onDirty(book.key);
    }
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
