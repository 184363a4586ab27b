// The tick batch contract at the main process boundary: structure is checked per
// batch (a broken encoding refuses it whole), what the exchange said is checked per
// entry (one bad entry is refused alone), and nothing non-finite can reach a row.
// The property tests use a seeded generator (fast-check is not installed), so a
// failure names the seed and replays exactly.
import { describe, expect, it } from 'vitest';
import { MarketState, type RefusalEpisode } from '../../electron/engine/market/market-state';
import { ERROR_CLASSES } from '../../shared/market';
import { ToRendererSchema, TickerRowSchema } from '../../shared/contract/renderer-api';
import { parseFromStreaming } from '../../shared/contract/streaming-protocol';
import { mulberry32 } from '../support/seeded-random';
import {
  R_AMOUNT, R_EVENT_TIME, R_PRICE, R_RECEIVED_AT, R_SIDE, R_SOURCE, SOURCE_REST, SOURCE_WS,
  T_ASK, T_BID, T_EVENT_TIME, T_KEY, T_LAST, T_QUOTE_VOL, T_RECEIVED_AT, T_SOURCE, TICKER_STRIDE, TRADE_STRIDE,
  TickBatchWriter, bookFault, gapFault, tickerFault, tradeFault, validateTickBatch, type BookTop, type TickBatch, type TradeGap,
} from '../../shared/contract/tick-batch';

const BTC = 'sim|BTC/USDT';
const ETH = 'sim|ETH/USDT';

function book(over: Partial<BookTop> = {}): BookTop {
  return { key: BTC, bids: [[99, 1]], asks: [[101, 2]], eventTime: 1000, receivedAt: 1001, source: SOURCE_WS, state: 1, updateId: 7, ...over };
}

function goodBatch(): TickBatch {
  const w = new TickBatchWriter();
  w.ticker(BTC, 99, 101, 100, 1, 2, 3, 1000, 1001, SOURCE_WS);
  w.trade(ETH, 't1', 10, 0.5, 1, 1000, 1001, SOURCE_REST);
  w.book(book());
  return w.flush(1002);
}

describe('validateTickBatch (structure, per batch)', () => {
  it('accepts what the writer produces, NaN "absent" columns included', () => {
    const w = new TickBatchWriter();
    w.ticker(BTC, NaN, NaN, 100, NaN, NaN, NaN, NaN, 1001, SOURCE_WS);
    w.book(book({ eventTime: NaN, bids: [], asks: [] }));
    expect(validateTickBatch(w.flush(1))).toBeUndefined();
    expect(validateTickBatch(goodBatch())).toBeUndefined();
  });

  it('carries candle messages in the order written, empties them at the flush, and counts them as no ticks', () => {
    const w = new TickBatchWriter();
    const key = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' } as const;
    const update = { type: 'candle-update', key, candle: { t: 60_000, o: 1, h: 2, l: 1, c: 2, v: 3 }, receivedAt: 1 } as const;
    const state = { type: 'candle-state', key, state: 'live' } as const;
    expect(w.isEmpty).toBe(true);
    w.candle(update);
    w.candle(state);
    expect(w.isEmpty).toBe(false);
    expect(w.pendingTicks).toBe(0);
    const b = w.flush(1);
    expect(b.candles).toEqual([update, state]);
    expect(validateTickBatch(b)).toBeUndefined();
    expect(w.isEmpty).toBe(true);
    expect(w.flush(2).candles).toEqual([]);
  });

  it('refuses wrong strides, mismatched ids, bad key indices, non-string keys and unattributable books', () => {
    const cases: [string, (b: TickBatch) => void][] = [
      ['tickers is not a Float64Array of whole rows', (b) => (b.tickers = new Float64Array(TICKER_STRIDE + 1))],
      ['trades is not a Float64Array of whole rows', (b) => (b.trades = new Float64Array(TRADE_STRIDE - 1))],
      ['tickers is not a Float64Array of whole rows', (b) => ((b as { tickers: unknown }).tickers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])],
      ['tradeIds does not match trade rows', (b) => (b.tradeIds = [])],
      ['ticker row 0 has bad key index', (b) => (b.tickers[T_KEY] = 0.5)],
      ['ticker row 0 has bad key index', (b) => (b.tickers[T_KEY] = NaN)],
      ['trade row 0 has bad key index', (b) => (b.trades[0] = 7)],
      ['keys holds a non-string', (b) => ((b.keys as unknown[])[0] = 1)],
      ['book 0 is not an object with a string key', (b) => ((b.books as unknown[])[0] = ['oops', 1])],
      ['book 0 is not an object with a string key', (b) => ((b.books[0] as { key: unknown }).key = 5)],
      ['books is not an array', (b) => ((b as { books: unknown }).books = {})],
      ['gaps is not an array', (b) => ((b as { gaps: unknown }).gaps = undefined)],
      ['gap 0 is not an object with a string key', (b) => ((b as { gaps: unknown }).gaps = [null])],
      ['candles is not an array', (b) => ((b as { candles: unknown }).candles = undefined)],
      ['sentAt is not a finite number', (b) => (b.sentAt = Infinity)],
      ['seq is not a non-negative integer', (b) => (b.seq = -1)],
    ];
    for (const [error, corrupt] of cases) {
      const b = goodBatch();
      corrupt(b);
      expect(validateTickBatch(b)).toBe(error);
    }
    expect(validateTickBatch(null)).toBe('not an object');
  });
});

