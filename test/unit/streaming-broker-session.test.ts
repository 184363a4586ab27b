// The generic broker session around a scripted adapter: restore exactly once,
// backoff per failed dial, stale detection, clean idle and close. Exact traces.
import { describe, expect, it } from 'vitest';
import type { ConnectionEvent, Outage } from '../../shared/contract/status';
import { Owner } from '../../shared/lifecycle/owner';
import { StreamingTuningSchema, type ExchangeSettings } from '../../shared/settings';
import { BrokerError, type BrokerAdapter, type BrokerLink } from '../../electron/streaming/adapters/adapter';
import { BrokerSession } from '../../electron/streaming/adapters/broker-session';
import { EventLog } from '../../electron/streaming/event-log';
import type { Subscription } from '../../electron/streaming/subscription';
import { TickSink } from '../../electron/streaming/tick-sink';
import { FakeTime, settle } from './streaming-fake-time';

class ScriptedBroker implements BrokerAdapter {
  readonly trace: string[] = [];
  link: BrokerLink | undefined;
  connections = 0;
  readonly refusals: BrokerError[] = [];
  readonly live = new Map<string, Subscription>();

  async connect(link: BrokerLink): Promise<void> {
    this.trace.push('connect');
    await Promise.resolve();
    const refusal = this.refusals.shift();
    if (refusal) throw refusal;
    this.link = link;
    this.connections = 1;
  }
  request(sub: Subscription): void {
    this.trace.push(`request ${sub.key.symbol} ${sub.key.channel}`);
    this.live.set(sub.id, sub);
  }
  cancel(sub: Subscription): void {
    this.trace.push(`cancel ${sub.key.symbol} ${sub.key.channel}`);
    this.live.delete(sub.id);
  }
  async disconnect(): Promise<void> {
    if (this.connections) this.trace.push('disconnect');
    this.connections = 0;
    this.link = undefined;
    this.live.clear();
  }
  /** Data for every live subscription at `rx`. */
  pushAll(rx: number): void {
    for (const sub of this.live.values()) this.link?.data(sub, rx);
  }
}

const settings: ExchangeSettings = { id: 'ib', kind: 'ib', simulated: false, urls: {}, enabled: true };
const streaming = StreamingTuningSchema.parse({ backoff: { baseMs: 100, capMs: 1000, jitter: 0 }, staleAfterMs: { ticker: 1000, trades: 1000, book: 1000 } });
const AAPL = { exchange: 'ib', symbol: 'AAPL@SMART:STK:USD', channel: 'ticker' as const };
const ES = { exchange: 'ib', symbol: 'ES@CME:FUT:202612', channel: 'book' as const };

function setup() {
  const time = new FakeTime();
  const owner = new Owner('session');
  const broker = new ScriptedBroker();
  const events: string[] = [];
  const outages: Outage[] = [];
  const log = new EventLog((m) => {
    if (m.type === 'connection-events') events.push(...m.events.map(line));
    if (m.type === 'outage') outages.push(m.outage);
  });
  const session = new BrokerSession({ settings, streaming, owner, sink: new TickSink(() => undefined), log, changed: () => undefined, random: () => 0, scheduler: time }, broker);
  const flush = async (ms = 0) => {
    await time.advance(ms);
    log.flush();
  };
  const states = () => Object.fromEntries(session.subscriptionStatuses().map((s) => [`${s.symbol} ${s.channel}`, s.state]));
  return { time, owner, broker, events, outages, session, flush, states };
}

function line(e: ConnectionEvent): string {
  return [e.kind, e.symbol && `${e.symbol} ${e.channel}`, e.attempt !== undefined && `#${e.attempt}`, e.delayMs !== undefined && `in ${e.delayMs}`, e.code !== undefined && `code ${e.code}`, e.message]
    .filter(Boolean)
    .join(' ');
}

