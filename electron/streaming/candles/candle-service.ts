// The candle series charts have open, reference-counted by consumer: a series
// starts with its first consumer and stops with its last. Live last-candle
// changes are coalesced: each series sends at most one update per flush period
// (one frame), however many trades or kline events arrived in it. A change after a
// quiet period goes out at the end of its own turn, with no timer: an idle chart's
// kline stream (4 events/s) would otherwise wake the process once more per event.
import { candleKeyId, type CandleKey, type CandleMessage } from '../../../shared/contract/candles';
import type { Owner, Registration } from '../../../shared/lifecycle/owner';
import { nextTurn, ownedTimeout, type Scheduler } from '../../../shared/lifecycle/timers';
import { CandleFeed, DEFAULT_FEED_OPTIONS, type CandleFeedOptions, type OhlcvSource } from './candle-feed';

/** One frame at 60 Hz. */
export const CANDLE_FLUSH_MS = 16;

interface Open {
  feed: CandleFeed;
  owner: Owner;
  consumers: Set<string>;
}

export interface CandleServiceDeps {
  owner: Owner;
  scheduler: Scheduler;
  clock: () => number;
  /** The exchange's ccxt instance, or undefined if the exchange is unknown/disabled. */
  sourceFor: (exchange: string) => OhlcvSource | undefined;
  post: (m: CandleMessage) => void;
  options?: CandleFeedOptions;
  flushMs?: number;
  /** Runs fn at the end of this event-loop turn (the streaming service: as the turn's tick batch leaves; tests: on fake time); returns its cancel function. */
  nextTurn?: (fn: () => void) => () => void;
}

export class CandleService {
  private readonly open = new Map<string, Open>();
  private readonly dirty = new Set<CandleFeed>();
  private flushTimer: Registration | undefined;
  private lastFlushAt = -Infinity;

  constructor(private readonly deps: CandleServiceDeps) {}

  /** Series currently open and their consumers (for status and tests). */
  consumers(): Record<string, string[]> {
    return Object.fromEntries([...this.open].map(([id, o]) => [id, [...o.consumers]]));
  }

  feed(key: CandleKey): CandleFeed | undefined {
    return this.open.get(candleKeyId(key))?.feed;
  }

  /** A consumer opens a series; a second consumer of a running series gets its history at once. Returns false if the exchange is unknown. */
  openFor(key: CandleKey, consumer: string): boolean {
    const id = candleKeyId(key);
    const existing = this.open.get(id);
    if (existing) {
      existing.consumers.add(consumer);
      if (existing.feed.state !== 'loading') this.deps.post(existing.feed.history());
      return true;
    }
    const source = this.deps.sourceFor(key.exchange);
    if (!source) return false;
    const owner = this.deps.owner.child(`candles ${id}`);
    const feed = new CandleFeed(
      key,
      source,
      owner,
      { send: (m) => this.deps.post(m), touched: (f) => this.touched(f) },
      this.deps.scheduler,
      this.deps.clock,
      this.deps.options ?? DEFAULT_FEED_OPTIONS,
    );
    this.open.set(id, { feed, owner, consumers: new Set([consumer]) });
    feed.start();
    return true;
  }

  /** A consumer closes a series; the last one stops it. */
  closeFor(key: CandleKey, consumer: string): void {
    const id = candleKeyId(key);
    const o = this.open.get(id);
    if (!o || !o.consumers.delete(consumer) || o.consumers.size > 0) return;
    this.open.delete(id);
    this.dirty.delete(o.feed);
    o.owner.dispose();
  }

  private touched(feed: CandleFeed): void {
    this.dirty.add(feed);
    if (this.flushTimer || this.deps.owner.isDisposed) return;
    const wait = this.lastFlushAt + (this.deps.flushMs ?? CANDLE_FLUSH_MS) - this.deps.scheduler.now();
    if (wait > 0) {
      this.flushTimer = ownedTimeout(this.deps.scheduler, this.deps.owner, () => this.flush(), wait, 'candle-flush');
      return;
    }
    let cancel: () => void = () => undefined;
    this.flushTimer = this.deps.owner.add('candle-flush', () => cancel());
    const reg = this.flushTimer;
    cancel = (this.deps.nextTurn ?? nextTurn)(() => {
      reg.release();
      this.flush();
    });
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlushAt = this.deps.scheduler.now();
    for (const feed of this.dirty) for (const m of feed.updates()) this.deps.post(m);
    this.dirty.clear();
  }
}
