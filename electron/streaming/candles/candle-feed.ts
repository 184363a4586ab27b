// One candle series kept live for its consumers: history from REST (paginated),
// then the last candle from the exchange's kline stream where ccxt has one, else
// built from the trade stream (1s always from trades). When the stream fails
// (ccxt rejects the pending watch on a dropped socket) the feed says so, waits,
// fetches the last candles again, replaces them and reports how many changed,
// then watches again (the next watch dials the exchange again). A live series silent
// for `askAfterMs` asks REST whether its market is only quiet (candle-check.ts); one
// whose stream missed candles is redialled, which takes the same repair path. Before
// it asks, the series takes what the stream left in ccxt's cache without a watch
// waiting (ccxt resolves only a watch already pending; the rest waits for the stream's
// next message, which a market that has just gone quiet never sends).
import { candleKeyId, candleOpen, REPAIR_CANDLES, TIMEFRAMES, type Candle, type CandleKey, type CandleMessage, type CandleState } from '../../../shared/contract/candles';
import { errorMessage } from '../../../shared/error-message';
import type { Owner } from '../../../shared/lifecycle/owner';
import { sleep, type Scheduler } from '../../../shared/lifecycle/timers';
import { CandleSilenceCheck, CHECK_CANDLES } from './candle-check';
import { CandleSeries, identicalCandle } from './candle-series';
import { TradeCandles } from './trade-candles';

/** ccxt's OHLCV row: [open time, open, high, low, close, volume]. */
type OhlcvRow = readonly (number | undefined)[];

/** The part of a ccxt (pro) exchange the feed uses. */
export interface OhlcvSource {
  has: Record<string, unknown>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<OhlcvRow[]>;
  watchOHLCV(symbol: string, timeframe: string): Promise<OhlcvRow[]>;
  watchTrades(symbol: string): Promise<Array<{ price: number; amount: number; timestamp: number }>>;
  /** Closes the sockets that carry `symbol`'s streams with `why` (rejecting their watches), if the source can. */
  redial?(symbol: string, why: Error): void;
  /**
   * The kline stream's candles that came while no watch was waiting, oldest first:
   * ccxt keeps them in its cache and hands them over only with the stream's next
   * message (undefined: none, or the source cannot tell).
   */
  undeliveredOHLCV?(symbol: string, timeframe: string): readonly OhlcvRow[] | undefined;
}

export interface CandleFeedOptions {
  /** Candles loaded on open (≤ the series bound). */
  history: number;
  /** Candles fetched again after the stream failed. */
  repair: number;
  /** Candles per REST call (Binance spot: 1000). */
  pageSize: number;
  /** Wait after a stream failure before fetching and watching again. */
  retryMs: number;
  /** A live series silent this long asks REST whether its market is quiet; undefined: never asks. */
  askAfterMs?: number;
}

export const DEFAULT_FEED_OPTIONS: CandleFeedOptions = { history: 1000, repair: REPAIR_CANDLES, pageSize: 1000, retryMs: 1000 };

export interface FeedOutput {
  /** History, repairs and state changes: sent at once (rare). */
  send(m: CandleMessage): void;
  /** The last candle changed: coalesced by the caller. */
  touched(feed: CandleFeed): void;
}

function toCandle(r: OhlcvRow): Candle | undefined {
  const [t, o, h, l, c, v] = r;
  if (t === undefined || o === undefined || h === undefined || l === undefined || c === undefined) return undefined;
  const k = { t, o, h, l, c, v: v ?? 0 };
  // The same rules the receiver's schema applies, so one bad row cannot void a whole history.
  const sane = [t, o, h, l, c, k.v].every(Number.isFinite) && l > 0 && k.v >= 0 && t >= 0 && h >= Math.max(o, c) && l <= Math.min(o, c);
  return sane ? k : undefined;
}

/** Rows → candles, oldest first, strictly increasing, malformed rows dropped. */
export function toCandles(rows: readonly OhlcvRow[], ms: number): Candle[] {
  const out: Candle[] = [];
  for (const r of rows) {
    const k = toCandle(r);
    if (!k || k.t % ms !== 0) continue;
    const last = out[out.length - 1];
    if (last && k.t <= last.t) continue;
    out.push(k);
  }
  return out;
}

