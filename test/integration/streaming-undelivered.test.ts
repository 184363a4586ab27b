// One ccxt session (real ccxt, real sockets) against the exchange simulator, its watch
// loop held at its turn wait (the storm brake, turn-yield.ts) while ticker frames keep
// coming and the market then goes quiet: ccxt resolves only a watch already waiting,
// so those frames sit in its cache. The session must still show the last one, and the
// silence check must not call a stream that lost nothing stale.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../shared/contract/status';
import { TICKER_STRIDE, T_ASK, T_BID, T_KEY, T_LAST, type TickBatch } from '../../shared/contract/tick-batch';
import { Owner } from '../../shared/lifecycle/owner';
import { systemScheduler } from '../../shared/lifecycle/timers';
import { ExchangeSettingsSchema } from '../../shared/settings';
import { EventLog } from '../../electron/streaming/event-log';
import { ExchangeSession, TURN_BUDGET_MS } from '../../electron/streaming/exchange-session';
import { TickSink } from '../../electron/streaming/tick-sink';
import { systemTurnClock, TurnYield } from '../../electron/streaming/turn-yield';
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import { until } from '../support/until';
import { fastStreaming } from './service-harness';

/** The process's turn budget, except that while `held` is set every watch loop waits on it after a delivery. */
class HeldTurns extends TurnYield {
  held: Promise<void> | undefined;
  override due(): Promise<void> | undefined {
    return this.held ?? super.due();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STREAM = 'btcusdt@ticker';
const INSTRUMENT = 'sim|BTC/USDT';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function start() {
  const sim = new ExchangeSimulator({ port: 0, seed: 7, ratePerSymbol: 20 });
  await sim.start();
  sim.record(true);
  const owner = new Owner('test-session');
  const batches: TickBatch[] = [];
  const events: ConnectionEvent[] = [];
  const turns = new HeldTurns(TURN_BUDGET_MS, systemTurnClock(() => systemScheduler.now()));
  const session = new ExchangeSession({
    settings: ExchangeSettingsSchema.parse({ id: 'sim', ccxtId: 'binance', simulated: true, urls: { rest: sim.urls.rest, ws: sim.urls.ws } }),
    streaming: fastStreaming(), // staleAfterMs.ticker 1500: asked about over REST at 750 ms of silence
    owner,
    sink: new TickSink((b) => void batches.push(b)),
    log: new EventLog((m) => void (m.type === 'connection-events' && events.push(...m.events))),
    changed: () => undefined,
    turns,
  });
  stop = async () => {
    await session.close();
    owner.dispose();
    await sim.stop();
  };
  /** The ticker rows written for BTC/USDT, oldest first. */
  const rows = () =>
    batches.flatMap((b) => {
      const k = b.keys.indexOf(INSTRUMENT);
      const out: { bid: number; ask: number; last: number }[] = [];
      for (let o = 0; o < b.tickers.length; o += TICKER_STRIDE) if (b.tickers[o + T_KEY] === k) out.push({ bid: b.tickers[o + T_BID]!, ask: b.tickers[o + T_ASK]!, last: b.tickers[o + T_LAST]! });
      return out;
    });
  const lastSent = () => {
    const t = sim.sent(STREAM).at(-1) as { b: string; a: string; c: string };
    return { bid: Number(t.b), ask: Number(t.a), last: Number(t.c) };
  };
  await session.subscribe([{ exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' }]);
  await until(() => rows().length >= 3, 'live tickers', 5000);
  /** Holds the watch loop at its next turn wait; resolves once it waits there, with the release. */
  const hold = async () => {
    let release = () => undefined as void;
    turns.held = new Promise<void>((r) => (release = r));
    const from = rows().length;
    await until(() => rows().length > from, 'the delivery the loop now waits after', 2000);
    return () => {
      turns.held = undefined;
      release();
    };
  };
  const tickerAsks = () => sim.restLog().filter((e) => e.path.startsWith('/api/v3/ticker')).length;
  return { sim, session, events, rows, lastSent, hold, tickerAsks };
}

describe('tickers ccxt cached while no watch waited', () => {
  it('are delivered when the loop watches again: the row shows the last one at once, and the quiet market is not called stale', async () => {
    const { sim, session, events, rows, lastSent, hold, tickerAsks } = await start();
    const release = await hold();
    const held = rows().length;
    const sentBefore = sim.sent(STREAM).length;
    await until(() => sim.sent(STREAM).length >= sentBefore + 3, 'frames sent while the loop waits', 2000);
    sim.setRate(0);
    await sleep(100); // the last frames into ccxt's cache
    expect(rows().length).toBe(held); // nothing delivered while the loop waited
    expect(rows().at(-1)).not.toEqual(lastSent());
    const asks = tickerAsks();
    release();
    // before any silence check could (750 ms): the loop took it from ccxt's cache
    await until(() => rows().length > held || undefined, 'the cached ticker', 500);
    expect(rows().at(-1)).toEqual(lastSent());
    expect(tickerAsks()).toBe(asks);
    await sleep(3000); // twice staleAfterMs.ticker: asked about over REST, quiet
    expect(events.filter((e) => e.kind === 'STALE' || e.kind === 'DISCONNECTED')).toEqual([]);
    expect(rows().at(-1)).toEqual(lastSent());
    const st = session.subscriptionStatuses()[0]!;
    expect(st.state).toBe('live');
    expect(st.quietAt).toBeGreaterThan(st.lastDataAt!);
  }, 20_000);

  it('still cached when the stream falls silent: the silence check takes them before it asks REST, and the stream is quiet, not stale', async () => {
    const { sim, session, events, rows, lastSent, hold } = await start();
    const release = await hold();
    const held = rows().length;
    const sentBefore = sim.sent(STREAM).length;
    await until(() => sim.sent(STREAM).length >= sentBefore + 3, 'frames sent while the loop waits', 2000);
    sim.setRate(0);
    // the loop stays held past the limit: only the silence check can take what ccxt cached
    await until(() => rows().length > held || undefined, 'the cached ticker, taken by the silence check', 2000);
    expect(rows().at(-1)).toEqual(lastSent());
    await sleep(2500); // past the limit and the grace a "missed" answer gets
    expect(events.filter((e) => e.kind === 'STALE' || e.kind === 'DISCONNECTED')).toEqual([]);
    release();
    await sleep(200);
    expect(rows().at(-1)).toEqual(lastSent());
    const st = session.subscriptionStatuses()[0]!;
    expect(st.state).toBe('live');
    expect(st.quietAt).toBeGreaterThan(st.lastDataAt!);
  }, 20_000);
});
