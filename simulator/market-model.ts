// One simulated market: a mean-reverting random walk of the mid price, a ladder
// order book around it, trades at the touch and rolling 24 h statistics, all
// driven by one seeded generator. Every data message the simulator emits for a
// symbol first takes one step(), so ticker, bookTicker, trade and depth of a symbol
// always describe the same state: bid < ask, last trade at the bid or the ask,
// high >= last >= low, depth update ids chained without gaps.
//
// Prices are integer ticks and quantities integer lots; JSON is built by hand
// from pre-computed pieces (see format.ts), nothing here allocates per step
// except the strings it returns.
import { fixed8, float8 } from './format';
import { Prng, hashString } from './prng';
import type { SymbolSpec } from './symbols';
import { TradeHistory, TRADE_HISTORY_LIMIT, type TradeQuery } from './trade-history';
import { KlineSeries, KLINE_INTERVAL_NAMES, type Candle, type KlineInterval, type KlineQuery } from './klines';

/** Levels kept on each side of the book (REST depth returns at most this many). */
export const BOOK_LEVELS = 100;
/** Relative std-dev of the mid price per step (0.8 bp). */
export const STEP_SIGMA = 0.8e-4;
/** Mean reversion per step toward the starting price (stationary spread ~0.8 %). */
export const STEP_THETA = 5e-5;
/** Level spacing relative to price, rounded to a 1-2-5 number of ticks (~0.5 bp). */
const GRID_REL = 5e-5;
/** Steps taken when a market is created, so REST has trades to show at once. */
const WARMUP_STEPS = 20;
/** Steps a minute of history (historyMinutes): enough trades that every 1m candle has a body. */
export const HISTORY_STEPS_PER_MINUTE = 4;
const DAY_MS = 86_400_000;

/** Depth changes not yet sent on one depth stream (level index -> lots, 0 = removed). */
export interface DepthTracker {
  lastU: number;
  bids: Map<number, number>;
  asks: Map<number, number>;
  /** book-gap: drop the next diff, so the one after it skips update ids. */
  gap: boolean;
  /** book-crossed: the next diff adds a bid above the best ask. */
  cross: boolean;
  /** Bid level index the crossed diff invented, to restore in the next diff; -1 = none. */
  heal: number;
}

/** A book as numbers, best first: [price, amount] (what ccxt parses from the same strings). */
export interface BookView {
  lastUpdateId: number;
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}

/** The book at one update id, as level indices and lots (book-stale-snapshot keeps one). */
export interface DepthSnapshot {
  lastUpdateId: number;
  bb: number;
  bids: number[];
  asks: number[];
}

function niceGrid(ticks: number): number {
  if (ticks <= 1) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(ticks)));
  let best = exp;
  for (const m of [1, 2, 5, 10]) {
    const g = m * exp;
    if (Math.abs(Math.log(g / ticks)) < Math.abs(Math.log(best / ticks))) best = g;
  }
  return best;
}

export class SymbolModel {
  readonly spec: SymbolSpec;
  readonly id: string;
  /** Lower-case id as used in stream names ('btcusdt'). */
  readonly lowerId: string;
  private readonly td: number;
  private readonly qd: number;
  private readonly tickScale: number;
  private readonly qtyScale: number;
  /** Ticks between two book levels. */
  readonly grid: number;
  private readonly rng: Prng;
  private readonly anchor: number;
  private logMid: number;
  /** Best bid level index; the best ask is bb + 1. Level price in ticks = index * grid. */
  private bb: number;
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  readonly trackers: DepthTracker[] = [];
  /** Steps taken since creation (the path index). */
  steps = 0;
  updateId: number;
  tradeId: number;
  private lastTicks = 0;
  private lastLots = 0;
  private lastBuyerMaker = false;
  private lastTime = 0;
  private openTicks: number;
  private highTicks: number;
  private lowTicks: number;
  private volLots: number;
  private quoteVol: number;
  private count: number;
  private firstId: number;
  /** Trades kept for REST (bounded). */
  readonly history: TradeHistory;
  /** Candles per interval, built from the trades (klines.ts). */
  private readonly klineSeries: KlineSeries[] = KLINE_INTERVAL_NAMES.map((i) => new KlineSeries(i));
  // constant JSON pieces and strings cached until their value changes
  private readonly jsonSym: string;
  private sOpen = '';
  private sHigh = '';
  private sLow = '';
  private cHigh = -1;
  private cLow = -1;
  private cBb = -1;
  private sBid = '';
  private sAsk = '';
  private cLast = -1;
  private sLast = '';
  private sChange = '';
  private sPct = '';

