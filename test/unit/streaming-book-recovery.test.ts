import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { BookRecovery } from '../../electron/streaming/book/book-recovery';
import { ccxt } from '../../electron/streaming/exchange-loader';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime, settle } from './streaming-fake-time';

function setup() {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const at = () => time.now() - 1_000_000;
  const log = { event: (e: { kind: string; cause?: string }) => void trace.push(`${e.kind} ${e.cause} @${at()}`), record: () => undefined };
  const report = new SessionReport('sim', log, { error: (cls) => void trace.push(`error ${cls}`) }, () => trace.push('changed'));
  const sink = { book: (top: { state: number }) => void trace.push(`book state ${top.state}`) } as unknown as TickSink;
  const sub = createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel: 'book' }, owner, { sink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 }, time.now(), 0);
  return { time, owner, trace, sub, books: new BookRecovery(report, time) };
}

function exchangeWithBook(): StreamExchange {
  return { lastReceivedAt: 1, orderbooks: { 'BTC/USDT': {} }, clients: { u: { subscriptions: { 'orderbook::BTC/USDT': true, 'ticker::BTC/USDT': true } } } } as unknown as StreamExchange;
}

const book = (bid: number, ask: number) => ({ bids: [[bid, 1]], asks: [[ask, 1]], nonce: 7 });

describe('BookRecovery', () => {
  it('a crossed book makes ccxt forget it and starts one resync episode; a good one syncs it', () => {
    const { trace, sub, books } = setup();
    const ex = exchangeWithBook();
    books.delivered(sub, book(100, 101), ex);
    expect(sub.target.book?.state).toBe('synced');
    expect(trace).toEqual(['changed']); // syncing → synced
    trace.length = 0;
    books.delivered(sub, book(101, 100), ex);
    expect(trace).toEqual(['BOOK_RESYNC crossed @0', 'changed']);
    const raw = ex as unknown as { orderbooks: object; clients: { u: { subscriptions: object } } };
    expect(raw.orderbooks).toEqual({});
    expect(raw.clients.u.subscriptions).toEqual({ 'ticker::BTC/USDT': true });
    books.delivered(sub, book(100, 101), ex);
    expect(sub.target.book?.resyncsBy).toEqual({ gap: 0, crossed: 1, reconnect: 0 });
  });

  it('a reconnect resyncs only a book that was shown synced', () => {
    const { trace, sub, books } = setup();
    books.resync(sub, 'reconnect', 'socket closed');
    expect(trace).toEqual([]);
    books.delivered(sub, book(100, 101), exchangeWithBook());
    trace.length = 0;
    books.resync(sub, 'reconnect', 'socket closed');
    books.resync(sub, 'reconnect', 'socket closed again');
    expect(trace).toEqual(['BOOK_RESYNC reconnect @0', 'changed']);
  });

  it('gaps in a row back off: none for the first, then 200, 400 ms ... capped at 2 s', async () => {
    const { time, owner, trace, sub, books } = setup();
    const signal = owner.signal;
    const gap = new ccxt.ChecksumError('sequence gap');
    expect(await books.gap(sub, gap, signal)).toBe(true);
    expect(trace).toEqual(['error malformed', 'changed', 'BOOK_RESYNC gap @0', 'changed']);
    let done: boolean | undefined;
    void books.gap(sub, gap, signal).then((r) => (done = r));
    await time.advance(199);
    expect(done).toBeUndefined();
    await time.advance(1);
    expect(done).toBe(true);
    sub.malformedStreak = 8;
    done = undefined;
    void books.gap(sub, gap, signal).then((r) => (done = r));
    await time.advance(1999);
    expect(done).toBeUndefined();
    await time.advance(1);
    expect(done).toBe(true);
  });

  it('a gap wait ends at once, answering false, when the loop is stopped', async () => {
    const { owner, sub, books } = setup();
    sub.malformedStreak = 1;
    let done: boolean | undefined;
    void books.gap(sub, new ccxt.ChecksumError('gap'), owner.signal).then((r) => (done = r));
    owner.dispose();
    await settle();
    expect(done).toBe(false);
  });
});
