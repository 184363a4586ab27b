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

export class MarketState {
  private readonly rows = new Map<string, TickerRow>();
  /** Ticks applied since start, by kind: the engine's throughput counters. */
  tickersApplied = 0;
  tradesApplied = 0;
  booksApplied = 0;

  constructor(private readonly onDirty: DirtyListener) {}

  ensureRow(exchange: string, symbol: string): TickerRow {
    const key = instrumentId(exchange, symbol);
    let row = this.rows.get(key);
    if (!row) {
      row = { key, exchange, symbol, bid: null, ask: null, last: null, changePct: null, volume: null, eventTime: null, receivedAt: 0, source: 'ws' };
      this.rows.set(key, row);
    }
    return row;
  }

  removeRow(key: string): void {
    this.rows.delete(key);
  }

  /** Keeps exactly these instruments (watchlist changes). */
  retain(keys: Set<string>): void {
    for (const k of this.rows.keys()) if (!keys.has(k)) this.rows.delete(k);
  }

  row(key: string): TickerRow | undefined {
    return this.rows.get(key);
  }

  allRows(): TickerRow[] {
    return [...this.rows.values()];
  }

  apply(batch: TickBatch): void {
    const { keys, tickers, trades } = batch;
    for (let o = 0; o < tickers.length; o += TICKER_STRIDE) {
      const key = keys[tickers[o + T_KEY]!]!;
      const row = this.rows.get(key);
      if (!row) continue;
      this.tickersApplied++;
      // Newer-only: a ticker older than what the row holds (e.g. a REST poll that
      // raced a socket update) must never overwrite it.
      const eventTime = tickers[o + T_EVENT_TIME]!;
      if (row.eventTime !== null && eventTime < row.eventTime) continue;
      row.bid = finiteOr(tickers[o + T_BID]!, row.bid);
      row.ask = finiteOr(tickers[o + T_ASK]!, row.ask);
      row.last = finiteOr(tickers[o + T_LAST]!, row.last);
      row.changePct = finiteOr(tickers[o + T_CHANGE_PCT]!, row.changePct);
      row.volume = finiteOr(tickers[o + T_QUOTE_VOL]!, finiteOr(tickers[o + T_BASE_VOL]!, row.volume));
      row.eventTime = Number.isFinite(eventTime) ? eventTime : row.eventTime;
      row.receivedAt = tickers[o + T_RECEIVED_AT]!;
      row.source = tickers[o + T_SOURCE] === SOURCE_REST ? 'rest' : 'ws';
      this.onDirty(key);
    }
    for (let o = 0; o < trades.length; o += TRADE_STRIDE) {
      const key = keys[trades[o + R_KEY]!]!;
      const row = this.rows.get(key);
      if (!row) continue;
      this.tradesApplied++;
      const eventTime = trades[o + R_EVENT_TIME]!;
      if (row.eventTime !== null && eventTime < row.eventTime) continue;
      row.last = finiteOr(trades[o + R_PRICE]!, row.last);
      row.eventTime = eventTime;
      row.receivedAt = trades[o + R_RECEIVED_AT]!;
      row.source = trades[o + R_SOURCE] === SOURCE_REST ? 'rest' : 'ws';
      this.onDirty(key);
    }
    for (const book of batch.books) {
      const row = this.rows.get(book.key);
      if (!row) continue;
      this.booksApplied++;
      if (row.eventTime !== null && book.eventTime < row.eventTime) continue;
      row.bid = book.bids[0]?.[0] ?? row.bid;
      row.ask = book.asks[0]?.[0] ?? row.ask;
      row.eventTime = book.eventTime;
      row.receivedAt = book.receivedAt;
      row.source = book.source === SOURCE_REST ? 'rest' : 'ws';
      this.onDirty(book.key);
    }
  }
}

function finiteOr(v: number, fallback: number | null): number | null {
  return Number.isFinite(v) ? v : fallback;
}
