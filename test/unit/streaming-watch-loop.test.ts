import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { ccxt } from '../../electron/streaming/exchange-loader';
import { runWatchLoop, type WatchLoopHost } from '../../electron/streaming/watch-loop';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription, type Subscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { deliveredMark } from '../../electron/streaming/undelivered-updates';
import { FakeTime, settle } from './streaming-fake-time';

/** `answers` are served one per watch, each after `ms` of fake time: a value or an Error to reject with. */
/** A session with one connection that never rotates, closes or drops the subscription. */
const steadySession: Pick<WatchLoopHost, 'books' | 'rotating' | 'rotationSettled' | 'has' | 'closing' | 'live'> = {
  books: { gap: async () => true },
  rotating: () => false,
  rotationSettled: async () => undefined,
  has: () => true,
  closing: () => false,
  live: () => true,
};

function setup(answers: unknown[], ms = 10) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const at = () => time.now() - 1_000_000;
  const log = { event: (e: { kind: string; message?: string }) => void trace.push(`${e.kind}: ${e.message} @${at()}`), record: () => undefined };
  const report = new SessionReport('sim', log, { error: (cls) => void trace.push(`error ${cls} @${at()}`) }, () => undefined);
  const ex = {
    watchTrades: () => {
      const answer = answers.shift();
      trace.push(`watch @${at()}`);
      ex.lastWatchUrl = 'wss://sim/1';
      if (answer === undefined) return new Promise(() => undefined);
      return new Promise((resolve, reject) => time.setTimeout(() => (answer instanceof Error ? reject(answer) : resolve(answer)), ms));
    },
    lastWatchUrl: undefined as string | undefined,
  } as unknown as StreamExchange;
  const gate = { isOpen: true, epoch: 3, opened: undefined as (() => void) | undefined, wait: () => new Promise<void>((r) => (gate.opened = r)) };
  const sink = {} as TickSink;
  const sub = createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel: 'trades' }, owner, { sink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 }, time.now(), 0);
  const host: WatchLoopHost = {
    exchange: () => ex,
    gate,
    turns: { due: () => undefined },
    scheduler: time,
    report,
    ...steadySession,
    deliver: (_s, result) => void trace.push(`deliver ${String(result)} @${at()}`),
    reissued: (s) => void trace.push(`reissued ${s.state} @${at()}`),
    connectionLost: (s, e, epoch) => {
      s.state = 'reconnecting'; // as the session does
      trace.push(`lost ${(e as Error).message} (epoch ${epoch}) @${at()}`);
    },
    failed: (s: Subscription) => void trace.push(`failed ${s.id} @${at()}`),
  };
  let ended = false;
  void sub.owner.run('watch-loop', (signal) => runWatchLoop(host, sub, signal).then(() => void (ended = true)));
  return { time, trace, sub, gate, ended: () => ended };
}

describe('runWatchLoop', () => {
  it('delivers each result and watches again, noting the socket and the gate epoch', async () => {
    const { time, trace, sub } = setup(['a', 'b']);
    await time.advance(20);
    expect(trace).toEqual(['watch @0', 'deliver a @10', 'watch @10', 'deliver b @20', 'watch @20']);
    expect(sub.url).toBe('wss://sim/1');
    expect(sub.epoch).toBe(3);
    expect(sub.armedAt).toBe(time.now()); // not live yet (the session makes it live): the stale clock restarts
  });

  it('a lost connection goes to the session and the loop carries on', async () => {
    const { time, trace, ended } = setup([new ccxt.NetworkError('socket closed'), 'a']);
    await time.advance(20);
    // the watch issued again while reconnecting is reported (the tape's catch-up starts there)
    expect(trace).toEqual(['watch @0', 'error network @10', 'lost socket closed (epoch 3) @10', 'watch @10', 'reissued reconnecting @10', 'deliver a @20', 'watch @20', 'reissued reconnecting @20']);
    expect(ended()).toBe(false);
  });

  it('a corrupt update is retried after 50 ms; the fifth in a row fails the subscription and ends the loop', async () => {
    const bad = () => new ccxt.BadResponse('garbled');
    const { time, trace, sub, ended } = setup([bad(), bad(), bad(), bad(), bad()]);
    await time.advance(10);
    expect(trace).toEqual(['watch @0', 'error malformed @10']);
    await time.advance(49);
    expect(trace.length).toBe(2);
    await time.advance(1);
    expect(trace[2]).toBe('watch @60');
    await time.advance(1000);
    expect(trace.slice(-3)).toEqual(['error malformed @250', 'FAILED: garbled @250', `failed ${sub.id} @250`]);
    expect(sub.state).toBe('failed');
    expect(sub.error).toEqual({ class: 'malformed', message: 'garbled' });
    expect(ended()).toBe(true);
  });

  it('waits on a closed gate without watching', async () => {
    const { time, trace, gate } = setup(['a']);
    await settle();
    trace.length = 0;
    gate.isOpen = false;
    await time.advance(10); // 'a' delivered, then the gate is shut
    expect(trace).toEqual(['deliver a @10']);
    await time.advance(1000);
    expect(trace).toEqual(['deliver a @10']);
    gate.isOpen = true;
    gate.opened?.();
    await settle();
    expect(trace).toEqual(['deliver a @10', 'watch @1010']);
  });
});

