// The Futu client wrapper against the OpenD stand-in with the real futu-api
// client, per fault: the wrapper's events and status, and the stand-in's own view
// (every subscription live exactly once, nothing left after unsubscribe — after
// the one-minute rule, shortened here by option on both sides — and after shutdown).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BookTop } from '../../shared/contract/tick-batch';
import { Owner } from '../../shared/lifecycle/owner';
import { systemScheduler } from '../../shared/lifecycle/timers';
import type { Channel } from '../../shared/market';
import { FutuConnection, type FutuListener, type FutuTimings } from '../../electron/streaming/adapters/futu/futu-connection';
import { OpenDStandIn, OPEND_MESSAGES } from '../../simulator/opend/opend-standin';
import { provideWebSocketGlobal } from '../support/futu-websocket';
import { until } from '../support/until';

provideWebSocketGlobal();

const HOLD_MS = 400;
const TIMINGS: FutuTimings = {
  keepAlive: { intervalMs: 100, maxMisses: 3 },
  unsubscribeHoldMs: HOLD_MS + 100,
  backoff: { baseMs: 50, capMs: 200, factor: 2, jitter: 0 },
  bookDepth: 5,
};

class Recorder implements FutuListener {
  statuses: string[] = [];
  subs: string[] = [];
  tickers: { symbol: string; bid: number; ask: number; last: number; changePct: number }[] = [];
  trades: { symbol: string; id: string; price: number; side: number }[] = [];
  books: { key: string; bids: [number, number][]; asks: [number, number][] }[] = [];
  status(state: string, reason?: string): void {
    this.statuses.push(reason ? `${state}:${reason}` : state);
  }
  subscription(symbol: string, channel: Channel, state: string, detail?: string): void {
    this.subs.push(`${symbol} ${channel} ${state}${detail ? `: ${detail}` : ''}`);
  }
  ticker(symbol: string, bid: number, ask: number, last: number, changePct: number): void {
    this.tickers.push({ symbol, bid, ask, last, changePct });
  }
  trade(symbol: string, id: string, price: number, _amount: number, side: number): void {
    this.trades.push({ symbol, id, price, side });
  }
  book(top: BookTop): void {
    this.books.push({ key: top.key, bids: top.bids.map((l) => [...l] as [number, number]), asks: top.asks.map((l) => [...l] as [number, number]) });
  }
}

const ALL: [string, Channel][] = [
  ['HK.00700', 'ticker'],
  ['HK.00700', 'trades'],
  ['HK.00700', 'book'],
  ['US.AAPL', 'ticker'],
];
const ALL_KEYS = ['HK.00700:basic', 'HK.00700:orderBook', 'HK.00700:ticker', 'US.AAPL:basic'];