  /**
   * `historyMinutes`: the market has already traded for that long, HISTORY_STEPS_PER_MINUTE
   * steps a minute, so REST klines have candles to load from the start; they are built
   * from those very trades, like every later candle.
   */
  constructor(spec: SymbolSpec, seed: number, now: number = Date.now(), historyLimit: number = TRADE_HISTORY_LIMIT, historyMinutes = 0) {
    this.spec = spec;
    this.history = new TradeHistory(historyLimit);
    this.id = spec.id;
    this.lowerId = spec.id.toLowerCase();
    this.td = spec.tickDecimals;
    this.qd = spec.qtyDecimals;
    this.tickScale = Math.pow(10, this.td);
    this.qtyScale = Math.pow(10, this.qd);
    this.rng = new Prng(hashString(spec.symbol, seed));
    this.grid = niceGrid(spec.price * GRID_REL * this.tickScale);
    this.anchor = Math.log(spec.price);
    this.logMid = this.anchor;
    this.bb = this.levelOf(this.logMid);
    this.jsonSym = `"s":"${spec.id}"`;
    const rng = this.rng;
    this.updateId = 10_000_000_000 + rng.int(1_000_000_000);
    this.tradeId = 1_000_000_000 + rng.int(1_000_000_000);
    for (let i = this.bb - BOOK_LEVELS + 1; i <= this.bb; i++) this.bids.set(i, this.levelLots());
    for (let i = this.bb + 1; i <= this.bb + BOOK_LEVELS; i++) this.asks.set(i, this.levelLots());
    // 24 h statistics as if the market had been trading for a day
    const priceTicks = Math.round(spec.price * this.tickScale);
    this.openTicks = Math.max(1, Math.round(priceTicks * Math.exp(0.015 * rng.normal())));
    this.highTicks = Math.round(Math.max(this.openTicks, priceTicks) * (1 + 0.006 * Math.abs(rng.normal())));
    this.lowTicks = Math.max(1, Math.round(Math.min(this.openTicks, priceTicks) * (1 - 0.006 * Math.abs(rng.normal()))));
    const dailyTrades = Math.round(100_000 + rng.next() * 400_000);
    this.count = dailyTrades;
    this.firstId = this.tradeId - dailyTrades + 1;
    this.volLots = Math.round(dailyTrades * spec.tradeQty * this.qtyScale * (0.8 + 0.4 * rng.next()));
    this.quoteVol = (this.volLots / this.qtyScale) * ((this.openTicks + priceTicks) / 2 / this.tickScale);
    this.lastTicks = priceTicks;
    const warmupFrom = now - WARMUP_STEPS * 50;
    const historyFrom = warmupFrom - historyMinutes * 60_000;
    for (let i = 0, n = historyMinutes * HISTORY_STEPS_PER_MINUTE; i < n; i++) this.step(historyFrom + (i * 60_000) / HISTORY_STEPS_PER_MINUTE);
    for (let i = 0; i < WARMUP_STEPS; i++) this.step(now - (WARMUP_STEPS - i) * 50);
  }

  private levelOf(logMid: number): number {
    const x = Math.floor((Math.exp(logMid) * this.tickScale) / this.grid - 0.5);
    return x < BOOK_LEVELS ? BOOK_LEVELS : x;
  }

  private levelLots(): number {
    const q = this.spec.tradeQty * 3 * Math.exp(0.9 * this.rng.normal());
    const lots = Math.round(q * this.qtyScale);
    return lots < 1 ? 1 : lots;
  }

