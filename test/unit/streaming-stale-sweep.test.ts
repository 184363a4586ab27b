import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { sweepStale, type StaleSweepHost } from '../../electron/streaming/stale-sweep';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime } from './streaming-fake-time';

function setup(closes: number) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const log = { event: (e: { kind: string; message?: string; symbol?: string }) => void trace.push(`${e.kind} ${e.symbol}: ${e.message}`), record: () => undefined };
  const report = new SessionReport('sim', log, { error: () => undefined }, () => trace.push('changed'));
  const rows = { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 };
  const subs = ['A/USDT', 'B/USDT', 'C/USDT'].map((symbol) => createSubscription({ exchange: 'sim', symbol, channel: 'ticker' }, owner, rows, time.now(), 4));
  const client = (url: string) => ({ url, lastFrameAt: -Infinity, onError: (e: Error) => void trace.push(`onError ${url}: ${e.message}`), close: async () => void trace.push(`close ${url}`) });
  const ex = { clients: { 'wss://1': client('wss://1'), 'wss://2': client('wss://2') } } as unknown as StreamExchange;
  let budget = closes;
  const host: StaleSweepHost = {
    subscriptions: () => subs.values(),
    staleAfterMs: { ticker: 1000, trades: 1000, book: 1000 },
    silence: { mayClose: () => budget-- > 0 },
    outages: { suspect: (c) => void trace.push(`suspect ${c.reason}`) },
    report,
    silentStreams: { mayBeQuiet: () => false },
    connectionLost: (s, e, epoch) => void trace.push(`lost ${s.key.symbol} (epoch ${epoch}): ${(e as Error).message}`),
  };
  return { time, trace, subs, ex, host };
}

describe('sweepStale', () => {
  it('a subscription silent past its limit is declared stale and its socket made to reconnect; within the limit, nothing', async () => {
    const { time, trace, subs, ex, host } = setup(10);
    const [a, b, c] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]];
    a.url = 'wss://1';
    b.url = 'wss://2';
    c.state = 'live';
    c.lastDataAt = time.now() + 500;
    await time.advance(1000);
    sweepStale(host, ex, time.now());
    expect(trace).toEqual([]); // exactly at the limit is not past it
    await time.advance(1);
    sweepStale(host, ex, time.now());
    expect(trace).toEqual([
      'STALE A/USDT: no data for 1001 ms',
      'changed',
      'suspect stale',
      `onError wss://1: ${a.id}: no data for 1001 ms`,
      'close wss://1',
      'STALE B/USDT: no data for 1001 ms',
      'changed',
      'suspect stale',
      `onError wss://2: ${b.id}: no data for 1001 ms`,
      'close wss://2',
    ]);
    expect(subs.map((s) => s.state)).toEqual(['stale', 'stale', 'live']);
  });

  it('the close budget spent, a socket waits for the next pass; a subscription without a socket fails through the loop path', async () => {
    const { time, trace, subs, ex, host } = setup(0);
    const [a] = subs as [(typeof subs)[0]];
    a.url = 'wss://1';
    await time.advance(2000);
    sweepStale(host, ex, time.now());
    expect(a.state).toBe('subscribing');
    expect(trace.filter((l) => l.startsWith('lost'))).toEqual([`lost B/USDT (epoch 4): ${subs[1]?.id}: no data for 2000 ms`, `lost C/USDT (epoch 4): ${subs[2]?.id}: no data for 2000 ms`]);
  });
});
