// Columnar encoding of the tick path between the streaming process and main.
//
// Why not an array of objects: one batch carries up to thousands of ticks, and
// structured-cloning (Electron) or V8-serializing (Node child) one Float64Array
// is a memcpy, where an object per tick costs an allocation on both sides and a
// property walk in between. Validation is O(1) per batch plus one integer check
// per row, cheap enough for the hot path where a schema library is not; the values
// are checked per entry where they are applied (see validateTickBatch).
import { BOOK_STATES } from '../market';
import type { CandleMessage } from './candles';

/** Ticker rows: [keyIndex, bid, ask, last, changePct, baseVolume, quoteVolume, eventTime, receivedAt, source] */
export const TICKER_STRIDE = 10;
export const T_KEY = 0, T_BID = 1, T_ASK = 2, T_LAST = 3, T_CHANGE_PCT = 4, T_BASE_VOL = 5, T_QUOTE_VOL = 6, T_EVENT_TIME = 7, T_RECEIVED_AT = 8, T_SOURCE = 9;

/** Trade rows: [keyIndex, price, amount, side, eventTime, receivedAt, source] (side 1 buy, -1 sell, 0 unknown) */
export const TRADE_STRIDE = 7;
export const R_KEY = 0, R_PRICE = 1, R_AMOUNT = 2, R_SIDE = 3, R_EVENT_TIME = 4, R_RECEIVED_AT = 5, R_SOURCE = 6;

/** Source codes in the numeric columns. */
export const SOURCE_WS = 0, SOURCE_REST = 1;

/** Top-of-book snapshot: coalesced per instrument, so few per batch; plain objects are fine. */
export interface BookTop {
  key: string;
  bids: [number, number][];
  asks: [number, number][];
  /** NaN when the exchange gave none (ordered by receipt then). */
  eventTime: number;
  receivedAt: number;
  source: number;
  /** Sync state: index in BOOK_STATES (shared/market.ts); a book not synced must not look synced. */
  state: number;
  /** The exchange's update id of this book (Binance lastUpdateId / u); NaN when it has none. */
  updateId: number;
}

/**
 * A hole in an instrument's tape: trades the stream did not deliver (an outage, a
 * jump in trade ids). Sent once, after REST recovery was tried: the recovered trades
 * are trade rows of the same batch (source REST). Rare; plain objects are fine.
 */
export interface TradeGap {
  key: string;
  /** First and last missing trade id; '' when the exchange's ids do not say. */
  fromId: string;
  toId: string;
  /** Trades missing by the ids; NaN when unknown. */
  missing: number;
  /** Trades REST recovered into this batch. */
  recovered: number;
  /** Exchange time of the last trade before the hole and of the first after it (ms). */
  startedAt: number;
  endedAt: number;
  cause: (typeof GAP_CAUSES)[number];
}
/** id-jump / outage: the exchange's stream missed trades; shed: we dropped them (a renderer too slow to keep up). */
export const GAP_CAUSES = ['id-jump', 'outage', 'shed'] as const;

export interface TickBatch {
  type: 'ticks';
  /** Increases by one per batch; a gap means a lost batch. */
  seq: number;
  /** now() when the batch left the streaming process. */
  sentAt: number;
  /** Instrument ids ("exchange|symbol") that rows refer to by index. */
  keys: string[];
  tickers: Float64Array;
  trades: Float64Array;
  /** Trade ids, parallel to trade rows (ids are strings on most exchanges). */
  tradeIds: string[];
  books: BookTop[];
  gaps: TradeGap[];
  /**
   * The chart series' messages (history, live candle, state), in the order they were
   * made: they leave with the ticks of their turn instead of as IPC messages of their
   * own. Checked per entry where they are applied (parseCandleMessage).
   */
  candles: CandleMessage[];
}

/**
 * Checks the structure of a received batch without trusting it; returns an error
 * string or undefined. A structural fault refuses the whole batch: the key column,
 * the strides and the parallel arrays are written by our own TickBatchWriter, so a
 * fault there means the encoding is broken and no row of it can be attributed.
 * What the exchange said (prices, sizes, times, levels) is checked per entry by
 * tickerFault / tradeFault / bookFault where the entry is applied, so one bad entry
 * never costs the good ones beside it. O(1) per batch plus one integer check per
 * row and key; allocates nothing.
 */