  private tradeLots(): number {
    const q = this.spec.tradeQty * Math.exp(0.8 * this.rng.normal());
    const lots = Math.round(q * this.qtyScale);
    return lots < 1 ? 1 : lots;
  }

  private markBid(idx: number, lots: number): void {
    const t = this.trackers;
    for (let i = 0; i < t.length; i++) t[i]!.bids.set(idx, lots);
  }

  private markAsk(idx: number, lots: number): void {
    const t = this.trackers;
    for (let i = 0; i < t.length; i++) t[i]!.asks.set(idx, lots);
  }

  /** Moves the ladder from best bid `from` to best bid `to`. */
  private shift(from: number, to: number): void {
    const L = BOOK_LEVELS;
    // bids: [from-L+1, from] -> [to-L+1, to]
    this.moveRange(this.bids, from - L + 1, from, to - L + 1, to, true);
    // asks: [from+1, from+L] -> [to+1, to+L]
    this.moveRange(this.asks, from + 1, from + L, to + 1, to + L, false);
  }

  private moveRange(map: Map<number, number>, olo: number, ohi: number, nlo: number, nhi: number, bid: boolean): void {
    // removed: old minus new
    for (let i = olo, e = Math.min(ohi, nlo - 1); i <= e; i++) this.setLevel(map, i, 0, bid);
    for (let i = Math.max(olo, nhi + 1); i <= ohi; i++) this.setLevel(map, i, 0, bid);
    // added: new minus old (highest bid first / lowest ask first, deterministic order)
    if (bid) {
      for (let i = nhi; i >= Math.max(nlo, ohi + 1); i--) this.setLevel(map, i, this.levelLots(), bid);
      for (let i = Math.min(nhi, olo - 1); i >= nlo; i--) this.setLevel(map, i, this.levelLots(), bid);
    } else {
      for (let i = nlo, e = Math.min(nhi, olo - 1); i <= e; i++) this.setLevel(map, i, this.levelLots(), bid);
      for (let i = Math.max(nlo, ohi + 1); i <= nhi; i++) this.setLevel(map, i, this.levelLots(), bid);
    }
  }

  private setLevel(map: Map<number, number>, idx: number, lots: number, bid: boolean): void {
    if (lots === 0) map.delete(idx);
    else map.set(idx, lots);
    this.updateId++;
    if (this.trackers.length !== 0) {
      if (bid) this.markBid(idx, lots);
      else this.markAsk(idx, lots);
    }
  }

  /** One market event: the mid moves, the ladder follows, one trade at the touch, one level refreshes. */
  step(now: number): void {
    const rng = this.rng;
    this.steps++;
    this.logMid += STEP_THETA * (this.anchor - this.logMid) + STEP_SIGMA * rng.normal();
    const nbb = this.levelOf(this.logMid);
    if (nbb !== this.bb) {
      this.shift(this.bb, nbb);
      this.bb = nbb;
    }
    // trade: buyer is maker -> a seller hit the best bid; else a buyer lifted the best ask
    const buyerMaker = rng.next() < 0.5;
    const lvl = buyerMaker ? this.bb : this.bb + 1;
    const side = buyerMaker ? this.bids : this.asks;
    let lots = this.tradeLots();
    const resting = side.get(lvl) ?? 1;
    let rest = resting - lots;
    if (rest <= 0) {
      lots = resting;
      rest = this.levelLots(); // level fully taken, a new order takes its place
    }
    this.setLevel(side, lvl, rest, buyerMaker);
    // one more level somewhere in the top 10 changes size
    const onBid = rng.next() < 0.5;
    const k = rng.int(10);
    if (onBid) this.setLevel(this.bids, this.bb - k, this.levelLots(), true);
    else this.setLevel(this.asks, this.bb + 1 + k, this.levelLots(), false);

    const ticks = lvl * this.grid;
    this.tradeId++;
    this.count++;
    this.lastTicks = ticks;
    this.lastLots = lots;
    this.lastBuyerMaker = buyerMaker;
    this.lastTime = now;
    if (ticks > this.highTicks) this.highTicks = ticks;
    if (ticks < this.lowTicks) this.lowTicks = ticks;
    this.volLots += lots;
    const quote = (lots / this.qtyScale) * (ticks / this.tickScale);
    this.quoteVol += quote;
    this.history.push(this.tradeId, ticks, lots, now, buyerMaker);
    const ks = this.klineSeries;
    for (let i = 0; i < ks.length; i++) ks[i]!.add(this.tradeId, ticks, lots, quote, now, buyerMaker);
  }

