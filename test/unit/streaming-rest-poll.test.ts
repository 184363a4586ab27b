import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { SOURCE_REST } from '../../shared/contract/tick-batch';
import { Owner } from '../../shared/lifecycle/owner';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { pollSymbol, type PollView } from '../../electron/streaming/rest-poll';
import { createSubscription, type Subscription } from '../../electron/streaming/subscription';
import type { TickSink } from '../../electron/streaming/tick-sink';

/** An exchange whose REST answers are set per symbol; a sink that records the last price written per instrument. */
function setup() {
  const written: string[] = [];
  const sink = { ticker: (key: string, _b: number, _a: number, last: number) => written.push(`${key} ${last}`) } as unknown as TickSink;
  const answers = new Map<string, number | Error>();
  const ex = {
    fetchTicker: async (symbol: string) => {
      const a = answers.get(symbol);
      if (a instanceof Error) throw a;
      return { symbol, last: a, info: {} };
    },
  } as unknown as StreamExchange;
  const owner = new Owner('active');
  const rows = { sink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 5 };
  const subs = ['BTC/USDT', 'ETH/USDT'].map((symbol) => createSubscription({ exchange: 'sim', symbol, channel: 'ticker' }, owner, rows, 0, 0));
  const errors: string[] = [];
  let changes = 0;
  const view: PollView = {
    exchange: () => ex,
    subscriptions: () => subs,
    stillPolled: () => true,
    countError: (e) => errors.push((e as Error).message),
    changed: () => changes++,
  };
  for (const s of subs) s.state = 'polling';
  return { written, answers, subs, errors, view, changes: () => changes };
}

describe('pollSymbol', () => {
  it('writes a REST snapshot of the symbol as REST rows and marks the subscription polled over REST', async () => {
    const { written, answers, subs, view, changes } = setup();
    answers.set('BTC/USDT', 101);
    await expect(pollSymbol(view, 'BTC/USDT', new AbortController().signal)).resolves.toEqual({ ok: true });
    expect(written).toEqual(['sim|BTC/USDT 101']);
    const btc = subs[0] as Subscription;
    expect([btc.source, btc.target.source, btc.state]).toEqual(['rest', SOURCE_REST, 'polling']);
    expect(btc.lastDataAt).toBeGreaterThan(0);
    expect(changes()).toBe(1);
    await pollSymbol(view, 'BTC/USDT', new AbortController().signal);
    expect(changes()).toBe(1); // nothing shown changed the second time
  });

  it('a failure is recorded on the subscription and counted; the outcome carries its class', async () => {
    const { answers, subs, errors, view } = setup();
    answers.set('ETH/USDT', new ccxt.ExchangeNotAvailable('503'));
    await expect(pollSymbol(view, 'ETH/USDT', new AbortController().signal)).resolves.toEqual({ ok: false, errorClass: 'network' });
    expect(subs[1]!.error).toEqual({ class: 'network', message: '503' });
    expect(errors).toEqual(['503']);
  });

  it('nothing to poll: no exchange, no subscription of that symbol, or only failed ones', async () => {
    const { subs, view } = setup();
    const signal = new AbortController().signal;
    await expect(pollSymbol({ ...view, exchange: () => undefined }, 'BTC/USDT', signal)).resolves.toBeUndefined();
    await expect(pollSymbol(view, 'SOL/USDT', signal)).resolves.toBeUndefined();
    subs[0]!.state = 'failed';
    await expect(pollSymbol(view, 'BTC/USDT', signal)).resolves.toBeUndefined();
  });

  it('a result that arrives after the socket came back is written but changes no state', async () => {
    const { answers, subs, view, changes } = setup();
    answers.set('BTC/USDT', 5);
    await pollSymbol({ ...view, stillPolled: () => false }, 'BTC/USDT', new AbortController().signal);
    expect([subs[0]!.source, subs[0]!.lastDataAt, changes()]).toEqual(['ws', 0, 0]);
  });

  it('an aborted round ends without an outcome', async () => {
    const { answers, view } = setup();
    answers.set('BTC/USDT', new Error('late'));
    const ctl = new AbortController();
    ctl.abort();
    await expect(pollSymbol(view, 'BTC/USDT', ctl.signal)).resolves.toBeUndefined();
  });
});