/** The last `count` candles up to `until`, in pages of `pageSize` (ccxt caps one call). */
export async function fetchCandles(source: OhlcvSource, key: CandleKey, count: number, pageSize: number, until: number, signal: AbortSignal): Promise<Candle[]> {
  const ms = TIMEFRAMES[key.timeframe];
  let since = until - (until % ms) - (count - 1) * ms;
  const out: Candle[] = [];
  while (out.length < count && since <= until && !signal.aborted) {
    const want = Math.min(pageSize, count - out.length);
    const page = toCandles(await source.fetchOHLCV(key.symbol, key.timeframe, since, want), ms);
    const fresh = page.filter((k) => k.t >= since);
    out.push(...fresh);
    // A short page is the end of what the exchange has (an interval without trades has no candle).
    if (page.length < want || fresh.length === 0) break;
    since = fresh[fresh.length - 1]!.t + ms;
  }
  return out.slice(-count);
}

export class CandleFeed {
  readonly id: string;
  readonly series: CandleSeries;
  private readonly builder: TradeCandles | undefined;
  state: CandleState = 'loading';
  receivedAt = 0;
  /** Asks REST about a silent live series (options.askAfterMs), or undefined. */
  private readonly silence: CandleSilenceCheck | undefined;
  /** Open time of the last candle sent as an update (or in a history). */
  private sentT = 0;
  /** Repairs made since the feed started (for status and tests). */
  repairs = 0;
  /**
   * Candles the stream may have missed the end of, from the candle open when history
   * was fetched (settleFrom) to settleUntil. Built from trades: up to the one holding
   * the stream's first trade (they miss the trades made before the stream began; on a
   * slow machine that spans more than one candle). From a kline stream: up to the one
   * before the stream's first candle, when that is a later one (a new subscription gets
   * the forming candle only, never the final update of one that closed before it; each
   * event holds its whole candle, so the first one itself is complete). Once the last
   * of them has closed, they are fetched again (REST is whole for closed candles) and
   * replaced.
   */
  private settleFrom: number | undefined;
  private settleUntil: number | undefined;

  constructor(
    readonly key: CandleKey,
    private readonly source: OhlcvSource,
    private readonly owner: Owner,
    private readonly out: FeedOutput,
    private readonly scheduler: Scheduler,
    private readonly clock: () => number,
    private readonly options: CandleFeedOptions = DEFAULT_FEED_OPTIONS,
  ) {
    this.id = candleKeyId(key);
    this.series = new CandleSeries();
    // 1s from trades always; other timeframes from trades only without a kline stream.
    this.builder = key.timeframe === '1s' || !source.has.watchOHLCV ? new TradeCandles(key.timeframe, this.series) : undefined;
    const ask = options.askAfterMs;
    this.silence =
      ask === undefined
        ? undefined
        : new CandleSilenceCheck(
            {
              live: () => this.state === 'live',
              receivedAt: () => this.receivedAt,
              held: (t) => this.series.at(t),
              catchUp: () => this.catchUp(),
              fetchLast: (signal) => fetchCandles(this.source, this.key, CHECK_CANDLES, this.options.pageSize, this.clock(), signal),
              quiet: (at) => this.out.send({ type: 'candle-state', key: this.key, state: 'live', quietAt: at }),
              redial: (why) => this.source.redial?.(this.key.symbol, new Error(`the ${this.builder ? 'trade' : 'kline'} stream ${why}`)),
            },
            ask,
            owner,
            scheduler,
            clock,
          );
  }

  /** When REST last vouched for the silent series (0: never). */
  get quietAt(): number {
    return this.silence?.quietAt ?? 0;
  }

  start(): void {
    void this.owner.run('candle-feed', (signal) => this.run(signal));
  }

  /** The whole series as a message (on open, and for a late consumer). */
  history(repaired?: number, error?: string): CandleMessage {
    this.sentT = this.series.last()?.t ?? 0;
    return {
      type: 'candle-history',
      key: this.key,
      // Copies: the live candle keeps changing after the message is handed over.
      candles: this.series.snapshot().map((k) => ({ ...k })),
      state: this.state,
      receivedAt: this.receivedAt,
      ...(this.quietAt > this.receivedAt ? { quietAt: this.quietAt } : {}),
      ...(repaired !== undefined ? { repaired } : {}),
      ...(error !== undefined ? { error: error.slice(0, 500) } : {}),
    };
  }