export function validateTickBatch(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) return 'not an object';
  const b = m as Partial<TickBatch>;
  if (b.type !== 'ticks') return 'type is not "ticks"';
  if (!Number.isInteger(b.seq) || (b.seq as number) < 0) return 'seq is not a non-negative integer';
  if (typeof b.sentAt !== 'number' || !Number.isFinite(b.sentAt)) return 'sentAt is not a finite number';
  if (!Array.isArray(b.keys)) return 'keys is not an array';
  for (let i = 0; i < b.keys.length; i++) if (typeof b.keys[i] !== 'string') return 'keys holds a non-string';
  const nKeys = b.keys.length;
  if (!(b.tickers instanceof Float64Array) || b.tickers.length % TICKER_STRIDE !== 0) return 'tickers is not a Float64Array of whole rows';
  if (!(b.trades instanceof Float64Array) || b.trades.length % TRADE_STRIDE !== 0) return 'trades is not a Float64Array of whole rows';
  if (!Array.isArray(b.tradeIds) || b.tradeIds.length !== b.trades.length / TRADE_STRIDE) return 'tradeIds does not match trade rows';
  let bad = badKeyRow(b.tickers, TICKER_STRIDE, T_KEY, nKeys);
  if (bad >= 0) return `ticker row ${bad} has bad key index`;
  bad = badKeyRow(b.trades, TRADE_STRIDE, R_KEY, nKeys);
  if (bad >= 0) return `trade row ${bad} has bad key index`;
  if (!Array.isArray(b.books)) return 'books is not an array';
  bad = firstKeyless(b.books);
  if (bad >= 0) return `book ${bad} is not an object with a string key`;
  if (!Array.isArray(b.gaps)) return 'gaps is not an array';
  bad = firstKeyless(b.gaps);
  if (bad >= 0) return `gap ${bad} is not an object with a string key`;
  if (!Array.isArray(b.candles)) return 'candles is not an array';
  return undefined;
}

/** The first row whose key column is not an index into the batch's nKeys keys; -1 when none. */
function badKeyRow(rows: Float64Array, stride: number, keyColumn: number, nKeys: number): number {
  for (let i = 0; i < rows.length; i += stride) {
    const k = rows[i + keyColumn]!;
    if (!Number.isInteger(k) || k < 0 || k >= nKeys) return i / stride;
  }
  return -1;
}

/** The first entry that is not an object with a string key (books, gaps); -1 when none. */
function firstKeyless(entries: readonly unknown[]): number {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (typeof e !== 'object' || e === null || typeof (e as { key?: unknown }).key !== 'string') return i;
  }
  return -1;
}

// ---- per-entry checks ----------------------------------------------------------
// Each returns a constant reason (no allocation) or undefined. NaN in an optional
// column means "the exchange did not say" (the row keeps its value; a missing event
// time orders by receipt); ±Infinity is never a market value and is refused.

/** Not ±Infinity: NaN (absent) or a finite number. */
function optionalFinite(v: number): boolean {
  return v !== Infinity && v !== -Infinity;
}

function isSource(v: unknown): boolean {
  return v === SOURCE_WS || v === SOURCE_REST;
}

/** The ticker row at offset `o` of `t` (a batch that passed validateTickBatch). */
export function tickerFault(t: Float64Array, o: number): string | undefined {
  for (let c = T_BID; c <= T_QUOTE_VOL; c++) if (!optionalFinite(t[o + c]!)) return 'ticker value is infinite';
  if (!optionalFinite(t[o + T_EVENT_TIME]!)) return 'ticker event time is infinite';
  if (!Number.isFinite(t[o + T_RECEIVED_AT]!)) return 'ticker receipt time is not finite';
  if (!isSource(t[o + T_SOURCE])) return 'ticker source code is unknown';
  return undefined;
}

/** The trade row at offset `o` of `t`, with its id. */
export function tradeFault(t: Float64Array, o: number, id: unknown): string | undefined {
  if (!Number.isFinite(t[o + R_PRICE]!) || !Number.isFinite(t[o + R_AMOUNT]!)) return 'trade price or amount is not finite';
  const side = t[o + R_SIDE]!;
  if (side !== 1 && side !== -1 && side !== 0) return 'trade side code is unknown';
  if (!optionalFinite(t[o + R_EVENT_TIME]!)) return 'trade event time is infinite';
  if (!Number.isFinite(t[o + R_RECEIVED_AT]!)) return 'trade receipt time is not finite';
  if (!isSource(t[o + R_SOURCE])) return 'trade source code is unknown';
  if (typeof id !== 'string') return 'trade id is not a string';
  return undefined;
}

