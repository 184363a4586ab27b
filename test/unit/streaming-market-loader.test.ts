import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import type { ExchangeSettings } from '../../shared/settings';
import { MARKET_CACHE_WRITE_AFTER_MS, MARKET_REFRESH_AFTER_MS, MARKET_REFRESH_RETRY_MS, MarketLoader, type MarketCache } from '../../electron/streaming/market-loader';
import { SessionReport } from '../../electron/streaming/session-report';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import { FakeTime, settle } from './streaming-fake-time';

const settings = { id: 'sim', urls: { ws: 'wss://sim' } } as unknown as ExchangeSettings;

/** Connections answer loadMarkets after `loadMs` of fake time (never when Infinity; a rejection when NaN). */
function setup(loadMs: number, cached?: Record<string, unknown> | null) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const state = { closing: false, connected: false, made: 0 };
  const log = { event: () => undefined, record: (level: string, _s: string, message: string) => void trace.push(`${level}: ${message}`) };
  const report = new SessionReport('sim', log, { error: (cls) => void trace.push(`error ${cls}`) }, () => undefined);
  const create = () => {
    const n = ++state.made;
    const ex = {
      markets: undefined as unknown,
      currencies: undefined as unknown,
      loadMarkets: (reload?: boolean) => {
        trace.push(`load c${n}${reload ? ' (reload)' : ''}`);
        if (Number.isNaN(loadMs)) return Promise.reject(new Error('unreachable'));
        return new Promise((r) => {
          if (Number.isFinite(loadMs))
            time.setTimeout(() => {
              ex.markets = { 'BTC/USDT': n };
              ex.currencies = { BTC: n };
              r(ex.markets);
            }, loadMs);
        });
      },
      setMarkets: (m: unknown) => void trace.push(`set c${n} ${JSON.stringify(m)}`),
      close: async () => void trace.push(`close c${n}`),
    };
    return ex as unknown as StreamExchange;
  };
  // undefined: no cache at all; null: a cache with nothing stored; else what it holds.
  const cache: MarketCache | undefined =
    cached === undefined
      ? undefined
      : {
          read: async () => {
            trace.push('cache read');
            return cached === null ? undefined : { markets: cached, currencies: {}, savedAt: 0 };
          },
          write: async (m) => void trace.push(`cache write ${JSON.stringify(m)}`),
        };
  const loader = new MarketLoader(settings, {
    create,
    close: (ex) => ex.close(),
    closing: () => state.closing,
    connected: () => state.connected,
    loaded: (m) => void trace.push(`loaded ${JSON.stringify(m)}`),
    refreshed: (m) => void trace.push(`refreshed ${JSON.stringify(m)}`),
  }, owner, report, time, cache);
  return { time, owner, trace, state, loader };
}

