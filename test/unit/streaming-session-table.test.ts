// The subscription table ExchangeSession and BrokerSession share: ops run one after
// another, new subscriptions write to the session's sink, and status() names the
// state from the session's facts, the gate and the outage record.
import { describe, expect, it } from 'vitest';
import { SessionTable, type ConnectionFacts } from '../../electron/streaming/adapters/session-table';
import { OutageTracker } from '../../electron/streaming/outage-tracker';
import { ReconnectGate } from '../../electron/streaming/reconnect-gate';
import { SessionStats } from '../../electron/streaming/session-stats';
import { TickSink } from '../../electron/streaming/tick-sink';
import { Owner } from '../../shared/lifecycle/owner';
import type { SubscriptionKey } from '../../shared/market';
import { FakeTime } from './streaming-fake-time';

const BTC_TICKER: SubscriptionKey = { exchange: 'binance', symbol: 'BTC/USDT', channel: 'ticker' };
const BTC_BOOK: SubscriptionKey = { exchange: 'binance', symbol: 'BTC/USDT', channel: 'book' };
const ETH_TRADES: SubscriptionKey = { exchange: 'binance', symbol: 'ETH/USDT', channel: 'trades' };

function table() {
  const time = new FakeTime();
  const stats = new SessionStats(time);
  const subs = new SessionTable('binance', new TickSink(() => undefined), stats, 7, time);
  const gate = new ReconnectGate({ baseMs: 100, capMs: 1000, factor: 2, jitter: 0 }, time, { connecting: () => undefined, reconnecting: () => undefined, changed: () => undefined }, () => 0);
  const outages = new OutageTracker('binance', time, () => undefined);
  return { time, stats, subs, gate, outages, owner: new Owner('active') };
}

const running: ConnectionFacts = { closing: false, active: true, mode: 'live', sockets: 1, connections: 1 };

describe('SessionTable', () => {
  it('runs queued ops one after another, and a failed op does not stop the queue', async () => {
    const { subs } = table();
    const trace: string[] = [];
    let release!: () => void;
    const first = subs.enqueue(() => new Promise<void>((r) => (release = r)).then(() => void trace.push('first')));
    const failing = subs.enqueue(async () => {
      trace.push('second');
      throw new Error('boom');
    });
    const third = subs.enqueue(async () => void trace.push('third'));
    await Promise.resolve();
    expect(trace).toEqual([]); // the second waits for the first
    release();
    await first;
    await expect(failing).rejects.toThrow('boom');
    await third;
    expect(trace).toEqual(['first', 'second', 'third']);
  });

  it('opens subscriptions writing to the session sink and rings, armed now under the epoch given', () => {
    const { subs, stats, owner, time } = table();
    expect(subs.fresh([BTC_TICKER, BTC_BOOK])).toEqual([BTC_TICKER, BTC_BOOK]);
    const sub = subs.open(BTC_TICKER, owner, 3);
    expect(subs.get(sub.id)).toBe(sub);
    expect(subs.fresh([BTC_TICKER, BTC_BOOK])).toEqual([BTC_BOOK]);
    expect(sub.target.exchangeLatency).toBe(stats.exchangeLatency);
    expect(sub.target.processingLatency).toBe(stats.processingLatency);
    expect(sub.target.bookDepth).toBe(7);
    expect([sub.armedAt, sub.epoch, sub.state]).toEqual([time.now(), 3, 'subscribing']);
    expect(owner.counts()).toEqual({}); // its owner is a child of the one given, not a registration
    expect(sub.owner.name).toBe(`active/${sub.id}`);
  });

  it('takes out the subscriptions of the keys given, in their order, skipping unknown ones', () => {
    const { subs, owner } = table();
    const ticker = subs.open(BTC_TICKER, owner, 0);
    const trades = subs.open(ETH_TRADES, owner, 0);
    expect(subs.take([ETH_TRADES, BTC_BOOK, BTC_TICKER])).toEqual([trades, ticker]);
    expect(subs.size).toBe(0);
    expect(subs.take([BTC_TICKER])).toEqual([]);
  });

  it('names the state: idle, closed, connecting, connected, stale, reconnecting, down', () => {
    const { subs, gate, outages, owner } = table();
    const state = (f: Partial<ConnectionFacts>) => subs.status({ ...running, ...f }, gate, outages).state;
    expect(state({ active: false })).toBe('idle');
    expect(state({ active: false, closing: true })).toBe('closed');
    expect(state({ sockets: 0 })).toBe('connecting');
    expect(state({})).toBe('connected');
    const sub = subs.open(BTC_TICKER, owner, 0);
    sub.state = 'stale';
    expect(state({})).toBe('stale');
    outages.begin(sub.id, new Error('socket closed'));
    expect(state({})).toBe('reconnecting');
    expect(state({ mode: 'polling' })).toBe('down');
  });

  it('reports the gate, the connections and the stats in the status; subscription statuses carry behind', () => {
    const { subs, gate, outages, owner, stats } = table();
    stats.error('network', 'reset');
    const st = subs.status({ ...running, sockets: 0, connections: 2 }, gate, outages);
    expect(st).toMatchObject({ exchange: 'binance', state: 'connecting', mode: 'live', reconnects: gate.reconnects, attempt: gate.attempt, connections: 2 });
    expect(st.errors.network).toBe(1);
    const sub = subs.open(BTC_TICKER, owner, 0);
    expect(subs.statuses()).toEqual([{ id: sub.id, exchange: 'binance', symbol: 'BTC/USDT', channel: 'ticker', state: 'subscribing', source: 'ws' }]);
    expect(subs.statuses(true)[0]!.behind).toBe(true);
  });
});