  // ---- state accessors (tests, REST) ------------------------------------------

  get lastPrice(): number {
    return this.lastTicks / this.tickScale;
  }
  get bestBid(): number {
    return (this.bb * this.grid) / this.tickScale;
  }
  get bestAsk(): number {
    return ((this.bb + 1) * this.grid) / this.tickScale;
  }

  // ---- depth tracking ------------------------------------------------------------

  /** The whole book now (tests and tools). */
  book(): BookView {
    const level = (idx: number, lots: number): [number, number] => [(idx * this.grid) / this.tickScale, lots / this.qtyScale];
    const bids: Array<[number, number]> = [];
    for (let i = 0; i < BOOK_LEVELS; i++) bids.push(level(this.bb - i, this.bids.get(this.bb - i) ?? 0));
    const asks: Array<[number, number]> = [];
    for (let i = 0; i < BOOK_LEVELS; i++) asks.push(level(this.bb + 1 + i, this.asks.get(this.bb + 1 + i) ?? 0));
    return { lastUpdateId: this.updateId, bids, asks };
  }

  /** The book now, to be served later as a stale REST snapshot. */
  captureDepth(): DepthSnapshot {
    const bids: number[] = [];
    const asks: number[] = [];
    for (let i = 0; i < BOOK_LEVELS; i++) {
      bids.push(this.bids.get(this.bb - i) ?? 0);
      asks.push(this.asks.get(this.bb + 1 + i) ?? 0);
    }
    return { lastUpdateId: this.updateId, bb: this.bb, bids, asks };
  }

  /** Starts collecting changes for a depth stream; its first update starts at the next update id. */
  addTracker(): DepthTracker {
    const t: DepthTracker = { lastU: this.updateId, bids: new Map(), asks: new Map(), gap: false, cross: false, heal: -1 };
    this.trackers.push(t);
    return t;
  }

  removeTracker(t: DepthTracker): void {
    const i = this.trackers.indexOf(t);
    if (i >= 0) this.trackers.splice(i, 1);
  }

  // ---- stream payloads (JSON text exactly as Binance spot sends it) -------------

  private px(ticks: number): string {
    return fixed8(ticks, this.td);
  }
  private qty(lots: number): string {
    return fixed8(lots, this.qd);
  }
  private lvlPx(idx: number): string {
    return fixed8(idx * this.grid, this.td);
  }

  /** Refreshes the cached strings whose values changed since the last render. */
  private refresh(): void {
    if (this.sOpen === '') this.sOpen = this.px(this.openTicks);
    if (this.cHigh !== this.highTicks) {
      this.cHigh = this.highTicks;
      this.sHigh = this.px(this.highTicks);
    }
    if (this.cLow !== this.lowTicks) {
      this.cLow = this.lowTicks;
      this.sLow = this.px(this.lowTicks);
    }
    if (this.cBb !== this.bb) {
      this.cBb = this.bb;
      this.sBid = this.lvlPx(this.bb);
      this.sAsk = this.lvlPx(this.bb + 1);
    }
    if (this.cLast !== this.lastTicks) {
      this.cLast = this.lastTicks;
      this.sLast = this.px(this.lastTicks);
      this.sChange = this.px(this.lastTicks - this.openTicks);
      this.sPct = (((this.lastTicks - this.openTicks) / this.openTicks) * 100).toFixed(3);
    }
  }

  private vwap(): string {
    const base = this.volLots / this.qtyScale;
    return base > 0 ? fixed8(Math.round((this.quoteVol / base) * 1e8), 8) : '0.00000000';
  }