describe('per-entry checks', () => {
  it('tickers: optional columns may be NaN (absent) but never infinite; receipt time and source are required', () => {
    const row = () => goodBatch().tickers;
    expect(tickerFault(row(), 0)).toBeUndefined();
    const cases: [number, number, string | undefined][] = [
      [T_BID, NaN, undefined],
      [T_EVENT_TIME, NaN, undefined],
      [T_LAST, Infinity, 'ticker value is infinite'],
      [T_QUOTE_VOL, -Infinity, 'ticker value is infinite'],
      [T_ASK, Infinity, 'ticker value is infinite'],
      [T_EVENT_TIME, Infinity, 'ticker event time is infinite'],
      [T_RECEIVED_AT, NaN, 'ticker receipt time is not finite'],
      [T_SOURCE, 2, 'ticker source code is unknown'],
      [T_SOURCE, NaN, 'ticker source code is unknown'],
    ];
    for (const [col, v, fault] of cases) {
      const t = row();
      t[col] = v;
      expect(tickerFault(t, 0), `column ${col} = ${v}`).toBe(fault);
    }
  });

  it('trades: price and amount finite, a known side and source, finite receipt, a string id', () => {
    const cases: [number, number, string | undefined][] = [
      [R_EVENT_TIME, NaN, undefined],
      [R_PRICE, NaN, 'trade price or amount is not finite'],
      [R_AMOUNT, Infinity, 'trade price or amount is not finite'],
      [R_SIDE, 2, 'trade side code is unknown'],
      [R_EVENT_TIME, -Infinity, 'trade event time is infinite'],
      [R_RECEIVED_AT, Infinity, 'trade receipt time is not finite'],
      [R_SOURCE, -1, 'trade source code is unknown'],
    ];
    for (const [col, v, fault] of cases) {
      const t = goodBatch().trades;
      t[col] = v;
      expect(tradeFault(t, 0, 't1'), `column ${col} = ${v}`).toBe(fault);
    }
    expect(tradeFault(goodBatch().trades, 0, 42)).toBe('trade id is not a string');
  });

  it('books: every level a [finite, finite] pair, times numbers (event time may be NaN), a known source and state, a finite or absent update id', () => {
    const level = 'book level is not a [price, size] pair of finite numbers';
    const cases: [Partial<BookTop> | Record<string, unknown>, string | undefined][] = [
      [{}, undefined],
      [{ eventTime: NaN, bids: [], asks: [] }, undefined],
      [{ bids: [['oops', 1]] }, level],
      [{ asks: [[101, 2], [NaN, 1]] }, level],
      [{ bids: [[99, Infinity]] }, level],
      [{ bids: [[99]] }, level],
      [{ bids: [[99, 1, 3]] }, level],
      [{ asks: ['101,2'] }, level],
      [{ bids: null }, level],
      [{ eventTime: Infinity }, 'book event time is not a number or infinite'],
      [{ eventTime: '1000' }, 'book event time is not a number or infinite'],
      [{ receivedAt: NaN }, 'book receipt time is not finite'],
      [{ receivedAt: undefined }, 'book receipt time is not finite'],
      [{ source: 3 }, 'book source code is unknown'],
      [{ state: 4 }, 'book state code is unknown'],
      [{ state: 1.5 }, 'book state code is unknown'],
      [{ state: undefined }, 'book state code is unknown'],
      [{ updateId: NaN }, undefined],
      [{ updateId: Infinity }, 'book update id is not a number or infinite'],
      [{ updateId: '7' }, 'book update id is not a number or infinite'],
    ];
    for (const [over, fault] of cases) expect(bookFault(book(over as Partial<BookTop>)), JSON.stringify(over)).toBe(fault);
  });
});

