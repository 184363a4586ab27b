// Every simulator fault, asserted from both sides: the streaming service's
// events/status/outages AND the simulator's own view (each stream subscribed by
// exactly one connection, no leftover connections).
import { afterEach, describe, expect, it } from 'vitest';
import { SOURCE_REST, SOURCE_WS, T_KEY, T_LAST, T_SOURCE, TICKER_STRIDE } from '../../shared/contract/tick-batch';
import { fastStreaming, Harness, streamName } from './streaming-harness';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const STREAMS = SYMBOLS.map((s) => streamName(s, 'ticker'));
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function live(streaming = fastStreaming()): Promise<Harness> {
  h = await new Harness().start(streaming);
  h.subscribe(SYMBOLS);
  await h.until(() => SYMBOLS.every((s) => h!.tickerRows(`sim|${s}`) > 0), 'all symbols live');
  await h.until(() => h!.simIsClean(STREAMS), 'simulator clean before the fault');
  return h;
}

/** After a fault: every symbol flows again, the outage completed with all restored, the simulator is clean. */
async function recovered(h: Harness, mark: number, faultEndsAt = 0): Promise<void> {
  // A lasting fault may legitimately cost more reconnects while it is in force.
  await new Promise((r) => setTimeout(r, Math.max(0, faultEndsAt - Date.now())));
  await h.until(() => SYMBOLS.every((s) => h.tickerRows(`sim|${s}`, mark) > 0), 'data from every symbol after the fault');
  await h.until(() => h.simIsClean(STREAMS), 'simulator: each stream on exactly one connection, none left over');
  const opened = h.sim.view().totals.subscribes;
  await new Promise((r) => setTimeout(r, 200));
  expect(h.sim.view().totals.subscribes).toBe(opened); // no late duplicate resubscribes
}

