// An exchange's markets, loaded once and kept: every new connection (activation,
// rotation) gets them without asking the exchange again, and an idle session can
// load them on a short-lived connection so the symbol search lists its markets.
// A connection made while that idle load is running waits for it instead of
// asking again: at start-up the search's load and the first subscribe's come
// within a few ms of each other, and two loads of every market (a request and
// ~250 ms of parsing each for 500 markets) were on the path to the first tick.
// With a market cache (market-cache.ts) the first markets come from the disk: a
// connection uses them if they hold every symbol it starts with, and the exchange's
// own list is loaded MARKET_REFRESH_AFTER_MS later, off the path to the first tick,
// then replaces them everywhere and is stored for the next start. A symbol the
// cached list lacks is never refused on its word: the exchange is asked first.
import { errorMessage } from '../../shared/error-message';
import type { Owner, Registration } from '../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../shared/lifecycle/timers';
import type { ExchangeSettings } from '../../shared/settings';
import { ABORTED, AbortableWait } from './abortable-wait';
import { prepareExchange, type StreamExchange } from './instrumented-exchange';
import type { CachedMarkets } from './market-cache';
import type { KnownMarkets } from './adapters/adapter';
import type { SessionReport } from './session-report';

/** How long after start-up cached markets are checked against the exchange's own list. */
export const MARKET_REFRESH_AFTER_MS = 10_000;
/** After a failed check, the next one. */
export const MARKET_REFRESH_RETRY_MS = 60_000;
/**
 * Markets loaded from the exchange are stored this much later: serializing them
 * (~1 MB for 500 markets, ~10 MB for Binance's) is not work for the moments
 * around the first tick.
 */
export const MARKET_CACHE_WRITE_AFTER_MS = 3_000;

export interface MarketLoaderHost {
  /** A new, unprepared connection (not yet dialled). */
  create(): StreamExchange;
  /** Closes a connection, bounded; never throws. */
  close(ex: StreamExchange): Promise<void>;
  closing(): boolean;
  /** The session has a connection (which loads the markets itself). */
  connected(): boolean;
  /** Markets to list (from the cache, then from the exchange), with ccxt's currencies. */
  loaded(markets: unknown, currencies: unknown): void;
  /** The exchange's list replaced cached markets: the session's connection takes them too. */
  refreshed(markets: unknown, currencies: unknown): void;
}

/** Where the markets of the last start are kept (market-cache.ts's MarketCacheFile). */
export interface MarketCache {
  read(): Promise<CachedMarkets | undefined>;
  write(markets: unknown, currencies: unknown): Promise<void>;
}

interface Known extends KnownMarkets {
  from: 'cache' | 'exchange';
}

export class MarketLoader {
  private markets: Known | undefined;
  /** A load in flight (the idle one, or a connection's own): newInstance and known() wait for it. */
  private loading: Promise<void> | undefined;
  private cacheRead = false;
  private refreshTimer: Registration | undefined;
  private writeTimer: Registration | undefined;

  constructor(
    private readonly settings: ExchangeSettings,
    private readonly host: MarketLoaderHost,
    private readonly owner: Owner,
    private readonly report: SessionReport,
    private readonly scheduler: Scheduler,
    private readonly cache?: MarketCache,
  ) {}

  /** The markets once the first load in flight is over; undefined if none is known or loading. */
  async known(): Promise<KnownMarkets | undefined> {
    if (!this.markets && this.loading) await this.loading;
    const m = this.markets;
    return m && { markets: m.markets, currencies: m.currencies };
  }

  /** Where the markets in use came from (undefined: none yet). */
  get source(): 'cache' | 'exchange' | undefined {
    return this.markets?.from;
  }

  /**
   * Loads the markets (from the cache, else on a short-lived connection) as a task
   * of the owner (its signal cuts the wait short at shutdown), unless they are
   * known or loading.
   */
  loadIdle(): void {
    if (this.host.closing() || this.markets || this.host.connected() || this.loading) return;
    const done = this.beginLoad();
    void this.owner.run('load-markets', async (signal) => {
      try {
        if (await this.fromCache()) return;
        await this.loadOnce(signal, (ex) => {
          if (!this.host.closing() && !this.markets) this.remember(ex);
          done(); // as soon as the markets are known: a waiting connection need not wait for the close too
        });
      } finally {
        done();
      }
    });
  }

