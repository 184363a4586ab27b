import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import type { ExchangeSettings } from '../../shared/settings';
import { MarketLoader } from '../../electron/streaming/market-loader';
import { SessionReport } from '../../electron/streaming/session-report';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import { FakeTime, settle } from './streaming-fake-time';

const settings = { id: 'sim', urls: { ws: 'wss://sim' } } as unknown as ExchangeSettings;

/** Connections answer loadMarkets after `loadMs` of fake time (never when Infinity; a rejection when NaN). */
function setup(loadMs: number) {
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
      loadMarkets: () => {
        trace.push(`load c${n}`);
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
  const loader = new MarketLoader(settings, {
    create,
    close: (ex) => ex.close(),
    closing: () => state.closing,
    connected: () => state.connected,
    loaded: (m) => void trace.push(`loaded ${JSON.stringify(m)}`),
  }, owner, report);
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
});