  ticker(E: number): string {
    this.refresh();
    const bb = this.bb;
    return (
      `{"e":"24hrTicker","E":${E},${this.jsonSym},"p":"${this.sChange}","P":"${this.sPct}","w":"${this.vwap()}",` +
      `"x":"${this.sOpen}","c":"${this.sLast}","Q":"${this.qty(this.lastLots)}",` +
      `"b":"${this.sBid}","B":"${this.qty(this.bids.get(bb) ?? 0)}","a":"${this.sAsk}","A":"${this.qty(this.asks.get(bb + 1) ?? 0)}",` +
      `"o":"${this.sOpen}","h":"${this.sHigh}","l":"${this.sLow}",` +
      `"v":"${this.qty(this.volLots)}","q":"${float8(this.quoteVol)}","O":${E - DAY_MS},"C":${E},"F":${this.firstId},"L":${this.tradeId},"n":${this.count}}`
    );
  }

  miniTicker(E: number): string {
    this.refresh();
    return (
      `{"e":"24hrMiniTicker","E":${E},${this.jsonSym},"c":"${this.sLast}","o":"${this.sOpen}",` +
      `"h":"${this.sHigh}","l":"${this.sLow}","v":"${this.qty(this.volLots)}","q":"${float8(this.quoteVol)}"}`
    );
  }

  trade(E: number): string {
    this.refresh();
    return `{"e":"trade","E":${E},${this.jsonSym},"t":${this.tradeId},"p":"${this.sLast}","q":"${this.qty(this.lastLots)}","T":${this.lastTime},"m":${this.lastBuyerMaker},"M":true}`;
  }

  aggTrade(E: number): string {
    this.refresh();
    const id = this.tradeId;
    return (
      `{"e":"aggTrade","E":${E},${this.jsonSym},"a":${id},"p":"${this.sLast}","q":"${this.qty(this.lastLots)}",` +
      `"f":${id},"l":${id},"T":${this.lastTime},"m":${this.lastBuyerMaker},"M":true}`
    );
  }

  /** A trade event for a kept trade (history slot), for trade streams that carry every trade. */
  tradeAt(E: number, slot: number): string {
    const h = this.history;
    return (
      `{"e":"trade","E":${E},${this.jsonSym},"t":${h.id[slot]},"p":"${this.px(h.ticks[slot]!)}","q":"${this.qty(h.lots[slot]!)}",` +
      `"T":${h.time[slot]},"m":${h.maker[slot] === 1},"M":true}`
    );
  }

  aggTradeAt(E: number, slot: number): string {
    const h = this.history;
    const id = h.id[slot];
    return (
      `{"e":"aggTrade","E":${E},${this.jsonSym},"a":${id},"p":"${this.px(h.ticks[slot]!)}","q":"${this.qty(h.lots[slot]!)}",` +
      `"f":${id},"l":${id},"T":${h.time[slot]},"m":${h.maker[slot] === 1},"M":true}`
    );
  }

  bookTicker(): string {
    this.refresh();
    const bb = this.bb;
    return `{"u":${this.updateId},${this.jsonSym},"b":"${this.sBid}","B":"${this.qty(this.bids.get(bb) ?? 0)}","a":"${this.sAsk}","A":"${this.qty(this.asks.get(bb + 1) ?? 0)}"}`;
  }

  /** The depthUpdate covering everything since the tracker's last one, or undefined if nothing changed. */
  depthUpdate(E: number, t: DepthTracker): string | undefined {
    if (t.lastU === this.updateId) return undefined;
    if (t.heal >= 0) {
      // after a crossed diff: the invented bid goes back to what the book really has there
      if (!t.bids.has(t.heal)) t.bids.set(t.heal, this.bids.get(t.heal) ?? 0);
      t.heal = -1;
    }
    if (t.cross) {
      // a bid one level above the best ask: best bid > best ask on the client
      t.cross = false;
      t.heal = this.bb + 2;
      t.bids.delete(t.heal);
      t.bids.set(t.heal, this.asks.get(this.bb + 1) ?? 1);
    }
    let b = '';
    for (const [idx, lots] of t.bids) b += (b ? ',["' : '["') + this.lvlPx(idx) + '","' + this.qty(lots) + '"]';
    let a = '';
    for (const [idx, lots] of t.asks) a += (a ? ',["' : '["') + this.lvlPx(idx) + '","' + this.qty(lots) + '"]';
    t.bids.clear();
    t.asks.clear();
    const U = t.lastU + 1;
    t.lastU = this.updateId;
    if (t.gap) {
      // the diff is lost: the next one starts after these ids
      t.gap = false;
      return undefined;
    }
    return `{"e":"depthUpdate","E":${E},${this.jsonSym},"U":${U},"u":${this.updateId},"b":[${b}],"a":[${a}]}`;
  }