describe('MarketState refuses malformed entries alone', () => {
  it('keeps the good entries of a batch with a bad book, counts per instrument, reports once per episode', () => {
    const episodes: RefusalEpisode[] = [];
    const dirty: string[] = [];
    const m = new MarketState((k) => dirty.push(k), (e) => episodes.push(e));
    const btc = m.ensureRow('sim', 'BTC/USDT');
    const eth = m.ensureRow('sim', 'ETH/USDT');
    const w = new TickBatchWriter();
    w.book({ key: BTC, bids: [['oops' as unknown as number, 1]], asks: [[101, 1]], eventTime: NaN, receivedAt: 1000, source: SOURCE_WS, state: 1, updateId: 1 });
    w.ticker(ETH, 9, 11, 10, 0, 0, 0, 1000, 1001, SOURCE_WS);
    w.trade(BTC, 'bad', NaN, 1, 1, 1000, 1001, SOURCE_WS);
    w.trade(BTC, 'good', 100, 1, 1, 1000, 1002, SOURCE_WS);
    w.trade(BTC, 'late-bad', 100, 1, 1, 1000, NaN, SOURCE_WS);
    m.apply(w.flush(0));
    expect(eth).toMatchObject({ bid: 9, ask: 11, last: 10 });
    expect(btc).toMatchObject({ bid: null, ask: null, last: 100, receivedAt: 1002 });
    expect(m.entriesRefused).toBe(3);
    expect(m.refusedByInstrument()).toEqual({ [BTC]: 3 });
    expect(m.tradesApplied).toBe(1);
    expect(m.booksApplied).toBe(0);
    // Trades apply before books: the NaN-price trade is an episode the good trade ends;
    // the trade without a receipt time begins a second one, and the bad book joins it.
    expect(episodes).toEqual([
      { phase: 'began', key: BTC, kind: 'trade', reason: 'trade price or amount is not finite' },
      { phase: 'ended', key: BTC, refused: 1 },
      { phase: 'began', key: BTC, kind: 'trade', reason: 'trade receipt time is not finite' },
    ]);
    // A hundred more bad entries report nothing new; the next good one ends the episode.
    for (let i = 0; i < 100; i++) {
      w.ticker(BTC, Infinity, 1, 1, 1, 1, 1, 2000 + i, 2000 + i, SOURCE_WS);
      m.apply(w.flush(0));
    }
    expect(episodes).toHaveLength(3);
    w.ticker(BTC, 98, 102, 100, 0, 0, 0, 3000, 3001, SOURCE_WS);
    m.apply(w.flush(0));
    expect(episodes.at(-1)).toEqual({ phase: 'ended', key: BTC, refused: 102 });
    expect(btc).toMatchObject({ bid: 98, ask: 102 });
    expect(m.refusedByInstrument()).toEqual({ [BTC]: 103 });
    expect(dirty.filter((k) => k === BTC)).toHaveLength(2); // refused entries never mark a row dirty
  });
});

// ---- properties ----------------------------------------------------------------

const HOSTILE: unknown[] = [NaN, Infinity, -Infinity, 'oops', null, undefined, {}, [], [1], true, -0, 1e308, -1];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A finite value most of the time, sometimes NaN or something hostile. */
function value(r: () => number, hostility: number): unknown {
  const x = r();
  if (x < hostility) return pick(r, HOSTILE);
  return Math.round(r() * 1e6) / 100;
}