  /**
   * The candles changed since the last flush, oldest first: the live last candle and,
   * when new candles opened meanwhile, the final state of those before it (a closed
   * candle's last trades must not be lost to coalescing).
   */
  updates(): CandleMessage[] {
    const s = this.series;
    const out: CandleMessage[] = [];
    for (let i = s.length - 1; i >= 0 && s.nth(i)!.t >= this.sentT; i--) {
      out.push({ type: 'candle-update', key: this.key, candle: { ...s.nth(i)! }, receivedAt: this.receivedAt });
    }
    const last = s.last();
    if (last) this.sentT = last.t;
    return out.reverse();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let repairing = false;
    while (!signal.aborted) {
      try {
        const count = repairing ? this.options.repair : this.options.history;
        const fetched = await fetchCandles(this.source, this.key, count, this.options.pageSize, this.clock(), signal);
        if (signal.aborted) return;
        const replaced = this.series.merge(fetched);
        this.settleFrom = this.series.last()?.t ?? candleOpen(this.clock(), this.key.timeframe);
        // every candle before the one forming at the fetch came closed, whole
        this.builder?.restWholeBefore(this.settleFrom);
        this.settleUntil = undefined;
        this.receivedAt = this.clock();
        this.state = 'live';
        if (repairing) this.repairs++;
        this.out.send(this.history(repairing ? replaced : undefined));
        this.silence?.arm();
        await this.watch(signal);
      } catch (e) {
        if (signal.aborted) return;
        this.state = 'reconnecting';
        this.out.send({ type: 'candle-state', key: this.key, state: this.state, error: errorMessage(e).slice(0, 500) });
        repairing = this.series.length > 0;
        await sleep(this.scheduler, this.options.retryMs, signal).catch(() => undefined);
      }
    }
  }

  /** Replaces the candles from `from` to `until` (closed by now) with the exchange's own. */
  private async settle(from: number, until: number, signal: AbortSignal): Promise<void> {
    this.settleFrom = this.settleUntil = undefined;
    const ms = TIMEFRAMES[this.key.timeframe];
    const now = this.clock();
    const count = Math.min(this.options.repair, Math.max(3, Math.floor((now - from) / ms) + 1));
    const fetched = await fetchCandles(this.source, this.key, count, this.options.pageSize, now, signal);
    if (signal.aborted) return;
    const closed = fetched.filter((k) => k.t >= from && k.t <= until);
    this.builder?.restWholeBefore(until + ms);
    if (this.series.merge(closed) > 0) this.out.send(this.history());
  }

  /** Candles from the kline stream into the series; returns how many changed it. */
  private takeRows(rows: readonly OhlcvRow[]): number {
    const ms = TIMEFRAMES[this.key.timeframe];
    let changed = 0;
    for (const r of rows) {
      const k = toCandle(r);
      if (!k || k.t % ms !== 0) continue;
      if (this.settleFrom !== undefined && this.settleUntil === undefined) {
        // the stream's first candle: the same one as history's last needs nothing settled
        if (k.t > this.settleFrom) this.settleUntil = k.t - ms;
        else this.settleFrom = undefined;
      }
      const held = this.series.at(k.t);
      if (held && identicalCandle(held, k)) continue;
      this.series.upsert(k);
      changed++;
    }
    return changed;
  }

  /**
   * Takes the kline stream's candles that no watch has returned yet
   * (OhlcvSource.undeliveredOHLCV) and sends what they changed. A series built from
   * trades has none to take.
   */
  private catchUp(): void {
    if (this.builder) return;
    const rows = this.source.undeliveredOHLCV?.(this.key.symbol, this.key.timeframe);
    if (rows && this.takeRows(rows) > 0) this.out.touched(this);
  }

  private async watch(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.builder) {
        const trades = await this.source.watchTrades(this.key.symbol);
        const first = trades[0];
        if (this.settleFrom !== undefined && this.settleUntil === undefined && first) this.settleUntil = Math.max(this.settleFrom, candleOpen(first.timestamp, this.key.timeframe));
        for (const t of trades) this.builder.add(t.price, t.amount, t.timestamp);
      } else {
        this.takeRows(await this.source.watchOHLCV(this.key.symbol, this.key.timeframe));
      }
      if (this.settleFrom !== undefined && this.settleUntil !== undefined && (this.series.last()?.t ?? 0) > this.settleUntil) await this.settle(this.settleFrom, this.settleUntil, signal);
      if (signal.aborted) return;
      this.receivedAt = this.clock();
      this.out.touched(this);
    }
  }
}