  /**
   * A prepared connection with the markets set: the known ones, those of the first
   * load in flight once it is over, the cached ones if they hold every one of
   * `symbols`, or loaded now from the exchange (also when the idle load failed).
   */
  async newInstance(symbols: readonly string[] = []): Promise<StreamExchange> {
    const ex = this.host.create();
    await prepareExchange(ex, this.settings);
    if (!this.markets && this.loading) await this.loading;
    if (!this.markets) await this.fromCache();
    const known = this.markets;
    if (known && (known.from === 'exchange' || holds(known.markets, symbols))) {
      ex.setMarkets(known.markets as never, known.currencies as never);
      return ex;
    }
    // In flight for known() too (a candle instance waits for it rather than loading its own).
    const done = this.loading ? () => undefined : this.beginLoad();
    try {
      await ex.loadMarkets();
      this.remember(ex);
    } catch (e) {
      // The watch loops load markets themselves and go through the reconnect path.
      this.report.countError(e);
    } finally {
      done();
    }
    return ex;
  }

  /** Marks a load in flight; the returned function ends it (idempotent). */
  private beginLoad(): () => void {
    let settled!: () => void;
    const loading = (this.loading = new Promise<void>((resolve) => (settled = resolve)));
    return () => {
      if (this.loading === loading) this.loading = undefined;
      settled();
    };
  }

  /**
   * Before `ex` (the session's connection) watches `symbols`: if its markets are
   * the cached ones and lack one of them, the exchange's list is loaded on it first.
   */
  async cover(ex: StreamExchange, symbols: readonly string[]): Promise<void> {
    const known = this.markets;
    if (!known || known.from !== 'cache' || holds(known.markets, symbols)) return;
    try {
      await ex.loadMarkets(true);
      this.remember(ex);
    } catch (e) {
      this.report.countError(e);
    }
  }

  /** Takes the cached markets if there are any and nothing better came meanwhile. */
  private async fromCache(): Promise<boolean> {
    if (!this.cache || this.cacheRead) return false;
    this.cacheRead = true;
    const cached = await this.cache.read();
    if (!cached || this.markets || this.host.closing()) return false;
    this.markets = { markets: cached.markets, currencies: cached.currencies, from: 'cache' };
    this.report.record('info', 'markets', 'markets from the cache', { markets: Object.keys(cached.markets).length, savedAt: new Date(cached.savedAt).toISOString() });
    this.host.loaded(cached.markets, cached.currencies);
    this.scheduleRefresh(MARKET_REFRESH_AFTER_MS);
    return true;
  }

  private scheduleRefresh(ms: number): void {
    this.refreshTimer?.dispose();
    if (this.owner.isDisposed) return;
    this.refreshTimer = ownedTimeout(this.scheduler, this.owner, () => {
      this.refreshTimer = undefined;
      this.refresh();
    }, ms, 'market-refresh');
  }

  /** The exchange's own list, on a short-lived connection, replacing the cached one. */
  private refresh(): void {
    if (this.host.closing() || this.owner.isDisposed || this.markets?.from !== 'cache') return;
    void this.owner.run('load-markets', async (signal) => {
      const ok = await this.loadOnce(signal, (ex) => {
        if (this.host.closing() || this.markets?.from !== 'cache') return;
        this.remember(ex);
        this.host.refreshed(ex.markets, ex.currencies);
      });
      if (!ok && !signal.aborted && !this.host.closing()) this.scheduleRefresh(MARKET_REFRESH_RETRY_MS);
    });
  }

  /** loadMarkets on a connection of its own, closed after; `use` gets it when loaded. False if it failed. */
  private async loadOnce(signal: AbortSignal, use: (ex: StreamExchange) => void): Promise<boolean> {
    const ex = this.host.create();
    try {
      await prepareExchange(ex, this.settings);
      const loaded = await new AbortableWait(signal).wait(ex.loadMarkets());
      if (loaded !== ABORTED) use(ex);
      return true;
    } catch (e) {
      this.report.record('warn', 'markets', 'markets could not be loaded', { error: errorMessage(e) });
      return false;
    } finally {
      await this.host.close(ex);
    }
  }

  private remember(ex: StreamExchange): void {
    this.markets = { markets: ex.markets, currencies: ex.currencies, from: 'exchange' };
    this.refreshTimer?.dispose();
    this.refreshTimer = undefined;
    this.host.loaded(ex.markets, ex.currencies);
    const cache = this.cache;
    if (!cache || this.owner.isDisposed) return;
    const { markets, currencies } = ex;
    this.writeTimer?.dispose();
    this.writeTimer = ownedTimeout(this.scheduler, this.owner, () => {
      this.writeTimer = undefined;
      void this.owner.run('write-market-cache', () => cache.write(markets, currencies));
    }, MARKET_CACHE_WRITE_AFTER_MS, 'market-cache-write');
  }
}

function holds(markets: unknown, symbols: readonly string[]): boolean {
  const m = markets as Record<string, unknown>;
  for (const s of symbols) if (!Object.hasOwn(m, s)) return false;
  return true;
}
