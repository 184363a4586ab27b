import { describe, expect, it } from 'vitest';
import type { Trade } from 'ccxt';
import { TapeContinuity, numericId } from '../../electron/streaming/trades/tape-continuity';
import { recoverHole } from '../../electron/streaming/trades/gap-recovery';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';

describe('TapeContinuity: holes in a trade stream', () => {
  it('consecutive ids: no hole; a jump: the missing ids, their count and the times around them', () => {
    const t = new TapeContinuity();
    expect([t.accept('10', 1000), t.hole]).toEqual([true, undefined]);
    expect([t.accept('11', 1001), t.hole]).toEqual([true, undefined]);
    expect(t.accept('15', 1500)).toBe(true);
    expect(t.hole).toEqual({ fromId: '12', toId: '14', missing: 3, startedAt: 1001, endedAt: 1500, cause: 'id-jump' });
    expect([t.accept('16', 1501), t.hole]).toEqual([true, undefined]);
  });

  it('ids already seen are refused (REST overlap, replays), without a hole', () => {
    const t = new TapeContinuity();
    t.accept('5', 100);
    t.accept('6', 101);
    expect([t.accept('6', 101), t.accept('3', 90), t.hole]).toEqual([false, false, undefined]);
  });

  it('after an interruption the hole is an outage; with ids that do not count, the outage is all there is', () => {
    const t = new TapeContinuity();
    t.accept('1', 100);
    t.interrupted(150);
    t.interrupted(170); // the first interruption counts
    t.accept('9', 900);
    expect(t.hole).toMatchObject({ fromId: '2', toId: '8', missing: 7, cause: 'outage' });
    t.interrupted(950);
    t.accept('10', 1000); // nothing missed by the ids: no hole, the interruption is over
    expect(t.hole).toBeUndefined();

    const u = new TapeContinuity();
    u.accept('a-1', 100);
    u.accept('b-7', 200);
    expect(u.hole).toBeUndefined(); // no evidence without ids or an interruption
    u.interrupted(250);
    u.accept('c-3', 700);
    expect(u.hole).toEqual({ fromId: '', toId: '', missing: NaN, startedAt: 200, endedAt: 700, cause: 'outage' });
  });

  it('a catch-up reads from the last trade before an interruption, and the tape continues after what it brought', () => {
    const t = new TapeContinuity();
    expect(t.catchUpPoint()).toBeUndefined(); // nothing seen yet
    t.accept('10', 1000);
    expect(t.catchUpPoint()).toBeUndefined(); // not interrupted
    t.interrupted(1100);
    expect(t.catchUpPoint()).toEqual({ afterId: 10, lastTs: 1000 });
    t.caughtUp(14, 1400);
    expect([t.newestId, t.catchUpPoint()]).toEqual([14, undefined]);
    expect([t.accept('14', 1400), t.accept('15', 1500), t.hole]).toEqual([false, true, undefined]); // no hole: the catch-up filled it
    t.caughtUp(12, 1200); // behind the stream: ignored
    expect(t.newestId).toBe(15);

    const u = new TapeContinuity();
    u.accept('a-1', 100);
    u.interrupted(150);
    expect(u.catchUpPoint()).toBeUndefined(); // ids that do not count: only the next trade can tell
  });

  it('numericId: decimal safe integers only', () => {
    expect([numericId('0'), numericId('123'), numericId(''), numericId('12a'), numericId('-1'), numericId('1e3'), numericId('1234567890123456')]).toEqual([0, 123, NaN, NaN, NaN, NaN, NaN]);
  });
});

function trade(id: number, ts: number, f = id, l = id): Trade {
  return { id: String(id), timestamp: ts, price: 100 + id, amount: 1, side: 'buy', info: { a: id, f, l } } as unknown as Trade;
}

/** An exchange whose REST history holds `history` (sorted by time); fetchTrades(since, limit) like ccxt. */
function restExchange(history: Trade[]): { ex: StreamExchange; calls: number[] } {
  const calls: number[] = [];
  const ex = {
    has: { fetchTrades: true },
    fetchTrades: async (_symbol: string, since: number, limit: number) => {
      calls.push(since);
      return history.filter((t) => t.timestamp! >= since).slice(0, limit);
    },
  } as unknown as StreamExchange;
  return { ex, calls };
}

describe('recoverHole: the REST history of a hole', () => {
  const signal = new AbortController().signal;

  it('exactly the missing trade ids, across pages', async () => {
    const history = Array.from({ length: 3000 }, (_, i) => trade(i + 1, 10_000 + Math.floor(i / 2)));
    const { ex, calls } = restExchange(history);
    const r = await recoverHole(ex, 'BTC/USDT', { fromId: '11', toId: '2500', missing: 2490, startedAt: history[9]!.timestamp!, endedAt: history[2500]!.timestamp!, cause: 'outage' }, signal);
    expect(r.trades.map((t) => Number(t.id))).toEqual(Array.from({ length: 2490 }, (_, i) => i + 11));
    expect(r.covered).toBe(2490);
    expect(calls.length).toBe(3);
  });

  it('aggregates count by the trade ids f..l they cover (aggregate ids need not be trade ids)', async () => {
    const history = [trade(500, 1000, 9, 10), trade(501, 1001, 11, 13), trade(502, 1002, 14, 14), trade(503, 1003, 15, 16)];
    const { ex } = restExchange(history);
    const r = await recoverHole(ex, 'X/Y', { fromId: '11', toId: '14', missing: 4, startedAt: 1000, endedAt: 1003, cause: 'id-jump' }, signal);
    expect(r.trades.map((t) => t.id)).toEqual(['501', '502']);
    expect(r.covered).toBe(4);
  });

  it('an open-ended hole (a catch-up): every trade after its first id, and the last id covered', async () => {
    const history = [trade(500, 1000, 9, 10), trade(501, 1001, 11, 13), trade(502, 1002, 14, 14)];
    const { ex } = restExchange(history);
    const r = await recoverHole(ex, 'X/Y', { fromId: '11', toId: '', missing: NaN, startedAt: 1000, endedAt: 5000, cause: 'outage' }, signal);
    expect(r).toMatchObject({ covered: 4, lastId: 14, lastTs: 1002 });
    expect(r.trades.map((t) => t.id)).toEqual(['501', '502']);
    const none = await recoverHole(ex, 'X/Y', { fromId: '15', toId: '', missing: NaN, startedAt: 1002, endedAt: 5000, cause: 'outage' }, signal);
    expect(none).toMatchObject({ covered: 0, lastId: NaN, trades: [] });
  });

  it('a hole without ids: the trades strictly inside its time window', async () => {
    const history = [trade(1, 100), trade(2, 150), trade(3, 180), trade(4, 200)];
    const { ex } = restExchange(history);
    const r = await recoverHole(ex, 'X/Y', { fromId: '', toId: '', missing: NaN, startedAt: 100, endedAt: 200, cause: 'outage' }, signal);
    expect(r.trades.map((t) => t.id)).toEqual(['2', '3']);
  });
});
