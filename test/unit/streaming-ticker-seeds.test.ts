import { describe, expect, it } from 'vitest';
import type { Ticker } from 'ccxt';
import { Owner } from '../../shared/lifecycle/owner';
import { TICKER_SEED_AFTER_MS, TickerSeeds } from '../../electron/streaming/ticker-seeds';
import { RestLane } from '../../electron/streaming/rest-lane';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime, settle } from './streaming-fake-time';

function setup(symbols: string[], answer?: (symbols: string[]) => Promise<Record<string, unknown>>) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const log = { event: () => undefined, record: () => undefined };
  const report = new SessionReport('sim', log, { error: (cls, m) => void trace.push(`error ${cls}: ${m}`) }, () => undefined);
  const rows = { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 };
  const subs = symbols.map((symbol) => createSubscription({ exchange: 'sim', symbol, channel: 'ticker' }, owner, rows, time.now(), 0));
  const reply = answer ?? (async (ss: string[]) => Object.fromEntries(ss.map((s) => [s, { symbol: s, last: 1 }])));
  const ex = {
    has: { fetchTickers: true },
    fetchTickers: (ss: string[]) => {
      trace.push(`fetchTickers ${ss.join(' ')}`);
      return reply(ss);
    },
    fetchTicker: async (s: string) => {
      trace.push(`fetchTicker ${s}`);
      return (await reply([s]))[s];
    },
  } as unknown as StreamExchange;
  const seeds = new TickerSeeds({
    exchange: () => ex,
    scheduler: time,
    restLane: new RestLane(2),
    report,
    owner,
    seeded: (sub: { key: { symbol: string } }, t: Ticker) => void trace.push(`seeded ${sub.key.symbol} ${t.symbol}`),
  } as never);
  return { time, trace, subs, seeds, owner };
}

describe('TickerSeeds', () => {
  it('confirmed rows still without data after TICKER_SEED_AFTER_MS are read in one request; a row that got its ticker is not', async () => {
    const { time, trace, subs, seeds } = setup(['A/USDT', 'B/USDT', 'C/USDT']);
    const [a, b, c] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]];
    for (const s of subs) seeds.confirmed(s);
    seeds.confirmed(a); // confirmed twice: waits once
    await time.advance(TICKER_SEED_AFTER_MS - 1);
    expect(trace).toEqual([]);
    b.lastDataAt = time.now(); // its stream delivered
    await time.advance(1);
    expect(trace).toEqual(['fetchTickers A/USDT C/USDT', 'seeded A/USDT A/USDT', 'seeded C/USDT C/USDT']);
    expect(c.state).toBe('subscribing'); // the session's seeded() decides the state
  });

  it('a row whose stream delivers while REST is asked keeps its own data; a single row is read alone', async () => {
    let answer: (v: Record<string, unknown>) => void = () => undefined;
    const { time, trace, subs, seeds } = setup(['A/USDT'], () => new Promise((r) => (answer = r)));
    const [a] = subs as [(typeof subs)[0]];
    seeds.confirmed(a);
    await time.advance(TICKER_SEED_AFTER_MS);
    expect(trace).toEqual(['fetchTicker A/USDT']);
    a.lastDataAt = time.now();
    answer({ 'A/USDT': { symbol: 'A/USDT', last: 1 } });
    await settle();
    expect(trace).toEqual(['fetchTicker A/USDT']);
  });

  it('a live row, an ended one, or a failed request: nothing seeded, the failure counted', async () => {
    const { time, trace, subs, seeds } = setup(['A/USDT', 'B/USDT', 'C/USDT'], () => Promise.reject(new Error('down')));
    const [a, b, c] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]];
    a.state = 'live';
    seeds.confirmed(a);
    seeds.confirmed(b);
    seeds.confirmed(c);
    c.owner.dispose();
    await time.advance(TICKER_SEED_AFTER_MS);
    expect(trace).toEqual(['fetchTicker B/USDT', 'error exchange: down']);
  });

  it('a row confirmed again (a reconnect) waits from the new confirmation, with the data it has then', async () => {
    const { time, trace, subs, seeds } = setup(['A/USDT', 'B/USDT']);
    const [a, b] = subs as [(typeof subs)[0], (typeof subs)[0]];
    seeds.confirmed(a);
    seeds.confirmed(b);
    await time.advance(600);
    a.lastDataAt = time.now(); // data, then the socket dropped
    a.state = 'reconnecting';
    seeds.confirmed(a);
    await time.advance(TICKER_SEED_AFTER_MS - 600);
    expect(trace).toEqual(['fetchTicker B/USDT', 'seeded B/USDT B/USDT']);
    await time.advance(599);
    expect(trace).toHaveLength(2);
    await time.advance(1);
    expect(trace.slice(2)).toEqual(['fetchTicker A/USDT', 'seeded A/USDT A/USDT']);
  });

  it('the session ending first cancels the timer: no request', async () => {
    const { time, trace, subs, seeds, owner } = setup(['A/USDT']);
    seeds.confirmed(subs[0]!);
    owner.dispose();
    await time.advance(TICKER_SEED_AFTER_MS * 2);
    expect(trace).toEqual([]);
    expect(time.pending).toBe(0);
  });

  it('an unsubscribed row waits no more; the last one takes the timer with it, and the others keep theirs', async () => {
    const { time, trace, subs, seeds, owner } = setup(['A/USDT', 'B/USDT']);
    seeds.confirmed(subs[0]!);
    seeds.confirmed(subs[1]!);
    seeds.forget(subs[0]!);
    expect(owner.counts()).toEqual({ 'ticker-seed': 1 });
    await time.advance(TICKER_SEED_AFTER_MS);
    expect(trace).toEqual(['fetchTicker B/USDT', 'seeded B/USDT B/USDT']);
    seeds.confirmed(subs[0]!);
    seeds.forget(subs[0]!);
    expect(owner.counts()).toEqual({});
    expect(time.pending).toBe(0);
    await time.advance(TICKER_SEED_AFTER_MS * 2);
    expect(trace).toHaveLength(2);
  });
});
