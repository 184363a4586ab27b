import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { probeWebSocket, type ProbeHost } from '../../electron/streaming/ws-probe';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime } from './streaming-fake-time';

/** The probe's watch answers after `answerMs` of fake time (never when Infinity). */
function setup(answerMs: number) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const at = () => time.now() - 1_000_000;
  const report = new SessionReport('sim', { event: () => undefined, record: () => undefined }, { error: (cls, m) => void trace.push(`error ${cls}: ${m} @${at()}`) }, () => undefined);
  const ex = {
    lastWatchUrl: undefined as string | undefined,
    watchTrades: () => {
      ex.lastWatchUrl = 'wss://sim/probe';
      return new Promise((r) => Number.isFinite(answerMs) && time.setTimeout(() => r('data'), answerMs));
    },
  } as unknown as StreamExchange;
  const state = { exchange: ex as StreamExchange | undefined, live: false };
  const sub = createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel: 'trades' }, owner, { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 }, time.now(), 0);
  const host: ProbeHost = {
    exchange: () => state.exchange,
    candidate: () => sub,
    windowMs: () => 500,
    epoch: () => 9,
    live: () => state.live,
    deliver: (s, result, x) => void trace.push(`deliver ${String(result)} to ${s.id} on ${x === ex ? 'probe connection' : '?'}`),
    close: async () => void trace.push(`close @${at()}`),
    report,
    scheduler: time,
    owner,
  };
  return { time, owner, trace, state, sub, ex, host };
}

describe('probeWebSocket', () => {
  it('a watch that delivers within the window is a hit; delivering it notes the socket and the epoch', async () => {
    const { time, trace, sub, state, host } = setup(200);
    const p = probeWebSocket(host);
    await time.advance(200);
    const hit = await p;
    expect(hit?.current()).toBe(true);
    hit?.deliver();
    expect(trace).toEqual([`deliver data to ${sub.id} on probe connection`]);
    expect(sub.url).toBe('wss://sim/probe');
    expect(sub.epoch).toBe(9);
    state.exchange = undefined;
    expect(hit?.current()).toBe(false);
  });

  it('no data within the window is a counted miss that closes the probe connection', async () => {
    const { time, owner, trace, host } = setup(Infinity);
    const p = probeWebSocket(host);
    await time.advance(499);
    expect(trace).toEqual([]);
    await time.advance(1);
    expect(await p).toBeUndefined();
    expect(trace).toEqual(['error timeout: no data within 500 ms @500', 'close @500']);
    expect(owner.size()).toBe(0);
  });

  it('a miss after the circuit closed again, or with nothing to probe, closes nothing', async () => {
    const { time, trace, state, host } = setup(Infinity);
    state.live = true;
    const p = probeWebSocket(host);
    await time.advance(500);
    expect(await p).toBeUndefined();
    expect(trace).toEqual(['error timeout: no data within 500 ms @500']);
    expect(await probeWebSocket({ ...host, candidate: () => undefined })).toBeUndefined();
  });
});