describe('BrokerSession', () => {
  it('requests each subscription once per connection and once more after a loss', async () => {
    const { time, broker, events, outages, session, flush, states } = setup();
    await session.subscribe([AAPL, ES]);
    await flush();
    expect(broker.trace).toEqual(['connect', 'request AAPL@SMART:STK:USD ticker', 'request ES@CME:FUT:202612 book']);
    broker.pushAll(time.now());
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'live', 'ES@CME:FUT:202612 book': 'live' });
    expect(session.status()).toMatchObject({ state: 'connected', connections: 1 });

    broker.trace.length = 0;
    broker.link!.lost(new BrokerError('TWS closed the connection', 'network'), true);
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'reconnecting', 'ES@CME:FUT:202612 book': 'reconnecting' });
    expect(session.status().state).toBe('reconnecting');
    await flush(100);
    expect(broker.trace).toEqual(['disconnect', 'connect', 'request AAPL@SMART:STK:USD ticker', 'request ES@CME:FUT:202612 book']);
    broker.pushAll(time.now());
    await flush();
    expect(outages.map((o) => [o.reason, o.downMs ?? 'open', o.restored.length])).toEqual([
      ['error', 'open', 0],
      ['error', 100, 2],
    ]);
    expect(events).toEqual([
      'CONNECTING #1',
      'SUBSCRIBING AAPL@SMART:STK:USD ticker',
      'SUBSCRIBING ES@CME:FUT:202612 book',
      'CONNECTED',
      'SUBSCRIBED AAPL@SMART:STK:USD ticker',
      'SUBSCRIBED ES@CME:FUT:202612 book',
      'DISCONNECTED TWS closed the connection',
      'RECONNECTING #1 in 100',
      'CONNECTING #1',
      'CONNECTED',
    ]);
    expect(session.status()).toMatchObject({ state: 'connected', reconnects: 1 });
  });

  it('upstream lost: waits without redialling; data lost requests again once, data kept requests nothing', async () => {
    const { time, broker, session, flush, states, outages } = setup();
    await session.subscribe([AAPL]);
    await flush();
    broker.pushAll(time.now());
    broker.trace.length = 0;
    broker.link!.lost(new BrokerError('Connectivity between IB and TWS has been lost.', 'network', 1100), false);
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'reconnecting' });
    await flush(5000); // silence while TWS is cut off is not staleness, and nothing redials
    expect(broker.trace).toEqual([]);
    broker.link!.restored(true);
    expect(broker.trace).toEqual(['request AAPL@SMART:STK:USD ticker']);
    broker.pushAll(time.now());
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'live' });
    await flush();
    expect(outages.map((o) => [o.code, o.downMs ?? 'open'])).toEqual([
      [1100, 'open'],
      [1100, 5000],
    ]);

    broker.trace.length = 0;
    broker.link!.lost(new BrokerError('lost', 'network', 1100), false);
    broker.link!.restored(false);
    broker.pushAll(time.now());
    expect(broker.trace).toEqual([]);
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'live' });
  });

  it('each refused dial is one attempt with a growing backoff', async () => {
    const { broker, events, session, flush, states } = setup();
    broker.refusals.push(new BrokerError('connect ECONNREFUSED', 'network'), new BrokerError('connect ECONNREFUSED', 'network'));
    await session.subscribe([AAPL]);
    await flush();
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'reconnecting' });
    await flush(100);
    await flush(200);
    expect(broker.trace).toEqual(['connect', 'connect', 'connect', 'request AAPL@SMART:STK:USD ticker']);
    expect(events.filter((e) => e.startsWith('RECONNECTING'))).toEqual(['RECONNECTING #1 in 100', 'RECONNECTING #2 in 200']);
    expect(session.status().errors.network).toBe(2);
  });

  it('a silent subscription is declared stale and the connection replaced', async () => {
    const { time, broker, events, session, flush, outages } = setup();
    await session.subscribe([AAPL]);
    await flush();
    broker.pushAll(time.now());
    broker.trace.length = 0;
    await flush(1250);
    expect(events.filter((e) => e.startsWith('STALE'))).toEqual(['STALE AAPL@SMART:STK:USD ticker ib|AAPL@SMART:STK:USD|ticker: no data for 1250 ms']);
    expect(outages[0]?.reason).toBe('stale');
    await flush(100);
    expect(broker.trace).toEqual(['disconnect', 'connect', 'request AAPL@SMART:STK:USD ticker']);
  });

  it('a refused subscription fails alone; unsubscribing cancels, except the last ones: hanging up ends them; nothing left running', async () => {
    const { time, owner, broker, session, flush, states } = setup();
    await session.subscribe([AAPL, ES]);
    await flush();
    broker.link!.failed(broker.live.get('ib|ES@CME:FUT:202612|book')!, new BrokerError('No security definition has been found for the request', 'bad-symbol', 200));
    broker.pushAll(time.now());
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'live', 'ES@CME:FUT:202612 book': 'failed' });
    expect(session.subscriptionStatuses().find((s) => s.channel === 'book')?.error).toEqual({ class: 'bad-symbol', message: 'No security definition has been found for the request' });
    const ES_TICKER = { ...ES, channel: 'ticker' as const };
    await session.subscribe([ES_TICKER]);
    broker.trace.length = 0;
    await session.unsubscribe([AAPL]);
    await session.unsubscribe([ES]); // failed: nothing to cancel
    await session.unsubscribe([ES_TICKER]); // the last one: hanging up ends it
    expect(broker.trace).toEqual(['cancel AAPL@SMART:STK:USD ticker', 'disconnect']);
    expect(owner.counts()).toEqual({});
    expect(session.status().state).toBe('idle');
    await session.subscribe([AAPL]);
    await flush();
    await session.close();
    expect(owner.counts()).toEqual({});
    expect(session.status().state).toBe('closed');
    await session.subscribe([AAPL]);
    expect(session.subscriptionStatuses()).toEqual([]);
    await settle();
  });

  it('a quiet subscription on a connection that still delivers frames (keep-alive answers) is not stale', async () => {
    const { time, broker, events, session, flush, states } = setup();
    await session.subscribe([AAPL]);
    await flush();
    broker.pushAll(time.now());
    for (let i = 0; i < 10; i++) {
      await flush(500);
      broker.link!.message();
      broker.link!.alive(); // the adapter's keep-alive answered
    }
    expect(events.filter((e) => e.startsWith('STALE'))).toEqual([]);
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'live' });
  });

  it('rows of one subscription vouch for a quiet one on the same connection (no clock read per frame)', async () => {
    const { time, broker, events, session, flush, states } = setup();
    await session.subscribe([AAPL, ES]);
    await flush();
    broker.pushAll(time.now());
    const es = broker.live.get('ib|ES@CME:FUT:202612|book')!;
    for (let i = 0; i < 10; i++) {
      await flush(500);
      broker.link!.data(es, time.now());
    }
    expect(events.filter((e) => e.startsWith('STALE'))).toEqual([]);
    expect(states()).toEqual({ 'AAPL@SMART:STK:USD ticker': 'live', 'ES@CME:FUT:202612 book': 'live' });
    // and once nothing arrives at all, the quiet one is stale after its threshold
    await flush(1500);
    expect(events.filter((e) => e.startsWith('STALE'))).toHaveLength(1);
  });

  it('the stale clock of a subscription not yet live starts when its request actually went out (pacing)', async () => {
    const { broker, events, session, flush } = setup();
    await session.subscribe([AAPL]);
    await flush(750);
    broker.link!.requested(broker.live.get('ib|AAPL@SMART:STK:USD|ticker')!); // held back by the pacer until now
    await flush(750);
    expect(events.filter((e) => e.startsWith('STALE'))).toEqual([]);
    await flush(500);
    expect(events.filter((e) => e.startsWith('STALE'))).toEqual(['STALE AAPL@SMART:STK:USD ticker ib|AAPL@SMART:STK:USD|ticker: no data for 1250 ms']);
  });

  it('delayed data is a flag on the subscription status', async () => {
    const { broker, session, flush } = setup();
    await session.subscribe([AAPL]);
    await flush();
    broker.link!.delayed(broker.live.get('ib|AAPL@SMART:STK:USD|ticker')!, true);
    expect(session.subscriptionStatuses()[0]?.delayed).toBe(true);
    broker.link!.delayed(broker.live.get('ib|AAPL@SMART:STK:USD|ticker')!, false);
    expect(session.subscriptionStatuses()[0]?.delayed).toBeUndefined();
  });

  it('broker notices go to the connection timeline', async () => {
    const { broker, session, flush, events } = setup();
    await session.subscribe([AAPL]);
    await flush();
    broker.link!.notice('Market data farm connection is OK:usfarm', 2104);
    await flush();
    expect(events.at(-1)).toBe('NOTICE code 2104 Market data farm connection is OK:usfarm');
  });
});

