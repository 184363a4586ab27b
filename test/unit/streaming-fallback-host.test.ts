import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { fallbackHost } from '../../electron/streaming/fallback-host';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription, type Subscription } from '../../electron/streaming/subscription';
import { SOURCE_WS } from '../../shared/contract/tick-batch';
import type { ProbeHost } from '../../electron/streaming/ws-probe';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime } from './streaming-fake-time';

function setup() {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const log = { event: (e: { kind: string; message?: string }) => void trace.push(`${e.kind}${e.message ? `: ${e.message}` : ''}`), record: (_l: string, _s: string, m: string) => void trace.push(m) };
  const report = new SessionReport('sim', log, { error: () => undefined }, () => trace.push('changed'));
  const rows = { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 };
  const subs: Subscription[] = (['ticker', 'trades'] as const).map((channel) => createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel }, owner, rows, time.now(), 0));
  const gate = { succeeded: () => void trace.push('gate succeeded'), openNow: () => void trace.push('gate open') };
  const host = fallbackHost({
    exchange: () => undefined,
    subscriptions: () => subs.values(),
    has: () => true,
    live: () => false,
    gate,
    report,
    probe: { exchange: () => undefined, candidate: () => undefined } as unknown as ProbeHost,
  });
  return { trace, subs, host };
}

describe('fallbackHost', () => {
  it('back on the socket: every subscription not failed reconnects over WebSocket, then the gate opens', () => {
    const { trace, subs, host } = setup();
    const [ticker, trades] = subs as [Subscription, Subscription];
    ticker.state = 'polling';
    ticker.source = 'rest';
    trades.state = 'failed';
    host.recovered();
    expect(trace).toEqual(['RECOVERED', 'gate succeeded', 'gate open']);
    expect(subs.map((s) => s.state)).toEqual(['reconnecting', 'failed']);
    expect(ticker.source).toBe('ws');
    expect(ticker.target.source).toBe(SOURCE_WS);
  });

  it('reports REST going down and coming back', () => {
    const { trace, host } = setup();
    host.restDown('network');
    host.restUp();
    expect(trace).toEqual(['FAILED: REST polling failing too: exchange down', 'changed', 'REST polling works again', 'changed']);
  });

  it('without a connection there is nothing to poll nor to probe', async () => {
    const { host } = setup();
    expect(await host.pollSymbol('BTC/USDT', new AbortController().signal)).toBeUndefined();
    expect(await host.probe()).toBeUndefined();
  });
});