describe('FutuConnection with the OpenD stand-in', () => {
  let opend: OpenDStandIn;
  let owner: Owner;
  let rec: Recorder;
  let conn: FutuConnection;

  async function setUp(quota = 100, timings = TIMINGS): Promise<void> {
    opend = new OpenDStandIn({ pushIntervalMs: 20, minSubscriptionMs: HOLD_MS, quota, websocketKey: 'k' });
    await opend.start();
    owner = new Owner('test');
    rec = new Recorder();
    conn = new FutuConnection({ host: '127.0.0.1', port: opend.port, key: 'k' }, rec, systemScheduler, owner, timings);
  }

  const liveCount = () => ALL.filter(([s, c]) => conn.subscriptionState(s, c) === 'live').length;

  beforeEach(() => {
    vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await conn?.close();
    owner?.dispose();
    await opend?.close();
    vi.restoreAllMocks();
  });

  it('subscribes quote, ticker and book per instrument and writes rows in the ccxt path\'s shapes', async () => {
    await setUp();
    conn.start();
    for (const [s, c] of ALL) expect(conn.subscribe(s, c)).toBeUndefined();
    await until(() => conn.state === 'connected' && liveCount() === 4, 'four live subscriptions');
    await until(() => rec.tickers.some((t) => t.symbol === 'HK.00700' && Number.isFinite(t.bid)) && rec.trades.length > 2 && rec.books.length > 0, 'rows of every kind');
    const t = rec.tickers.filter((r) => r.symbol === 'HK.00700' && Number.isFinite(r.bid)).at(-1)!;
    expect(t.bid).toBeLessThan(t.ask);
    expect(Number.isFinite(t.changePct)).toBe(true);
    expect(rec.tickers.some((r) => r.symbol === 'US.AAPL' && r.last > 0)).toBe(true);
    expect(rec.trades.every((r) => r.side === 1 || r.side === -1)).toBe(true);
    const ids = rec.trades.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b)); // no repeats, in order
    const b = rec.books.at(-1)!;
    expect(b.bids).toHaveLength(5);
    expect(b.bids[0]![0]).toBeGreaterThan(b.bids[1]![0]);
    expect(b.asks[0]![0]).toBeGreaterThan(b.bids[0]![0]);
    expect(rec.statuses.slice(0, 2)).toEqual(['connecting', 'connected']);

    const view = opend.view();
    expect(view.connections).toHaveLength(1);
    expect(view.connections[0]!.subscriptions).toEqual(ALL_KEYS);
    await until(() => opend.view().connections[0]!.keepAlives >= 2, 'keep-alives reach OpenD');
  });

  it('refuses invalid notation with what was expected, sending nothing', async () => {
    await setUp();
    conn.start();
    await until(() => conn.state === 'connected', 'connected');
    expect(conn.subscribe('HK.700', 'ticker')).toMatch(/HK codes have 5 digits.*expected MARKET\.CODE/);
    expect(conn.subscribe('BTC/USDT', 'ticker')).toMatch(/is not a Futu symbol: expected MARKET\.CODE/);
    expect(conn.stats.subscribesSent).toBe(0);
    expect(opend.view().counts.subs).toBe(0);
  });

  it('defers an unsubscribe made within the minute, then nothing is left; a re-subscribe meanwhile cancels it', async () => {
    await setUp();
    conn.start();
    conn.subscribe('HK.00700', 'ticker');
    conn.subscribe('US.AAPL', 'ticker');
    await until(() => conn.subscriptionState('US.AAPL', 'ticker') === 'live' && conn.subscriptionState('HK.00700', 'ticker') === 'live', 'live');

    conn.unsubscribe('HK.00700', 'ticker');
    conn.unsubscribe('US.AAPL', 'ticker');
    expect(conn.deferredUnsubscribes.sort()).toEqual(['HK.00700|ticker', 'US.AAPL|ticker']);
    expect(conn.subscriptionState('HK.00700', 'ticker')).toBeUndefined();
    // Wanted again within the minute: OpenD still has it, nothing is sent.
    const sent = conn.stats.subscribesSent;
    conn.subscribe('US.AAPL', 'ticker');
    expect(conn.subscriptionState('US.AAPL', 'ticker')).toBe('live');
    expect(conn.deferredUnsubscribes).toEqual(['HK.00700|ticker']);
    expect(conn.stats.subscribesSent).toBe(sent);

    const rowsBefore = rec.tickers.filter((r) => r.symbol === 'HK.00700').length;
    await until(() => opend.view().connections[0]!.subscriptions.length === 1, 'the deferred unsubscribe reaches OpenD');
    expect(opend.view().connections[0]!.subscriptions).toEqual(['US.AAPL:basic']);
    expect(rec.tickers.filter((r) => r.symbol === 'HK.00700').length).toBe(rowsBefore); // rows stopped at once
    expect(opend.view().counts.refused).toBe(0); // OpenD never had to refuse one

    conn.unsubscribe('US.AAPL', 'ticker');
    await until(() => opend.view().connections[0]!.subscriptions.length === 0, 'nothing left after unsubscribe');
    expect(opend.view()).toMatchObject({ quotaUsed: 0, counts: { subs: 2, unsubs: 2, refused: 0 } });
  });

  it('drop: reconnecting, then live again with every subscription re-made exactly once', async () => {
    await setUp();
    conn.start();
    for (const [s, c] of ALL) conn.subscribe(s, c);
    await until(() => liveCount() === 4, 'live');
    rec.subs.length = 0;

    opend.drop();
    await until(() => conn.stats.reconnects === 1 && liveCount() === 4, 'live again after the drop');
    expect(rec.statuses).toContain('reconnecting:close');
    expect(rec.statuses.at(-1)).toBe('connected');
    for (const [s, c] of ALL) expect(rec.subs.filter((e) => e.startsWith(`${s} ${c} `))).toEqual([`${s} ${c} reconnecting`, `${s} ${c} subscribing`, `${s} ${c} live`]);
    expect(conn.stats.subscribesSent).toBe(8);
    const view = opend.view();
    expect(view.connections.map((c) => [c.connId, c.subscriptions])).toEqual([[2, ALL_KEYS]]);
    expect(view.counts.subs).toBe(8);
    const n = rec.tickers.length;
    await until(() => rec.tickers.length > n + 3, 'rows flow again');
  });

  it('recovery is Foxtrot\'s: futu-api\'s own fixed 1 s reconnect is switched off in favour of the backoff', async () => {
    await setUp(100, { ...TIMINGS, backoff: { baseMs: 1500, capMs: 1500, factor: 1, jitter: 0 } });
    conn.start();
    conn.subscribe('HK.00700', 'ticker');
    await until(() => conn.subscriptionState('HK.00700', 'ticker') === 'live', 'live');
    const droppedAt = Date.now();
    opend.drop();
    await until(() => conn.stats.reconnects === 1 && conn.subscriptionState('HK.00700', 'ticker') === 'live', 'live again');
    // futu-api alone would have been back after 1 s; the backoff says 1.5 s.
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(1500);
    expect(opend.view().counts.inits).toBe(2);
  });

  it('stall: missing keep-alive replies cut the link; a new connection restores every subscription once', async () => {
    await setUp();
    conn.start();
    for (const [s, c] of ALL) conn.subscribe(s, c);
    await until(() => liveCount() === 4, 'live');
    opend.stall();
    await until(() => rec.statuses.includes('reconnecting:keepalive'), 'the dead link detected');
    await until(() => conn.state === 'connected' && liveCount() === 4, 'live again after the stall');
    expect(conn.stats.keepAliveDeaths).toBe(1);
    expect(conn.stats.reconnects).toBe(1);
    await until(() => opend.view().connections.length === 1, 'the stalled connection gone from OpenD');
    const view = opend.view();
    expect(view.connections[0]).toMatchObject({ connId: 2, stalled: false, subscriptions: ALL_KEYS });
    expect(view.counts.subs).toBe(8);
  });

  it('quota exceeded: the subscription fails with OpenD\'s words, the others stay live and it is not retried after a reconnect', async () => {
    await setUp(3);
    conn.start();
    for (const [s, c] of ALL) conn.subscribe(s, c);
    await until(() => conn.subscriptionState('US.AAPL', 'ticker') === 'failed', 'the fourth refused');
    await until(() => liveCount() === 3, 'three live');
    expect(rec.subs).toContain(`US.AAPL ticker failed: ${OPEND_MESSAGES.quota(3, 1, 3)}`);
    expect(conn.stats.refusals).toBe(1);

    opend.drop();
    await until(() => conn.stats.reconnects === 1 && liveCount() === 3, 'live again');
    expect(conn.subscriptionState('US.AAPL', 'ticker')).toBe('failed');
    expect(conn.stats.subscribesSent).toBe(7);
    expect(opend.view().connections.map((c) => c.subscriptions)).toEqual([ALL_KEYS.slice(0, 3)]);
  });

  it('OpenD not there yet: retries with the backoff and connects once it listens', async () => {
    await setUp();
    const port = opend.port;
    await opend.close();
    conn = new FutuConnection({ host: '127.0.0.1', port, key: 'k' }, rec, systemScheduler, owner, TIMINGS);
    conn.start();
    conn.subscribe('HK.00700', 'book');
    await until(() => rec.statuses.filter((s) => s === 'reconnecting:close').length >= 2, 'two failed attempts');
    opend = new OpenDStandIn({ port, pushIntervalMs: 20, minSubscriptionMs: HOLD_MS, websocketKey: 'k' });
    await opend.start();
    await until(() => conn.subscriptionState('HK.00700', 'book') === 'live', 'live once OpenD listens');
    expect(opend.view().connections.map((c) => c.subscriptions)).toEqual([['HK.00700:orderBook']]);
  });

  it('a wrong key: OpenD refuses the init and the status says so', async () => {
    await setUp();
    conn = new FutuConnection({ host: '127.0.0.1', port: opend.port, key: 'not-the-key' }, rec, systemScheduler, owner, TIMINGS);
    conn.start();
    await until(() => rec.statuses.includes('reconnecting:refused'), 'refused');
    expect(opend.view().counts.inits).toBe(0);
  });

  it('an unsubscribe deferred when the connection drops is not restored', async () => {
    await setUp();
    conn.start();
    conn.subscribe('HK.00700', 'ticker');
    conn.subscribe('US.AAPL', 'ticker');
    await until(() => conn.subscriptionState('US.AAPL', 'ticker') === 'live' && conn.subscriptionState('HK.00700', 'ticker') === 'live', 'live');
    conn.unsubscribe('US.AAPL', 'ticker');
    expect(conn.deferredUnsubscribes).toEqual(['US.AAPL|ticker']);
    opend.drop();
    await until(() => conn.stats.reconnects === 1 && conn.subscriptionState('HK.00700', 'ticker') === 'live', 'live again');
    expect(conn.deferredUnsubscribes).toEqual([]);
    expect(opend.view().connections.map((c) => c.subscriptions)).toEqual([['HK.00700:basic']]);
    expect(conn.stats.subscribesSent).toBe(3);
  });

  it('shutdown: closed, no timers left, and OpenD has no connection left', async () => {
    await setUp();
    conn.start();
    for (const [s, c] of ALL) conn.subscribe(s, c);
    await until(() => liveCount() === 4, 'live');
    conn.unsubscribe('US.AAPL', 'ticker'); // a deferred unsubscribe pending at shutdown
    await conn.close();
    expect(conn.state).toBe('closed');
    expect(rec.statuses.at(-1)).toBe('closed');
    expect(owner.counts()).toEqual({});
    await until(() => opend.view().connections.length === 0, 'OpenD sees the connection closed');
    expect(opend.view().connections).toEqual([]);
  });
});