describe('BrokerSession market list', () => {
  it('is asked at configure; a failure is asked again after the next connect, a success never again', async () => {
    const time = new FakeTime();
    const broker = new ScriptedBroker();
    const answers: Array<() => Promise<Array<{ symbol: string }>>> = [
      () => Promise.reject(new Error('OpenD at 127.0.0.1:1: closed the connection before the market list')),
      () => Promise.resolve([{ symbol: 'HK.00700' }]),
    ];
    const asked: string[] = [];
    const adapter = Object.assign(broker, {
      markets: () => {
        asked.push('markets');
        return answers.shift()!() as Promise<never>;
      },
    });
    const got: unknown[] = [];
    const logged: string[] = [];
    const log = new EventLog((m) => {
      if (m.type === 'log') logged.push(...m.records.map((r) => r.message));
    });
    const session = new BrokerSession({ settings, streaming, owner: new Owner('s'), sink: new TickSink(() => undefined), log, changed: () => undefined, markets: (m) => got.push(m), random: () => 0, scheduler: time }, adapter);
    session.loadMarkets();
    session.loadMarkets(); // already loading: not asked twice
    await settle();
    expect(asked).toEqual(['markets']);
    expect(got).toEqual([]);
    log.flush();
    expect(logged).toContain('market list not loaded; asked again after the next connect');

    await session.subscribe([AAPL]);
    await time.advance(0);
    await settle();
    expect(asked).toEqual(['markets', 'markets']);
    expect(got).toEqual([[{ symbol: 'HK.00700' }]]);

    broker.link!.lost(new BrokerError('TWS closed the connection', 'network'), true);
    await time.advance(100);
    await settle();
    expect(broker.trace.filter((t) => t === 'connect')).toHaveLength(2);
    expect(asked).toHaveLength(2);
  });
});
