import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { rotationHost } from '../../electron/streaming/rotation-host';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime } from './streaming-fake-time';

function setup() {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const log = { event: () => undefined, record: (_l: string, _s: string, m: string, f?: object) => void trace.push(`${m} ${JSON.stringify(f)}`) };
  const report = new SessionReport('sim', log, { error: (cls) => void trace.push(`error ${cls}`) }, () => trace.push('changed'));
  const rows = { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 };
  const subs = ['A/USDT', 'B/USDT'].map((symbol) => createSubscription({ exchange: 'sim', symbol, channel: 'trades' }, owner, rows, time.now(), 0));
  const kept = new Set(subs.map((s) => s.id));
  const next = { name: 'next' } as unknown as StreamExchange;
  const host = rotationHost({
    exchange: () => undefined,
    subscriptions: () => subs.values(),
    has: (s) => kept.has(s.id),
    create: async () => next,
    use: (x) => void trace.push(`use ${(x as unknown as { name: string }).name}`),
    deliver: (s, result) => void trace.push(`deliver ${String(result)} to ${s.key.symbol}`),
    close: async () => undefined,
    report,
  });
  return { trace, subs, kept, next, host };
}

describe('rotationHost', () => {
  it('switching uses the new connection, then hands the warm-up data to the subscriptions still there', () => {
    const { trace, subs, kept, next, host } = setup();
    const [a, b] = subs as [(typeof subs)[0], (typeof subs)[0]];
    kept.delete(b.id);
    host.switchTo(next, [{ item: a, result: 'ta', url: 'wss://new' }, { item: b, result: 'tb', url: 'wss://new' }], 'server-notice');
    expect(trace).toEqual(['use next', 'deliver ta to A/USDT', 'rotation complete {"exchange":"sim","reason":"server-notice","subscriptions":2}']);
    expect(a.url).toBe('wss://new');
    expect(b.url).toBeUndefined();
  });

  it('a failed rotation is counted and logged; every rotation ends with a status change', () => {
    const { trace, host } = setup();
    host.failed(new Error('no data within 2000 ms'));
    host.finished();
    expect(trace).toEqual(['error exchange', 'changed', 'rotation failed; keeping the current connection {"exchange":"sim","error":"no data within 2000 ms"}', 'changed']);
  });
});
