import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { MAX_HOLES_FOR_REST, catchUpAfterReconnect, recoverTapeHole } from '../../electron/streaming/trades/tape-recovery';
import { RestLane, STREAM_REST_SLOTS } from '../../electron/streaming/rest-lane';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription } from '../../electron/streaming/subscription';
import type { StreamExchange, WsClientLike } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import type { TapeHole } from '../../electron/streaming/trades/tape-continuity';
import { FakeTime, settle } from './streaming-fake-time';

function setup(fetchTrades: () => Promise<unknown[]>) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const log = { event: (e: { kind: string; message?: string }) => void trace.push(`${e.kind}: ${e.message}`), record: () => undefined };
  const report = new SessionReport('sim', log, { error: (cls, m) => void trace.push(`error ${cls}: ${m}`) }, () => trace.push('changed'));
  const sink = {
    trade: (_k: string, id: string) => void trace.push(`trade ${id}`),
    gap: (g: { fromId: string; toId: string; missing: number; recovered: number }) => void trace.push(`gap ${g.fromId}..${g.toId} missing ${g.missing} recovered ${g.recovered}`),
  } as unknown as TickSink;
  const sub = createSubscription({ exchange: 'sim', symbol: 'BTC/USDT', channel: 'trades' }, owner, { sink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 }, time.now(), 0);
  const ex = { has: { fetchTrades: true }, fetchTrades } as unknown as StreamExchange;
  return { time, owner, trace, sub, host: { exchange: () => ex, clock: time, report, restLane: new RestLane(STREAM_REST_SLOTS), tapeCurrent: () => void trace.push('tape current') } };
}

const hole: TapeHole = { fromId: '11', toId: '13', missing: 3, startedAt: 1000, endedAt: 1500, cause: 'id-jump' };
const trade = (id: number, ts: number) => ({ id: String(id), timestamp: ts, price: 100, amount: 1, side: 'buy', info: { f: id, l: id } });