describe('MarketLoader', () => {
  it('an idle load uses a short-lived connection, and every later connection gets the markets without asking', async () => {
    const { time, trace, loader } = setup(100);
    loader.loadIdle();
    loader.loadIdle(); // one at a time
    await time.advance(100);
    expect(trace).toEqual(['load c1', 'loaded {"BTC/USDT":1}', 'close c1']);
    loader.loadIdle(); // known: nothing to do
    trace.length = 0;
    await loader.newInstance();
    expect(trace).toEqual(['set c2 {"BTC/USDT":1}']);
  });

  it('the first connection loads the markets itself; a failure is counted and the connection kept', async () => {
    const ok = setup(50);
    const p = ok.loader.newInstance();
    await ok.time.advance(50);
    await p;
    expect(ok.trace).toEqual(['load c1', 'loaded {"BTC/USDT":1}']);
    const failing = setup(NaN);
    await failing.loader.newInstance();
    expect(failing.trace).toEqual(['load c1', 'error exchange']);
  });

  it('no idle load while connected or closing; shutdown cuts a hanging load short and closes its connection', async () => {
    const { owner, trace, state, loader } = setup(Infinity);
    state.connected = true;
    loader.loadIdle();
    state.connected = false;
    state.closing = true;
    loader.loadIdle();
    expect(trace).toEqual([]);
    state.closing = false;
    loader.loadIdle();
    await settle();
    owner.dispose();
    await settle();
    expect(trace).toEqual(['load c1', 'close c1']);
  });

  it('an idle load that fails is logged, not counted, and may be tried again', async () => {
    const { trace, loader } = setup(NaN);
    loader.loadIdle();
    await settle();
    loader.loadIdle();
    await settle();
    expect(trace).toEqual(['load c1', 'warn: markets could not be loaded', 'close c1', 'load c2', 'warn: markets could not be loaded', 'close c2']);
  });
  it('a connection made during the idle load waits for it instead of loading again', async () => {
    const { time, trace, loader } = setup(100);
    loader.loadIdle();
    const p = loader.newInstance(['BTC/USDT']);
    await time.advance(100);
    await p;
    // the idle load reads the (absent) cache first, so the new connection is c1 and the idle one c2
    expect(trace).toEqual(['load c2', 'loaded {"BTC/USDT":2}', 'close c2', 'set c1 {"BTC/USDT":2}']);
  });

  it('cached markets holding every symbol start the connection; the exchange is asked later and its list replaces them and is stored', async () => {
    const { time, trace, loader } = setup(100, { 'BTC/USDT': 'cached' });
    loader.loadIdle();
    const ex = await loader.newInstance(['BTC/USDT']);
    expect(ex).toBeDefined();
    expect(trace).toEqual(['cache read', 'info: markets from the cache', 'loaded {"BTC/USDT":"cached"}', 'set c1 {"BTC/USDT":"cached"}']);
    expect(loader.source).toBe('cache');
    trace.length = 0;
    await time.advance(MARKET_REFRESH_AFTER_MS - 1);
    expect(trace).toEqual([]);
    await time.advance(1 + 100);
    expect(trace).toEqual(['load c2', 'loaded {"BTC/USDT":2}', 'refreshed {"BTC/USDT":2}', 'close c2']);
    expect(loader.source).toBe('exchange');
    // stored a little later, off the busy moments of a load
    await time.advance(MARKET_CACHE_WRITE_AFTER_MS - 1);
    expect(trace).toHaveLength(4);
    await time.advance(1);
    expect(trace.slice(4)).toEqual(['cache write {"BTC/USDT":2}']);
  });

  it('cached markets that lack a symbol are not used: the exchange is asked at once, and a later subscribe is covered the same way', async () => {
    const first = setup(50, { 'BTC/USDT': 'cached' });
    const p = first.loader.newInstance(['BTC/USDT', 'NEW/USDT']);
    await first.time.advance(50 + MARKET_CACHE_WRITE_AFTER_MS);
    await p;
    expect(first.trace).toEqual(['cache read', 'info: markets from the cache', 'loaded {"BTC/USDT":"cached"}', 'load c1', 'loaded {"BTC/USDT":1}', 'cache write {"BTC/USDT":1}']);

    const later = setup(50, { 'BTC/USDT': 'cached' });
    const ex = await later.loader.newInstance(['BTC/USDT']);
    later.trace.length = 0;
    await later.loader.cover(ex, ['BTC/USDT']); // held: nothing to do
    expect(later.trace).toEqual([]);
    const c = later.loader.cover(ex, ['NEW/USDT']);
    await later.time.advance(50);
    await c;
    await later.time.advance(MARKET_CACHE_WRITE_AFTER_MS);
    expect(later.trace).toEqual(['load c1 (reload)', 'loaded {"BTC/USDT":1}', 'cache write {"BTC/USDT":1}']);
    // the exchange's list is final: no refresh is left, and cover never asks again
    await later.time.advance(MARKET_REFRESH_AFTER_MS);
    await later.loader.cover(ex, ['OTHER/USDT']);
    expect(later.trace).toHaveLength(3);
  });

  it('an empty cache falls through to the exchange; a failed refresh keeps the cached markets and tries again later', async () => {
    const empty = setup(50, null);
    const p = empty.loader.newInstance(['BTC/USDT']);
    await empty.time.advance(50 + MARKET_CACHE_WRITE_AFTER_MS);
    await p;
    expect(empty.trace).toEqual(['cache read', 'load c1', 'loaded {"BTC/USDT":1}', 'cache write {"BTC/USDT":1}']);

    const failing = setup(NaN, { 'BTC/USDT': 'cached' });
    await failing.loader.newInstance(['BTC/USDT']);
    failing.trace.length = 0;
    await failing.time.advance(MARKET_REFRESH_AFTER_MS);
    expect(failing.trace).toEqual(['load c2', 'warn: markets could not be loaded', 'close c2']);
    expect(failing.loader.source).toBe('cache');
    await failing.time.advance(MARKET_REFRESH_RETRY_MS);
    expect(failing.trace.slice(3)).toEqual(['load c3', 'warn: markets could not be loaded', 'close c3']);
  });

  it('shutdown cancels a pending refresh', async () => {
    const { time, owner, trace, loader } = setup(10, { 'BTC/USDT': 'cached' });
    await loader.newInstance(['BTC/USDT']);
    expect(time.pending).toBe(1);
    owner.dispose();
    await settle();
    expect(time.pending).toBe(0);
    await time.advance(MARKET_REFRESH_AFTER_MS * 2);
    expect(trace.filter((t) => t.startsWith('load c'))).toEqual([]);
  });

  it('known(): the markets once the load in flight (idle or a connection\'s own) is over; nothing when none is known or loading', async () => {
    const idle = setup(100);
    expect(await idle.loader.known()).toBeUndefined();
    idle.loader.loadIdle();
    const fromIdle = idle.loader.known();
    await idle.time.advance(100);
    expect(await fromIdle).toEqual({ markets: { 'BTC/USDT': 1 }, currencies: { BTC: 1 } });

    const own = setup(100);
    const made = own.loader.newInstance(['BTC/USDT']);
    await settle();
    const fromOwn = own.loader.known();
    await own.time.advance(100);
    await made;
    expect(await fromOwn).toEqual({ markets: { 'BTC/USDT': 1 }, currencies: { BTC: 1 } });
    expect(own.trace.filter((t) => t.startsWith('load c'))).toEqual(['load c1']);
  });
});