/** A book snapshot (an object with a string key, as validateTickBatch guarantees). */
export function bookFault(b: BookTop): string | undefined {
  if (!levelsOk(b.bids) || !levelsOk(b.asks)) return 'book level is not a [price, size] pair of finite numbers';
  if (typeof b.eventTime !== 'number' || !optionalFinite(b.eventTime)) return 'book event time is not a number or infinite';
  if (typeof b.receivedAt !== 'number' || !Number.isFinite(b.receivedAt)) return 'book receipt time is not finite';
  if (!isSource(b.source)) return 'book source code is unknown';
  if (!Number.isInteger(b.state) || b.state < 0 || b.state >= BOOK_STATES.length) return 'book state code is unknown';
  if (typeof b.updateId !== 'number' || !optionalFinite(b.updateId)) return 'book update id is not a number or infinite';
  return undefined;
}

/** A tape gap marker (an object with a string key, as validateTickBatch guarantees). */
export function gapFault(g: TradeGap): string | undefined {
  if (typeof g.fromId !== 'string' || typeof g.toId !== 'string' || g.fromId.length > 64 || g.toId.length > 64) return 'gap ids are not short strings';
  if (typeof g.missing !== 'number' || !(Number.isNaN(g.missing) || (Number.isInteger(g.missing) && g.missing > 0))) return 'gap missing count is not a positive integer or NaN';
  if (!Number.isInteger(g.recovered) || g.recovered < 0 || (g.recovered > g.missing && !Number.isNaN(g.missing))) return 'gap recovered count is not between 0 and the missing count';
  if (!Number.isFinite(g.startedAt) || !Number.isFinite(g.endedAt) || g.endedAt < g.startedAt) return 'gap times are not finite and ordered';
  if (!(GAP_CAUSES as readonly unknown[]).includes(g.cause)) return 'gap cause is unknown';
  return undefined;
}

function levelsOk(levels: unknown): boolean {
  if (!Array.isArray(levels)) return false;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as unknown;
    if (!Array.isArray(l) || l.length !== 2 || !Number.isFinite(l[0]) || !Number.isFinite(l[1])) return false;
  }
  return true;
}

/**
 * Accumulates ticks and produces one TickBatch per flush. Tickers and books are
 * coalesced per instrument (only the newest survives; ticker() and book() say when
 * they replaced one); trades are never dropped here (TickSink caps them per batch and
 * counts what it sheds). Buffers are reused across flushes so steady state allocates
 * only the batch itself.
 */
export class TickBatchWriter {
  private seq = 0;
  private keys: string[] = [];
  private keyIndex = new Map<string, number>();
  /** Row index of each key's ticker in `tickers`, or -1. Parallel to `keys`. */
  private tickerRowOfKey: number[] = [];
  private tickers: Float64Array<ArrayBuffer> = new Float64Array(TICKER_STRIDE * 64);
  private tickerRows = 0;
  private trades: Float64Array<ArrayBuffer> = new Float64Array(TRADE_STRIDE * 256);
  private tradeRows = 0;
  private tradeIds: string[] = [];
  private books = new Map<string, BookTop>();
  private gaps: TradeGap[] = [];
  private candles: CandleMessage[] = [];
  /** Ticks written since the last flush, before coalescing. */
  private written = 0;

  get pendingTicks(): number {
    return this.written;
  }

  /** Ticks the next flush carries (tickers and books after coalescing, and trades): what the receiver counts. */
  get pendingRows(): number {
    return this.tickerRows + this.tradeRows + this.books.size;
  }

  /** Trade rows waiting for the next flush (the sink caps them per batch). */
  get pendingTrades(): number {
    return this.tradeRows;
  }

  get isEmpty(): boolean {
    return this.tickerRows === 0 && this.tradeRows === 0 && this.books.size === 0 && this.gaps.length === 0 && this.candles.length === 0;
  }