  // ---- REST payloads ---------------------------------------------------------

  /** A REST depth snapshot of a captured book (book-stale-snapshot). */
  restDepthOf(snap: DepthSnapshot, limit: number): string {
    const n = Math.min(limit, BOOK_LEVELS);
    let b = '';
    let a = '';
    for (let i = 0; i < n; i++) {
      b += (i ? ',["' : '["') + this.lvlPx(snap.bb - i) + '","' + this.qty(snap.bids[i]!) + '"]';
      a += (i ? ',["' : '["') + this.lvlPx(snap.bb + 1 + i) + '","' + this.qty(snap.asks[i]!) + '"]';
    }
    return `{"lastUpdateId":${snap.lastUpdateId},"bids":[${b}],"asks":[${a}]}`;
  }

  restDepth(limit: number): string {
    const n = Math.min(limit, BOOK_LEVELS);
    let b = '';
    for (let i = 0; i < n; i++) {
      const idx = this.bb - i;
      b += (i ? ',["' : '["') + this.lvlPx(idx) + '","' + this.qty(this.bids.get(idx) ?? 0) + '"]';
    }
    let a = '';
    for (let i = 0; i < n; i++) {
      const idx = this.bb + 1 + i;
      a += (i ? ',["' : '["') + this.lvlPx(idx) + '","' + this.qty(this.asks.get(idx) ?? 0) + '"]';
    }
    return `{"lastUpdateId":${this.updateId},"bids":[${b}],"asks":[${a}]}`;
  }

  restTicker24h(now: number): string {
    this.refresh();
    const bb = this.bb;
    return (
      `{"symbol":"${this.id}","priceChange":"${this.sChange}","priceChangePercent":"${this.sPct}",` +
      `"weightedAvgPrice":"${this.vwap()}","prevClosePrice":"${this.sOpen}","lastPrice":"${this.sLast}",` +
      `"lastQty":"${this.qty(this.lastLots)}","bidPrice":"${this.sBid}","bidQty":"${this.qty(this.bids.get(bb) ?? 0)}",` +
      `"askPrice":"${this.sAsk}","askQty":"${this.qty(this.asks.get(bb + 1) ?? 0)}","openPrice":"${this.sOpen}",` +
      `"highPrice":"${this.sHigh}","lowPrice":"${this.sLow}","volume":"${this.qty(this.volLots)}",` +
      `"quoteVolume":"${float8(this.quoteVol)}","openTime":${now - DAY_MS},"closeTime":${now},"firstId":${this.firstId},"lastId":${this.tradeId},"count":${this.count}}`
    );
  }

  restBookTicker(): string {
    this.refresh();
    const bb = this.bb;
    return (
      `{"symbol":"${this.id}","bidPrice":"${this.sBid}","bidQty":"${this.qty(this.bids.get(bb) ?? 0)}",` +
      `"askPrice":"${this.sAsk}","askQty":"${this.qty(this.asks.get(bb + 1) ?? 0)}"}`
    );
  }

  restPrice(): string {
    this.refresh();
    return `{"symbol":"${this.id}","price":"${this.sLast}"}`;
  }

  /** The kept trades a query selects, oldest first (Binance order). */
  private trades(q: TradeQuery, each: (slot: number) => string): string {
    const h = this.history;
    const [first, count] = h.select(q);
    let out = '';
    for (let i = first; i < first + count; i++) out += (out ? ',' : '') + each(h.slot(i));
    return `[${out}]`;
  }