/** A batch written like the streaming process would, with hostile values mixed in (as a broken adapter would write them). */
function randomBatch(r: () => number, hostility: number): TickBatch {
  const w = new TickBatchWriter();
  const keys = [BTC, ETH, 'sim|SOL/USDT'];
  const n = 1 + Math.floor(r() * 12);
  const v = () => value(r, hostility) as number;
  for (let i = 0; i < n; i++) {
    const key = pick(r, keys);
    const kind = r();
    if (kind < 0.4) w.ticker(key, v(), v(), v(), v(), v(), v(), v(), v(), r() < hostility ? v() : SOURCE_WS);
    else if (kind < 0.7) w.trade(key, `t${i}`, v(), v(), r() < hostility ? v() : 1, v(), v(), SOURCE_REST);
    else {
      const levels = () => Array.from({ length: Math.floor(r() * 4) }, () => (r() < hostility ? pick(r, HOSTILE) : [v(), v()])) as [number, number][];
      w.book({ key, bids: levels(), asks: levels(), eventTime: v(), receivedAt: v(), source: SOURCE_WS, state: 1, updateId: v() });
    }
  }
  return w.flush(1);
}

describe('tape gap markers', () => {
  const gap = (over: Partial<TradeGap> | Record<string, unknown> = {}): TradeGap => ({ key: BTC, fromId: '11', toId: '14', missing: 4, recovered: 4, startedAt: 1000, endedAt: 1400, cause: 'id-jump', ...over }) as TradeGap;

  it('travel in the batch they were written to, and only there', () => {
    const w = new TickBatchWriter();
    w.gap(gap());
    expect(w.isEmpty).toBe(false);
    const b = w.flush(1);
    expect(validateTickBatch(b)).toBeUndefined();
    expect(b.gaps).toEqual([gap()]);
    w.ticker(BTC, 1, 2, 1.5, 0, 1, 1, 1, 1, SOURCE_WS);
    const next = w.flush(2);
    expect(next.gaps).toEqual([]);
    expect(Object.isFrozen(next.gaps)).toBe(true); // the shared empty list cannot be written to
  });

  it('each field is checked: ids, counts, ordered finite times, a known cause', () => {
    const cases: [Record<string, unknown>, string | undefined][] = [
      [{}, undefined],
      [{ fromId: '', toId: '', missing: NaN, recovered: 0, cause: 'outage' }, undefined],
      [{ fromId: 11 }, 'gap ids are not short strings'],
      [{ toId: 'x'.repeat(65) }, 'gap ids are not short strings'],
      [{ missing: 0 }, 'gap missing count is not a positive integer or NaN'],
      [{ missing: 2.5 }, 'gap missing count is not a positive integer or NaN'],
      [{ recovered: 5 }, 'gap recovered count is not between 0 and the missing count'],
      [{ recovered: -1 }, 'gap recovered count is not between 0 and the missing count'],
      [{ endedAt: 999 }, 'gap times are not finite and ordered'],
      [{ startedAt: NaN }, 'gap times are not finite and ordered'],
      [{ cause: 'dropped' }, 'gap cause is unknown'],
      [{ cause: 'shed', fromId: '', toId: '', recovered: 0 }, undefined],
    ];
    for (const [over, fault] of cases) expect(gapFault(gap(over)), JSON.stringify(over)).toBe(fault);
  });
});