describe('recoverTapeHole', () => {
  it('sends the recovered trades, then the marker saying how much was recovered, and counts it', async () => {
    const { trace, sub, host } = setup(async () => [trade(10, 1000), trade(11, 1100), trade(13, 1300), trade(14, 1500)]);
    recoverTapeHole(host, sub, hole);
    await settle();
    expect(trace).toEqual(['trade 11', 'trade 13', 'gap 11..13 missing 3 recovered 2', 'TRADES_GAP: 500 ms without trades (id-jump); 2 of 3 trades recovered (ids 11..13)', 'changed']);
    expect(sub.tapeGaps).toEqual({ gaps: 1, recovered: 2, unrecovered: 1 });
  });

  it('a REST failure is counted and the hole is still marked, unrecovered', async () => {
    const { trace, sub, host } = setup(() => Promise.reject(new Error('down')));
    recoverTapeHole(host, sub, hole);
    await settle();
    expect(trace).toEqual(['error exchange: down', 'changed', 'gap 11..13 missing 3 recovered 0', 'TRADES_GAP: 500 ms without trades (id-jump); 0 of 3 trades recovered (ids 11..13)', 'changed']);
    expect(sub.tapeGaps).toEqual({ gaps: 1, recovered: 0, unrecovered: 3 });
  });

  it('recovers one hole at a time, in order; holes past the bound are marked in their turn without asking REST', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: number[] = [];
    const { time, trace, sub, host } = setup(() => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push(time.now());
      return new Promise((r) => time.setTimeout(() => {
        inFlight--;
        r([]);
      }, 100));
    });
    const holes = Array.from({ length: MAX_HOLES_FOR_REST + 2 }, (_, i): TapeHole => ({ fromId: String(10 * i + 1), toId: String(10 * i + 2), missing: 2, startedAt: 1000, endedAt: 1100, cause: 'id-jump' }));
    for (const h of holes) recoverTapeHole(host, sub, h);
    await time.advance(1000);
    expect(maxInFlight).toBe(1);
    expect(calls).toHaveLength(MAX_HOLES_FOR_REST);
    expect(trace.filter((l) => l.startsWith('gap '))).toEqual(holes.map((h) => `gap ${h.fromId}..${h.toId} missing 2 recovered 0`));
    expect(trace.filter((l) => l.includes('not asked of REST'))).toHaveLength(2);
    expect(sub.tapeGaps).toEqual({ gaps: holes.length, recovered: 0, unrecovered: 2 * holes.length });
    // the queue is gone once drained: the next hole is asked of REST again
    recoverTapeHole(host, sub, { ...holes[0]!, fromId: '91', toId: '92' });
    await time.advance(200);
    expect(calls).toHaveLength(MAX_HOLES_FOR_REST + 1);
  });

  it('a subscription that ends while REST answers sends nothing', async () => {
    const { time, trace, sub, host } = setup(() => new Promise((r) => time.setTimeout(() => r([trade(11, 1100)]), 100)));
    recoverTapeHole(host, sub, hole);
    sub.owner.dispose();
    await time.advance(100);
    expect(trace).toEqual([]);
    expect(sub.tapeGaps.gaps).toBe(0);
  });

  it("the session's tapes ask REST through its lane: at most STREAM_REST_SLOTS reads in ccxt's queue at once, all of them served", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { time, owner, trace, host } = setup(() => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((r) => time.setTimeout(() => {
        inFlight--;
        r([]);
      }, 100));
    });
    // ten tapes of one session, each with a hole at once (a reconnect)
    const sink = { trade: () => undefined, gap: () => undefined } as unknown as TickSink;
    const subs = Array.from({ length: 10 }, (_, i) => createSubscription({ exchange: 'sim', symbol: `S${i}/USDT`, channel: 'trades' }, owner, { sink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 }, time.now(), 0));
    for (const sub of subs) recoverTapeHole(host, sub, hole);
    await time.advance(100 * Math.ceil(subs.length / STREAM_REST_SLOTS));
    expect(maxInFlight).toBe(STREAM_REST_SLOTS);
    expect(trace.filter((l) => l.startsWith('TRADES_GAP'))).toHaveLength(subs.length);
  });

  describe('catch-up after a reconnect', () => {
    /** A trade tape that saw ids 9 and 10 (at 900 and 1000), then lost its stream at 1100. */
    function interrupted(fetchTrades: () => Promise<unknown[]>) {
      const s = setup(fetchTrades);
      const tape = s.sub.target.tape!;
      tape.accept('9', 900);
      tape.accept('10', 1000);
      tape.interrupted(1100);
      let open!: () => void;
      const client = { connected: new Promise<void>((r) => (open = r)) } as unknown as WsClientLike;
      let fail!: (e: Error) => void;
      const watch = new Promise((_r, j) => (fail = j));
      watch.catch(() => undefined);
      return { ...s, tape, client, watch, open, fail };
    }

    it('once the socket is open: what REST has after the last trade seen, with its marker', async () => {
      const { trace, sub, host, tape, client, watch, open } = interrupted(async () => [trade(10, 1000), trade(11, 1100), trade(12, 1200)]);
      catchUpAfterReconnect(host, sub, client, watch);
      await settle();
      expect(trace).toEqual([]); // the socket is not open yet
      open();
      await settle();
      expect(trace).toEqual(['trade 11', 'trade 12', 'gap 11..12 missing 2 recovered 2', expect.stringMatching(/^TRADES_GAP: \d+ ms without trades \(outage\); 2 of 2 trades recovered \(ids 11..12\)$/), 'changed', 'tape current']);
      expect(sub.tapeGaps).toEqual({ gaps: 1, recovered: 2, unrecovered: 0 });
      expect([tape.newestId, tape.catchUpPoint()]).toEqual([12, undefined]);
      expect(tape.accept('13', 1300) && tape.hole).toBeUndefined(); // the stream goes on from there
    });

    it('a watch that fails before the socket opens asks nothing of REST', async () => {
      let calls = 0;
      const { trace, sub, host, client, watch, fail } = interrupted(async () => {
        calls++;
        return [];
      });
      catchUpAfterReconnect(host, sub, client, watch);
      fail(new Error('refused'));
      await settle();
      expect([calls, trace]).toEqual([0, []]);
    });

    it('nothing missed: no marker, and the tape is current (a quiet market need not trade to restore it)', async () => {
      const { trace, sub, host, tape, client, watch, open } = interrupted(async () => [trade(10, 1000)]);
      catchUpAfterReconnect(host, sub, client, watch);
      open();
      await settle();
      expect(trace).toEqual(['tape current']);
      expect(tape.catchUpPoint()).toEqual({ afterId: 10, lastTs: 1000 });
    });

    it('a REST failure: counted, and the tape is not called current (the next trade shows any hole, as before)', async () => {
      const { trace, sub, host, client, watch, open } = interrupted(() => Promise.reject(new Error('down')));
      catchUpAfterReconnect(host, sub, client, watch);
      open();
      await settle();
      expect(trace).toEqual(['error exchange: down', 'changed']);
    });

    it('a stream trade during the REST read: the catch-up stands down (the hole check of the stream covers it)', async () => {
      const { time, trace, sub, host, tape, client, watch, open } = interrupted(() => new Promise((r) => time.setTimeout(() => r([trade(11, 1100), trade(12, 1200), trade(13, 1300)]), 100)));
      catchUpAfterReconnect(host, sub, client, watch);
      open();
      await settle();
      tape.accept('13', 1300); // the stream's first trade after the reconnect: reveals 11..12
      expect(tape.hole).toMatchObject({ fromId: '11', toId: '12' });
      await time.advance(100);
      expect(trace).toEqual([]);
    });

    it('a tape that held no trade before the outage: current once the socket is open, with nothing asked of REST', async () => {
      let calls = 0;
      const { trace, sub, host } = setup(async () => (calls++, []));
      sub.target.tape!.interrupted(1100);
      let open!: () => void;
      const client = { connected: new Promise<void>((r) => (open = r)) } as unknown as WsClientLike;
      catchUpAfterReconnect(host, sub, client, new Promise(() => undefined));
      await settle();
      expect(trace).toEqual([]);
      open();
      await settle();
      expect([calls, trace]).toEqual([0, ['tape current']]);
    });

    it('one catch-up per subscription waits for its socket', async () => {
      let calls = 0;
      const { sub, host, client, watch, open } = interrupted(async () => (calls++, [trade(11, 1100)]));
      catchUpAfterReconnect(host, sub, client, watch);
      catchUpAfterReconnect(host, sub, client, watch);
      open();
      await settle();
      expect(calls).toBe(1);
    });
  });
});