  /** /api/v3/trades (q.limit only) and /api/v3/historicalTrades (fromId). */
  restTrades(q: TradeQuery): string {
    const h = this.history;
    return this.trades(q, (s) => {
      const ticks = h.ticks[s]!;
      const lots = h.lots[s]!;
      const quote = float8((lots / this.qtyScale) * (ticks / this.tickScale));
      return (
        `{"id":${h.id[s]},"price":"${this.px(ticks)}","qty":"${this.qty(lots)}","quoteQty":"${quote}",` +
        `"time":${h.time[s]},"isBuyerMaker":${h.maker[s] === 1},"isBestMatch":true}`
      );
    });
  }

  /** /api/v3/aggTrades: one aggregate per trade (a = f = l = the trade id). */
  restAggTrades(q: TradeQuery): string {
    const h = this.history;
    return this.trades(q, (s) => {
      const id = h.id[s];
      return (
        `{"a":${id},"p":"${this.px(h.ticks[s]!)}","q":"${this.qty(h.lots[s]!)}","f":${id},"l":${id},` +
        `"T":${h.time[s]},"m":${h.maker[s] === 1},"M":true}`
      );
    });
  }

  /** The candles of one interval. */
  klines(interval: KlineInterval): KlineSeries {
    return this.klineSeries[KLINE_INTERVAL_NAMES.indexOf(interval)]!;
  }

  /** A kline stream event for one candle (`x` = closed). */
  klineEvent(E: number, series: KlineSeries, k: Candle, closed: boolean): string {
    return (
      `{"e":"kline","E":${E},${this.jsonSym},"k":{"t":${k.t},"T":${k.t + series.ms - 1},${this.jsonSym},"i":"${series.interval}",` +
      `"f":${k.f},"L":${k.L},"o":"${this.px(k.o)}","c":"${this.px(k.c)}","h":"${this.px(k.h)}","l":"${this.px(k.l)}",` +
      `"v":"${this.qty(k.v)}","n":${k.n},"x":${closed},"q":"${float8(k.q)}","V":"${this.qty(k.V)}","Q":"${float8(k.Q)}","B":"0"}}`
    );
  }

  /** /api/v3/klines: [openTime, o, h, l, c, v, closeTime, q, n, V, Q, "0"] rows, oldest first. */
  restKlines(interval: KlineInterval, q: KlineQuery): string {
    const series = this.klines(interval);
    const [first, count] = series.select(q);
    let out = '';
    for (let i = first; i < first + count; i++) {
      const k = series.at(i);
      out +=
        (out ? ',' : '') +
        `[${k.t},"${this.px(k.o)}","${this.px(k.h)}","${this.px(k.l)}","${this.px(k.c)}","${this.qty(k.v)}",${k.t + series.ms - 1},` +
        `"${float8(k.q)}",${k.n},"${this.qty(k.V)}","${float8(k.Q)}","0"]`;
    }
    return `[${out}]`;
  }

  /** The exchangeInfo entry of this market (Binance spot shape, the fields ccxt reads). */
  static exchangeInfoEntry(spec: SymbolSpec): Record<string, unknown> {
    const tick = fixed8(1, spec.tickDecimals);
    const step = fixed8(1, spec.qtyDecimals);
    return {
      symbol: spec.id,
      status: 'TRADING',
      baseAsset: spec.base,
      baseAssetPrecision: 8,
      quoteAsset: spec.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      baseCommissionPrecision: 8,
      quoteCommissionPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      ocoAllowed: true,
      otoAllowed: true,
      quoteOrderQtyMarketAllowed: true,
      allowTrailingStop: true,
      cancelReplaceAllowed: true,
      amendAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '1000000.00000000', tickSize: tick },
        { filterType: 'LOT_SIZE', minQty: step, maxQty: '9000000.00000000', stepSize: step },
        { filterType: 'ICEBERG_PARTS', limit: 10 },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '1000000.00000000', stepSize: '0.00000000' },
        { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
        { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
        { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
        { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
      ],
      permissions: [],
      permissionSets: [['SPOT']],
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
    };
  }
}