  private indexOf(key: string): number {
    let i = this.keyIndex.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.keyIndex.set(key, i);
      this.tickerRowOfKey.push(-1);
    }
    return i;
  }

  /** Returns false when it replaced a ticker of the same instrument still waiting in this batch (coalesced). */
  ticker(key: string, bid: number, ask: number, last: number, changePct: number, baseVolume: number, quoteVolume: number, eventTime: number, receivedAt: number, source: number): boolean {
    this.written++;
    const k = this.indexOf(key);
    let row = this.tickerRowOfKey[k]!;
    const fresh = row < 0;
    if (fresh) {
      row = this.tickerRows++;
      this.tickerRowOfKey[k] = row;
      if (this.tickerRows * TICKER_STRIDE > this.tickers.length) this.tickers = grow(this.tickers);
    }
    const t = this.tickers;
    const o = row * TICKER_STRIDE;
    t[o + T_KEY] = k;
    t[o + T_BID] = bid;
    t[o + T_ASK] = ask;
    t[o + T_LAST] = last;
    t[o + T_CHANGE_PCT] = changePct;
    t[o + T_BASE_VOL] = baseVolume;
    t[o + T_QUOTE_VOL] = quoteVolume;
    t[o + T_EVENT_TIME] = eventTime;
    t[o + T_RECEIVED_AT] = receivedAt;
    t[o + T_SOURCE] = source;
    return fresh;
  }

  trade(key: string, id: string, price: number, amount: number, side: number, eventTime: number, receivedAt: number, source: number): void {
    this.written++;
    const k = this.indexOf(key);
    if ((this.tradeRows + 1) * TRADE_STRIDE > this.trades.length) this.trades = grow(this.trades);
    const t = this.trades;
    const o = this.tradeRows++ * TRADE_STRIDE;
    t[o + R_KEY] = k;
    t[o + R_PRICE] = price;
    t[o + R_AMOUNT] = amount;
    t[o + R_SIDE] = side;
    t[o + R_EVENT_TIME] = eventTime;
    t[o + R_RECEIVED_AT] = receivedAt;
    t[o + R_SOURCE] = source;
    this.tradeIds.push(id);
  }

  /** Returns false when it replaced a book of the same instrument still waiting in this batch (coalesced). */
  book(top: BookTop): boolean {
    this.written++;
    const fresh = !this.books.has(top.key);
    this.books.set(top.key, top);
    return fresh;
  }

  gap(g: TradeGap): void {
    this.gaps.push(g);
  }

  /** Not a tick: never coalesced, and not counted in pendingTicks. */
  candle(m: CandleMessage): void {
    this.candles.push(m);
  }

  /** Takes everything written since the last flush as one batch and resets. */
  flush(sentAt: number): TickBatch {
    const batch: TickBatch = {
      type: 'ticks',
      seq: this.seq++,
      sentAt,
      keys: this.keys,
      tickers: this.tickerRows ? this.tickers.slice(0, this.tickerRows * TICKER_STRIDE) : NO_ROWS,
      trades: this.tradeRows ? this.trades.slice(0, this.tradeRows * TRADE_STRIDE) : NO_ROWS,
      tradeIds: this.tradeIds,
      books: this.books.size ? [...this.books.values()] : (NO_BOOKS as BookTop[]),
      gaps: this.gaps.length ? this.gaps : (NO_GAPS as TradeGap[]),
      candles: this.candles.length ? this.candles : (NO_CANDLES as CandleMessage[]),
    };
    this.keys = [];
    this.keyIndex.clear();
    this.tickerRowOfKey.length = 0; // internal: reused
    this.tickerRows = 0;
    this.tradeRows = 0;
    this.tradeIds = [];
    this.books.clear();
    if (this.gaps.length) this.gaps = [];
    if (this.candles.length) this.candles = [];
    this.written = 0;
    return batch;
  }
}

/** Shared by every batch without gaps (nearly all), books, candles or rows of a kind: no allocation per flush. */
const NO_GAPS: readonly TradeGap[] = Object.freeze([]);
const NO_CANDLES: readonly CandleMessage[] = Object.freeze([]);
const NO_BOOKS: readonly BookTop[] = Object.freeze([]);
const NO_ROWS = new Float64Array(0); // length 0: nothing can be written into it

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