describe('streaming: recovery from simulator faults', () => {
  for (const code of [1000, 1006] as const) {
    it(`drop ${code}: one outage, one backoff, every subscription restored exactly once`, async () => {
      await live();
      const subsBefore = h!.sim.view().totals.subscribes;
      const mark = h!.mark();
      h!.sim.fault({ kind: 'drop', code });
      await recovered(h!, mark);
      const outage = await h!.until(() => h!.outages().find((o) => o.downMs !== undefined), 'completed outage');
      expect(outage.reason).toBe('close');
      expect(outage.code).toBe(code);
      expect([...outage.restored].sort()).toEqual(SYMBOLS.map((s) => `sim|${s}|ticker`).sort());
      expect(h!.outages().filter((o) => o.downMs === undefined)).toHaveLength(1); // opened once, not per loop
      expect(h!.events('RECONNECTING')).toHaveLength(1); // one backoff for the outage
      expect(h!.sim.view().totals.subscribes - subsBefore).toBe(SYMBOLS.length);
      expect(h!.events('DISCONNECTED').length).toBe(SYMBOLS.length);
    });
  }

  it('refuse: repeated failed attempts back off per outage, then recover when accepted again', async () => {
    await live(fastStreaming({ circuit: { failureThreshold: 50, probeIntervalMs: 400, pollIntervalMs: 150 } }));
    const mark = h!.mark();
    const ends = Date.now() + 800;
    h!.sim.fault({ kind: 'refuse', durationMs: 800 });
    h!.sim.fault({ kind: 'drop', code: 1006 });
    await recovered(h!, mark, ends);
    const rec = h!.events('RECONNECTING');
    expect(rec.length).toBeGreaterThanOrEqual(2);
    expect(rec.map((e) => e.attempt)).toEqual(rec.map((_, i) => i + 1)); // one attempt counter for the whole session
    const outage = h!.outages().find((o) => o.downMs !== undefined)!;
    expect(outage.downMs).toBeGreaterThanOrEqual(700);
  });

  it('silence: subscriptions go stale, the socket is forced to reconnect, data returns', async () => {
    await live(fastStreaming({ staleAfterMs: { ticker: 400, trades: 3000, book: 400 } }));
    const mark = h!.mark();
    // longer than staleAfterMs.ticker, the REST question and MISSED_GRACE_MS: a shorter stall heals before it is called stale
    const ends = Date.now() + 2500 + 400;
    h!.sim.fault({ kind: 'silence', durationMs: 2500 });
    await h!.until(() => h!.events('STALE').length >= 1, 'a STALE event');
    await recovered(h!, mark, ends);
    const first = h!.outages()[0]!;
    expect(first.reason).toBe('stale');
    const st = await h!.until(() => h!.lastStatus()?.subscriptions.every((s) => s.state === 'live') && h!.lastStatus(), 'all live again');
    expect(st.exchanges[0]!.state).toBe('connected');
  });

  it('a quiet market longer than staleAfterMs.ticker: the rows stay live, one REST request a pass vouching for all of them', async () => {
    await live(); // staleAfterMs.ticker 1500; each ticker alone on its socket, as ccxt's Binance places them
    h!.sim.setRate(0);
    const restBefore = h!.sim.restLog().length;
    await new Promise((r) => setTimeout(r, 4_000));
    // without the check: every row STALE, its socket reconnected, every 1.5 s
    expect(h!.events('STALE')).toEqual([]);
    expect(h!.events('DISCONNECTED')).toEqual([]);
    expect(h!.outages()).toEqual([]);
    expect(h!.lastStatus()!.subscriptions.map((s) => s.state)).toEqual(SYMBOLS.map(() => 'live'));
    // the status says when the exchange vouched for each row's old data (the screen shows it "live · quiet")
    for (const s of h!.lastStatus()!.subscriptions) expect(s.quietAt).toBeGreaterThan(s.lastDataAt!);
    // the three tickers were asked about together (the request names them all), each time
    const asked = h!.sim.restLog().slice(restBefore).filter((e) => e.path === '/api/v3/ticker/24hr');
    expect(asked.length).toBeGreaterThanOrEqual(2); // once the silence since the last answer passed half the limit
    expect(asked.length).toBeLessThanOrEqual(6);
    for (const e of asked) for (const id of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) expect(decodeURIComponent(e.query)).toContain(`"${id}"`);
    const mark = h!.mark();
    h!.sim.setRate(20);
    await recovered(h!, mark);
  });

  it('a new row on a quiet market shows the exchange\'s current ticker and is live, with no reconnect', async () => {
    h = await new Harness({ ratePerSymbol: 0 }).start(fastStreaming());
    const restTicker = (await (await fetch(`${h.sim.urls.rest}/ticker/24hr?symbol=ETHUSDT`)).json()) as { lastPrice: string };
    h.subscribe(['ETH/USDT']);
    const st = await h.until(() => h!.lastStatus()?.subscriptions.find((s) => s.id === 'sim|ETH/USDT|ticker' && s.state === 'live'), 'the row live', 5_000);
    expect(st.source).toBe('ws');
    // its row: the exchange's last price, read once over REST
    const last = h.batches().flatMap((b) => {
      const k = b.keys.indexOf('sim|ETH/USDT');
      const out: number[] = [];
      for (let i = 0; i < b.tickers.length; i += TICKER_STRIDE) if (b.tickers[i + T_KEY] === k) out.push(b.tickers[i + T_LAST]!);
      return out;
    });
    expect(last).toEqual([Number(restTicker.lastPrice)]);
    await new Promise((r) => setTimeout(r, 3_000)); // twice staleAfterMs.ticker: still live, asked about, not reconnected
    // without the seed: "subscribing", then STALE and a reconnect every 1.5 s, and never a price
    expect(h.events('STALE')).toEqual([]);
    expect(h.events('DISCONNECTED')).toEqual([]);
    expect(h.lastStatus()!.subscriptions[0]!.state).toBe('live');
  });

  it('a dropped socket on a quiet market: the row is live again once its subscription is confirmed, the outage closed', async () => {
    h = await new Harness({ ratePerSymbol: 20 }).start(fastStreaming());
    h.subscribe(['ETH/USDT']);
    await h.until(() => h!.tickerRows('sim|ETH/USDT') > 0 || undefined, 'a ticker');
    h.sim.setRate(0);
    await new Promise((r) => setTimeout(r, 200));
    h.sim.fault({ kind: 'drop', code: 1006 });
    await h.until(() => h!.lastStatus()?.subscriptions[0]?.state === 'reconnecting' || undefined, 'the row reconnecting');
    const st = await h.until(() => {
      const last = h!.lastStatus();
      return last?.subscriptions[0]?.state === 'live' && last.exchanges[0]?.state === 'connected' ? last : undefined;
    }, 'the row live and the exchange connected again', 5_000);
    expect(st.subscriptions[0]!.source).toBe('ws');
    expect(h.outages().filter((o) => o.downMs !== undefined).map((o) => o.restored)).toEqual([['sim|ETH/USDT|ticker']]);
    expect(h.events('STALE')).toEqual([]);
  });

  it('ignore-pings: missed pongs are detected by keepalive and the connection replaced', async () => {
    await live(fastStreaming({ keepAliveMs: 200 }));
    const mark = h!.mark();
    const ends = Date.now() + 1000 + 2 * 200;
    h!.sim.fault({ kind: 'ignore-pings', durationMs: 1000 });
    const outage = await h!.until(() => h!.outages()[0], 'an outage');
    expect(outage.reason).toBe('keepalive');
    await h!.until(() => h!.outages().some((o) => o.downMs !== undefined), 'outage completed', 15_000);
    await recovered(h!, mark, ends);
    expect(h!.lastStatus()!.exchanges[0]!.errors.timeout).toBeGreaterThan(0);
  });

  it('malformed frames are counted and affect no stream', async () => {
    await live();
    const mark = h!.mark();
    h!.sim.fault({ kind: 'malformed', count: 20 });
    await recovered(h!, mark);
    const st = await h!.until(() => (h!.lastStatus()?.exchanges[0]?.errors.malformed ?? 0) > 0 && h!.lastStatus(), 'malformed counted');
    expect(h!.outages()).toHaveLength(0);
    expect(h!.events('DISCONNECTED')).toHaveLength(0);
    expect(st.subscriptions.every((s) => s.state === 'live')).toBe(true);
  });

  it('reject-subscription fails only that subscription', async () => {
    h = await new Harness().start();
    h.sim.fault({ kind: 'reject-subscription', symbol: 'ETHUSDT' });
    h.subscribe(SYMBOLS);
    const failed = await h.until(() => h!.lastStatus()?.subscriptions.find((s) => s.id === 'sim|ETH/USDT|ticker' && s.state === 'failed'), 'ETH failed');
    expect(failed.error?.class).toBe('exchange');
    await h.until(() => h!.tickerRows('sim|BTC/USDT') > 0 && h!.tickerRows('sim|SOL/USDT') > 0, 'the others flow');
    expect(h.tickerRows('sim|ETH/USDT')).toBe(0);
    expect(h.events('FAILED').map((e) => e.symbol)).toEqual(['ETH/USDT']);
    expect(h.outages()).toHaveLength(0);
    const v = h.sim.view();
    expect(v.streams[streamName('ETH/USDT', 'ticker')] ?? 0).toBe(0);
    expect(v.streams[streamName('BTC/USDT', 'ticker')]).toBe(1);
  });

  it('burst: a much higher rate is absorbed in few batches, no stream affected', async () => {
    await live();
    const before = h!.batches().length;
    const sentBefore = h!.sim.view().totals.messagesSent;
    h!.sim.fault({ kind: 'burst', ratePerSymbol: 2000, durationMs: 500 });
    await new Promise((r) => setTimeout(r, 700));
    const sent = h!.sim.view().totals.messagesSent - sentBefore;
    expect(sent).toBeGreaterThan(100);
    expect(h!.batches().length - before).toBeLessThan(sent); // batched, never a message per tick
    await recovered(h!, h!.mark());
    expect(h!.outages()).toHaveLength(0);
  });

  it('server-shutdown notice: rotates make-before-break onto new connections without an outage', async () => {
    await live();
    const oldIds = h!.sim.view().connections.map((c) => c.id);
    const mark = h!.mark();
    h!.sim.fault({ kind: 'server-shutdown' });
    await h!.until(() => h!.events('ROTATING').length === 1, 'ROTATING');
    expect(h!.events('ROTATING')[0]!.reason).toBe('server-notice');
    await h!.until(() => h!.sim.view().connections.every((c) => !oldIds.includes(c.id)) && h!.simIsClean(STREAMS), 'old connections replaced');
    await recovered(h!, mark);
    expect(h!.outages()).toHaveLength(0);
  });

  it('lifetime: connections are rotated before the exchange cuts them', async () => {
    await live(fastStreaming({ rotateAfterMs: 700 }));
    h!.sim.fault({ kind: 'lifetime', maxLifetimeMs: 1500 });
    const mark = h!.mark();
    await h!.until(() => h!.events('ROTATING').length >= 2, 'two rotations', 8000);
    expect(h!.events('ROTATING').every((e) => e.reason === 'rotation')).toBe(true);
    await recovered(h!, mark);
    expect(h!.outages()).toHaveLength(0); // never cut by the lifetime limit
  });

  it('circuit breaker: refused reconnects → REST polling (source rest) → probe → live', async () => {
    await live(fastStreaming({ circuit: { failureThreshold: 2, probeIntervalMs: 300, pollIntervalMs: 100 } }));
    h!.sim.fault({ kind: 'refuse', durationMs: 60_000 });
    h!.sim.fault({ kind: 'drop', code: 1006 });
    await h!.until(() => h!.events('FALLBACK').length === 1, 'FALLBACK');
    await h!.until(() => h!.lastStatus()?.exchanges[0]?.mode === 'polling', 'mode polling');
    const m1 = h!.mark();
    await h!.until(
      () => h!.received.slice(m1).some((b) => b.type === 'ticks' && b.tickers.length > 0 && b.tickers[T_SOURCE] === SOURCE_REST),
      'REST-sourced ticks',
    );
    expect(h!.sim.view().connections).toHaveLength(0);
    // REST failing too → down
    h!.sim.fault({ kind: 'rest-error', status: 503, durationMs: 60_000 });
    await h!.until(() => h!.lastStatus()?.exchanges[0]?.mode === 'down', 'mode down');
    h!.sim.fault({ kind: 'clear' });
    await h!.until(() => h!.events('RECOVERED').length === 1, 'RECOVERED', 10_000);
    const m2 = h!.mark();
    await h!.until(() => h!.lastStatus()?.exchanges[0]?.mode === 'live', 'mode live');
    await h!.until(() => SYMBOLS.every((s) => h!.tickerRows(`sim|${s}`, m2) > 0), 'ws data again');
    await h!.until(() => h!.simIsClean(STREAMS), 'simulator clean after recovery');
    const restAfter = h!.sim.view().totals.restRequests;
    await new Promise((r) => setTimeout(r, 300));
    expect(h!.sim.view().totals.restRequests).toBe(restAfter); // polling stopped
    const last = h!.batches().filter((b) => b.tickers.length).at(-1)!;
    for (let i = 0; i < last.tickers.length; i += TICKER_STRIDE) expect(last.tickers[i + T_SOURCE]).toBe(SOURCE_WS);
  });
});