describe('properties (seeded)', () => {
  it('whatever the streaming process sends, every row the renderer can be sent passes its schema', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = mulberry32(seed);
      const m = new MarketState(() => undefined);
      m.ensureRow('sim', 'BTC/USDT');
      m.ensureRow('sim', 'ETH/USDT');
      for (let i = 0; i < 5; i++) {
        const parsed = parseFromStreaming(randomBatch(r, 0.15));
        expect(parsed.ok, `seed ${seed}`).toBe(true);
        if (parsed.ok && parsed.value.type === 'ticks') m.apply(parsed.value);
      }
      for (const row of m.allRows()) {
        const check = TickerRowSchema.safeParse(row);
        expect(check.success, `seed ${seed}: ${JSON.stringify(row)}`).toBe(true);
      }
    }
  });

  it('every watched entry is either applied or refused and counted: none is lost silently', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = mulberry32(seed);
      const m = new MarketState(() => undefined);
      m.ensureRow('sim', 'BTC/USDT');
      m.ensureRow('sim', 'ETH/USDT');
      const batch = randomBatch(r, 0.2);
      let watched = 0;
      let bad = 0;
      const isWatched = (k: string) => k === BTC || k === ETH;
      for (let o = 0; o < batch.tickers.length; o += TICKER_STRIDE) {
        if (!isWatched(batch.keys[batch.tickers[o]!]!)) continue;
        watched++;
        if (tickerFault(batch.tickers, o)) bad++;
      }
      for (let o = 0; o < batch.trades.length; o += TRADE_STRIDE) {
        if (!isWatched(batch.keys[batch.trades[o]!]!)) continue;
        watched++;
        if (tradeFault(batch.trades, o, batch.tradeIds[o / TRADE_STRIDE])) bad++;
      }
      for (const b of batch.books) {
        if (!isWatched(b.key)) continue;
        watched++;
        if (bookFault(b)) bad++;
      }
      m.apply(batch);
      expect(m.tickersApplied + m.tradesApplied + m.booksApplied, `seed ${seed}`).toBe(watched - bad);
      expect(m.entriesRefused, `seed ${seed}`).toBe(bad);
    }
  });

  it('a valid batch with one cell corrupted: exactly that entry is refused', () => {
    const cols = [T_BID, T_LAST, T_EVENT_TIME, T_RECEIVED_AT, T_SOURCE];
    for (let seed = 1; seed <= 200; seed++) {
      const r = mulberry32(seed);
      const batch = randomBatch(r, 0);
      const rows = batch.tickers.length / TICKER_STRIDE;
      if (rows === 0) continue;
      const row = Math.floor(r() * rows);
      const col = pick(r, cols);
      batch.tickers[row * TICKER_STRIDE + col] = pick(r, [Infinity, -Infinity]);
      for (let i = 0; i < rows; i++) expect(tickerFault(batch.tickers, i * TICKER_STRIDE) !== undefined, `seed ${seed} row ${i}`).toBe(i === row);
      expect(validateTickBatch(batch)).toBeUndefined(); // structure intact: the batch as a whole is kept
    }
  });
});

describe('other messages from the streaming process', () => {
  it('status and heartbeat numbers must be finite (zod 4 number()), so they cannot carry NaN/Infinity to the screen', () => {
    const latency = { p50: 1, p99: 2 };
    const exchange = {
      exchange: 'sim', state: 'connected', mode: 'live', reconnects: 0, attempt: 0, connections: 1,
      messagesPerSec: 10, exchangeLatencyMs: latency, processingLatencyMs: latency,
      errors: Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])),
    };
    expect(parseFromStreaming({ type: 'status', exchanges: [exchange], subscriptions: [] }).ok).toBe(true);
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(parseFromStreaming({ type: 'status', exchanges: [{ ...exchange, messagesPerSec: bad }], subscriptions: [] }).ok).toBe(false);
      expect(parseFromStreaming({ type: 'status', exchanges: [{ ...exchange, exchangeLatencyMs: { p50: bad, p99: 1 } }], subscriptions: [] }).ok).toBe(false);
      expect(
        parseFromStreaming({ type: 'status', exchanges: [], subscriptions: [{ id: 'x', exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker', state: 'live', source: 'ws', lastDataAt: bad }] }).ok,
      ).toBe(false);
      expect(parseFromStreaming({ type: 'outage', outage: { id: 'o', exchange: 'sim', startedAt: 1, reason: 'close', restored: [], downMs: bad } }).ok).toBe(false);
      // And the renderer's own check agrees, should anything in main compute one.
      expect(ToRendererSchema.safeParse({ type: 'frame', seq: 1, sentAt: bad, rows: [] }).success).toBe(false);
    }
  });
});
