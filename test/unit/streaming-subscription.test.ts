import { describe, expect, it } from 'vitest';
import { SOURCE_REST, SOURCE_WS } from '../../shared/contract/tick-batch';
import { Owner } from '../../shared/lifecycle/owner';
import { createSubscription, polled, silentFor, subscriptionStatus, useSource } from '../../electron/streaming/subscription';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import type { TickSink } from '../../electron/streaming/tick-sink';

function sub() {
  const rows = { sink: {} as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(4), bookDepth: 5 };
  return createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' }, new Owner('active'), rows, 1000, 3);
}

describe('Subscription', () => {
  it('starts subscribing over the socket, its rows keyed by instrument', () => {
    const s = sub();
    expect(s).toMatchObject({ id: 'sim|BTC/USDT|ticker', state: 'subscribing', source: 'ws', armedAt: 1000, epoch: 3, lastDataAt: 0 });
    expect(s.target).toMatchObject({ instrument: 'sim|BTC/USDT', source: SOURCE_WS, bookDepth: 5 });
    expect(s.owner.name).toBe('active/sim|BTC/USDT|ticker');
  });

  it('useSource switches the state and the rows together', () => {
    const s = sub();
    useSource(s, 'rest');
    expect([s.source, s.target.source]).toEqual(['rest', SOURCE_REST]);
    useSource(s, 'ws');
    expect([s.source, s.target.source]).toEqual(['ws', SOURCE_WS]);
  });

  it('silence counts from the last data when live, from the watch when not yet live, and not at all otherwise', () => {
    const s = sub();
    expect(silentFor(s, 1500)).toBe(500); // armed at 1000, no data yet
    s.lastDataAt = 1200;
    expect(silentFor(s, 1500)).toBe(300);
    s.state = 'live';
    s.armedAt = 1400;
    expect(silentFor(s, 1500)).toBe(300);
    s.state = 'reconnecting';
    expect(silentFor(s, 1500)).toBe(100);
    expect(silentFor(s, 1500, 1450)).toBe(50); // frames still reach its socket
    s.state = 'live';
    expect(silentFor(s, 1500, 1450)).toBe(50);
    expect(silentFor(s, 1500, 100)).toBe(300);
    for (const state of ['polling', 'failed', 'stale', 'unsubscribed'] as const) {
      s.state = state;
      expect(silentFor(s, 1500)).toBeNaN();
    }
  });

  it('status carries data time and error only when there are some', () => {
    const s = sub();
    expect(subscriptionStatus(s)).toEqual({ id: s.id, exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker', state: 'subscribing', source: 'ws' });
    s.lastDataAt = 5;
    s.error = { class: 'network', message: 'x' };
    const st = subscriptionStatus(s);
    expect(st).toMatchObject({ lastDataAt: 5, error: { class: 'network', message: 'x' } });
    st.error!.message = 'changed';
    expect(s.error.message).toBe('x');
  });

  it('polled data keeps the subscription polling over REST, and says when what is shown changed', () => {
    const s = sub();
    s.error = { class: 'network', message: 'x' };
    expect(polled(s, 2000)).toBe(true);
    expect(s).toMatchObject({ state: 'polling', source: 'rest', lastDataAt: 2000, error: undefined });
    expect(polled(s, NaN)).toBe(false); // nothing usable: the time of the last data stays
    expect(s.lastDataAt).toBe(2000);
    expect(polled(s, 2100)).toBe(false);
    expect(s.lastDataAt).toBe(2100);
  });
});
