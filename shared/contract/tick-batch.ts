// Columnar encoding of the tick path between the streaming process and main.
//
// Why not an array of objects: one batch carries up to thousands of ticks, and
// structured-cloning (Electron) or V8-serializing (Node child) one Float64Array
// is a memcpy, where an object per tick costs an allocation on both sides and a
// property walk in between. Validation is O(1) per batch plus one integer check
// per row, cheap enough for the hot path where a schema library is not.

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
  eventTime: number;
  receivedAt: number;
  source: number;
}

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
}

/** Checks a received batch without trusting it. Returns an error string or undefined. */
export function validateTickBatch(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) return 'not an object';
  const b = m as Partial<TickBatch>;
  if (b.type !== 'ticks') return 'type is not "ticks"';
  if (!Number.isInteger(b.seq) || (b.seq as number) < 0) return 'seq is not a non-negative integer';
  if (typeof b.sentAt !== 'number' || !Number.isFinite(b.sentAt)) return 'sentAt is not a finite number';
  if (!Array.isArray(b.keys)) return 'keys is not an array';
  for (const k of b.keys) if (typeof k !== 'string') return 'keys holds a non-string';
  const nKeys = b.keys.length;
  if (!(b.tickers instanceof Float64Array) || b.tickers.length % TICKER_STRIDE !== 0) return 'tickers is not a Float64Array of whole rows';
  if (!(b.trades instanceof Float64Array) || b.trades.length % TRADE_STRIDE !== 0) return 'trades is not a Float64Array of whole rows';
  if (!Array.isArray(b.tradeIds) || b.tradeIds.length !== b.trades.length / TRADE_STRIDE) return 'tradeIds does not match trade rows';
  for (let i = 0; i < b.tickers.length; i += TICKER_STRIDE) {
    const k = b.tickers[i + T_KEY]!;
    if (!Number.isInteger(k) || k < 0 || k >= nKeys) return `ticker row ${i / TICKER_STRIDE} has bad key index`;
  }
  for (let i = 0; i < b.trades.length; i += TRADE_STRIDE) {
    const k = b.trades[i + R_KEY]!;
    if (!Number.isInteger(k) || k < 0 || k >= nKeys) return `trade row ${i / TRADE_STRIDE} has bad key index`;
  }
  if (!Array.isArray(b.books)) return 'books is not an array';
  for (const bk of b.books) {
    if (typeof bk !== 'object' || bk === null || typeof bk.key !== 'string' || !Array.isArray(bk.bids) || !Array.isArray(bk.asks))
      return 'books holds a malformed entry';
    if (typeof bk.eventTime !== 'number' || typeof bk.receivedAt !== 'number') return 'book entry without times';
  }
  return undefined;
}

/**
 * Accumulates ticks and produces one TickBatch per flush. Tickers are coalesced
 * per instrument (only the newest survives); trades are never dropped. Buffers
 * are reused across flushes so steady state allocates only the batch itself.
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
  /** Ticks written since the last flush, before coalescing. */
  private written = 0;

  get pendingTicks(): number {
    return this.written;
  }

  get isEmpty(): boolean {
    return this.tickerRows === 0 && this.tradeRows === 0 && this.books.size === 0;
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

  ticker(key: string, bid: number, ask: number, last: number, changePct: number, baseVolume: number, quoteVolume: number, eventTime: number, receivedAt: number, source: number): void {
    this.written++;
    const k = this.indexOf(key);
    let row = this.tickerRowOfKey[k]!;
    if (row < 0) {
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

  book(top: BookTop): void {
    this.written++;
    this.books.set(top.key, top);
  }

  /** Takes everything written since the last flush as one batch and resets. */
  flush(sentAt: number): TickBatch {
    const batch: TickBatch = {
      type: 'ticks',
      seq: this.seq++,
      sentAt,
      keys: this.keys,
      tickers: this.tickers.slice(0, this.tickerRows * TICKER_STRIDE),
      trades: this.trades.slice(0, this.tradeRows * TRADE_STRIDE),
      tradeIds: this.tradeIds,
      books: [...this.books.values()],
    };
    this.keys = [];
    this.keyIndex.clear();
    this.tickerRowOfKey = [];
    this.tickerRows = 0;
    this.tradeRows = 0;
    this.tradeIds = [];
    this.books.clear();
    this.written = 0;
    return batch;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
