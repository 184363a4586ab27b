// One simulated Futu security: a seeded, mean-reverting random walk of the mid
// price in integer ticks, a ladder book around it, trades at the touch and the
// day's statistics. Like the Binance simulator's SymbolModel (same Prng, same
// "the path depends only on seed, symbol and step count"), but producing the
// plain objects OpenD's protobuf messages are built from.
import { Prng, hashString } from '../prng';

const STEP_SIGMA = 0.8e-4;
const STEP_THETA = 5e-5;
/** Book levels per side (OpenD's LV2 order book for HK stocks has 10). */
export const OPEND_BOOK_LEVELS = 10;

export interface OpenDSecurity {
  market: number;
  code: string;
}

export interface QuoteLevel {
  price: number;
  volume: number;
  orederCount: number; // sic: the field's name in Qot_Common.OrderBook
}

export class QuoteModel {
  private readonly rng: Prng;
  /** Price of one tick. */
  private readonly tick: number;
  private readonly anchorTicks: number;
  private midTicks: number;
  private readonly openPrice: number;
  private readonly lastClose: number;
  private high: number;
  private low: number;
  private last: number;
  private volume = 0;
  private turnover = 0;
  private sequence = 0;
  private lastTradeAt = 0;

  constructor(readonly security: OpenDSecurity, seed: number) {
    this.rng = new Prng(hashString(`${security.market}.${security.code}`, seed));
    // HK stocks trade in the tens to hundreds of HKD, US in dollars and cents.
    const start = 20 + this.rng.int(480);
    this.tick = start >= 100 ? 0.1 : 0.01;
    this.anchorTicks = Math.round(start / this.tick);
    this.midTicks = this.anchorTicks;
    this.openPrice = this.priceOf(this.midTicks);
    this.lastClose = this.priceOf(Math.round(this.anchorTicks * (1 + (this.rng.next() - 0.5) * 0.02)));
    this.high = this.low = this.last = this.openPrice;
  }

  private priceOf(ticks: number): number {
    return Math.round(ticks * this.tick * 1000) / 1000;
  }

  /** One step of the walk and one trade at the bid or the ask; returns that trade. */
  step(nowMs: number): { price: number; volume: number; dir: number; sequence: number; time: number } {
    const drift = -STEP_THETA * (this.midTicks - this.anchorTicks);
    const move = Math.round(this.midTicks * STEP_SIGMA * this.rng.normal() + drift);
    this.midTicks = Math.max(2, this.midTicks + move);
    const buy = this.rng.next() < 0.5;
    // Bid = mid - 1 tick, ask = mid + 1 tick: a buyer lifts the ask.
    const price = this.priceOf(this.midTicks + (buy ? 1 : -1));
    const volume = 100 * (1 + this.rng.int(20));
    this.last = price;
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    this.volume += volume;
    this.turnover += price * volume;
    this.lastTradeAt = Math.max(nowMs, this.lastTradeAt + 1);
    // TickerDirection: 1 = Bid ("outside", buyer-initiated), 2 = Ask (seller-initiated).
    return { price, volume, dir: buy ? 1 : 2, sequence: ++this.sequence, time: this.lastTradeAt };
  }

  /** Qot_Common.BasicQot for the current state. */
  basicQot(nowMs: number): Record<string, unknown> {
    return {
      security: this.security,
      isSuspended: false,
      listTime: '2004-06-16',
      priceSpread: this.tick,
      updateTime: new Date(this.lastTradeAt || nowMs).toISOString(),
      highPrice: this.high,
      openPrice: this.openPrice,
      lowPrice: this.low,
      curPrice: this.last,
      lastClosePrice: this.lastClose,
      volume: this.volume,
      turnover: Math.round(this.turnover * 100) / 100,
      turnoverRate: 0,
      amplitude: Math.round(((this.high - this.low) / this.lastClose) * 10_000) / 100,
      updateTimestamp: (this.lastTradeAt || nowMs) / 1000,
    };
  }

  /** Qot_Common.Ticker for a trade step() returned. */
  ticker(trade: ReturnType<QuoteModel['step']>): Record<string, unknown> {
    return {
      time: new Date(trade.time).toISOString(),
      sequence: trade.sequence,
      dir: trade.dir,
      price: trade.price,
      volume: trade.volume,
      turnover: Math.round(trade.price * trade.volume * 100) / 100,
      timestamp: trade.time / 1000,
    };
  }

  /** Asks ascending and bids descending from the touch, OPEND_BOOK_LEVELS each. */
  book(): { asks: QuoteLevel[]; bids: QuoteLevel[] } {
    const asks: QuoteLevel[] = [];
    const bids: QuoteLevel[] = [];
    for (let i = 0; i < OPEND_BOOK_LEVELS; i++) {
      asks.push({ price: this.priceOf(this.midTicks + 1 + i), volume: 100 * (1 + this.rng.int(50)), orederCount: 1 + this.rng.int(9) });
      bids.push({ price: this.priceOf(this.midTicks - 1 - i), volume: 100 * (1 + this.rng.int(50)), orederCount: 1 + this.rng.int(9) });
    }
    return { asks, bids };
  }
}