describe('runWatchLoop: what ccxt cached while no watch waited', () => {
  /**
   * A ticker stream as ccxt keeps it: each message replaces the cached ticker and
   * resolves the watch only if one is pending. The turn budget is spent after each
   * delivery until `turnOver` is called (the storm brake, turn-yield.ts).
   */
  function tickerSetup() {
    const owner = new Owner('session');
    const delivered: number[] = [];
    let pending: ((t: unknown) => void) | undefined;
    let watches = 0;
    const tickers: Record<string, { last: number } | undefined> = {};
    const ex = {
      id: 'sim',
      tickers,
      lastWatchUrl: undefined as string | undefined,
      watchTicker: () => {
        watches++;
        return new Promise((resolve) => (pending = resolve));
      },
    } as unknown as StreamExchange;
    const arrive = (last: number) => {
      const t = { last };
      tickers['BTC/USDT'] = t;
      const resolve = pending;
      pending = undefined;
      resolve?.(t);
    };
    let turnOver = () => undefined as void;
    const log = { event: () => undefined, record: () => undefined };
    const sub = createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' }, owner, { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 }, 0, 0);
    const host: WatchLoopHost = {
      exchange: () => ex,
      gate: { isOpen: true, epoch: 1, wait: () => new Promise<void>(() => undefined) },
      turns: { due: () => new Promise<void>((r) => (turnOver = r)) },
      scheduler: new FakeTime(),
      report: new SessionReport('sim', log, { error: () => undefined }, () => undefined),
      ...steadySession,
      deliver: (s, result, x) => {
        // as the session does: writeWatchResult writes ccxt's cached ticker and notes it
        const written = (tickers[s.key.symbol] ?? result) as { last: number };
        delivered.push(written.last);
        s.target.delivered = deliveredMark(x, s.key, result);
      },
      reissued: () => undefined,
      connectionLost: () => undefined,
      failed: () => undefined,
    };
    void sub.owner.run('watch-loop', (signal) => runWatchLoop(host, sub, signal));
    return { arrive, delivered, watches: () => watches, turnOver: () => turnOver() };
  }

  it('a ticker that came while the loop waited out the turn is delivered before it watches again, once', async () => {
    const { arrive, delivered, watches, turnOver } = tickerSetup();
    await settle();
    arrive(1);
    await settle();
    expect(delivered).toEqual([1]);
    arrive(2); // the loop waits for the next turn: no watch pending, ccxt only caches it
    await settle();
    expect(delivered).toEqual([1]);
    turnOver();
    await settle();
    // without this the row would show 1 as live until the market's next message
    expect(delivered).toEqual([1, 2]);
    expect(watches()).toBe(2);
    turnOver();
    await settle();
    expect(delivered).toEqual([1, 2]); // not again
    arrive(3);
    await settle();
    turnOver();
    await settle();
    expect(delivered).toEqual([1, 2, 3]);
    expect(watches()).toBe(3);
  });
});
