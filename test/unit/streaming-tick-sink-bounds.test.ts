// The tick sink's bounds (docs/architecture.md, "Queues"): a cap on trades per batch
// (shed and counted per instrument), tickers and books coalesced (counted per
// session), a credit window of unacknowledged batches, and the hold after which a
// long turn sends what it has. Turns and time are driven by hand: exact behaviour at
// each bound, nothing timed.
import { describe, expect, it } from 'vitest';
import { SOURCE_WS, TICKER_STRIDE, T_LAST, type BookTop, type TickBatch } from '../../shared/contract/tick-batch';
import { parseFromStreaming, parseToStreaming, type FromStreaming } from '../../shared/contract/streaming-protocol';
import { memoryChannel } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { defaultSettings, StreamingTuningSchema } from '../../shared/settings';
import { until } from '../support/until';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { MAX_HOLD_MS, MIN_EARLY_TICKS, TickSink } from '../../electron/streaming/tick-sink';
import { writeTrades, type RowTarget } from '../../electron/streaming/channel-calls';
import type { Trade } from 'ccxt';

function harness(maxTrades = 3) {
  const batches: TickBatch[] = [];
  const turns: (() => void)[] = [];
  let t = 1000;
  const sink = new TickSink((b) => batches.push(b), { maxTrades, schedule: (fn) => turns.push(fn), clock: () => t });
  const turn = () => {
    const due = turns.splice(0);
    for (const fn of due) fn();
  };
  return { sink, batches, turn, advance: (ms: number) => (t += ms) };
}

const ticker = (sink: TickSink, key: string, last: number, ring: LatencyRing) => sink.ticker(key, 1, 2, last, 0, 0, 0, 1, 1000, SOURCE_WS, ring);
const trade = (sink: TickSink, key: string, id: string, ring: LatencyRing) => sink.trade(key, id, 10, 1, 1, 1, 1000, SOURCE_WS, ring);
const book = (key: string, bid: number): BookTop => ({ key, bids: [[bid, 1]], asks: [[bid + 1, 1]], eventTime: NaN, receivedAt: 1000, source: SOURCE_WS, state: 1, updateId: NaN });

describe('TickSink: trades capped per batch', () => {
  it('refuses trades past the cap (the caller counts them as shed) and takes them again in the next batch', () => {
    const { sink, batches, turn } = harness(3);
    const sim = new LatencyRing();
    const other = new LatencyRing();
    expect([trade(sink, 'sim|A', '1', sim), trade(sink, 'sim|A', '2', sim), trade(sink, 'x|B', '3', other)]).toEqual([true, true, true]);
    expect([trade(sink, 'sim|A', '4', sim), trade(sink, 'x|B', '5', other), trade(sink, 'sim|A', '6', sim)]).toEqual([false, false, false]);
    ticker(sink, 'sim|A', 5, sim); // tickers are never refused
    turn();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.tradeIds).toEqual(['1', '2', '3']);
    expect(batches[0]!.tickers.length).toBe(TICKER_STRIDE);
    expect(sink.tally(sim)).toEqual({ written: 5, coalesced: 0, shed: 2 });
    expect(sink.tally(other)).toEqual({ written: 2, coalesced: 0, shed: 1 });
    expect(trade(sink, 'sim|A', '7', sim)).toBe(true);
    turn();
    expect(batches[1]!.tradeIds).toEqual(['7']);
  });

  it('writeTrades counts what the sink sheds on the instrument that lost it', () => {
    const { sink, batches, turn } = harness(2);
    const target: RowTarget = { sink, instrument: 'sim|A', source: SOURCE_WS, exchangeLatency: undefined, processingLatency: new LatencyRing(), bookDepth: 10, tradesShed: 0 };
    const trades = [1, 2, 3, 4, 5].map((i) => ({ id: String(i), timestamp: i, price: 10, amount: 1, side: 'buy', info: {} }) as unknown as Trade);
    writeTrades(target, trades, 1000);
    turn();
    expect(batches[0]!.tradeIds).toEqual(['1', '2']);
    expect(target.tradesShed).toBe(3);
  });
});

describe('TickSink: tickers and books coalesce to the newest per instrument', () => {
  it('counts each replaced ticker and book for the session that wrote it', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    for (let i = 0; i < 4; i++) ticker(sink, 'sim|A', 100 + i, ring);
    ticker(sink, 'sim|B', 7, ring);
    sink.book(book('sim|A', 1), ring);
    sink.book(book('sim|A', 2), ring);
    turn();
    expect(batches[0]!.tickers.length).toBe(2 * TICKER_STRIDE);
    expect(batches[0]!.tickers[T_LAST]).toBe(103);
    expect(batches[0]!.books.map((b) => b.bids[0]![0])).toEqual([2]);
    expect(sink.tally(ring)).toEqual({ written: 7, coalesced: 4, shed: 0 });
    ticker(sink, 'sim|A', 200, ring); // a new batch: not coalesced with the one sent
    turn();
    expect(sink.tally(ring).coalesced).toBe(4);
  });

  it('ticksOut counts the ticks that left, as the engine counts them: not the coalesced, shed or pending ones', () => {
    const { sink, batches, turn } = harness(2);
    const ring = new LatencyRing();
    for (let i = 0; i < 3; i++) ticker(sink, 'sim|A', 100 + i, ring); // 2 coalesced
    sink.book(book('sim|A', 1), ring);
    sink.book(book('sim|A', 2), ring); // 1 coalesced
    for (const id of ['1', '2', '3']) trade(sink, 'sim|A', id, ring); // 1 shed at the cap
    expect(sink.ticksOut).toBe(0);
    turn();
    const b = batches[0]!;
    const engineCount = b.tickers.length / TICKER_STRIDE + b.tradeIds.length + b.books.length;
    expect(sink.ticksIn).toBe(8);
    expect(sink.ticksPending).toBe(0);
    expect(sink.ticksOut).toBe(4);
    expect(sink.ticksOut).toBe(engineCount);
    expect(sink.ticksPending).toBe(0);
    ticker(sink, 'sim|B', 7, ring); // pending: not out yet
    ticker(sink, 'sim|B', 8, ring);
    expect(sink.ticksOut).toBe(4);
    expect(sink.ticksPending).toBe(1);
    turn();
    expect(sink.ticksOut).toBe(5);
    expect(sink.ticksPending).toBe(0);
  });
});

describe('TickSink: a long turn does not hold its first ticks back', () => {
  /** n trades with ids `${prefix}0`.. */
  const trades = (sink: TickSink, prefix: string, n: number, ring: LatencyRing) => {
    for (let i = 0; i < n; i++) trade(sink, 'sim|A', `${prefix}${i}`, ring);
  };
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('sends what it has once the batch was held MAX_HOLD_MS with MIN_EARLY_TICKS in it, then goes on batching until the turn ends', () => {
    const { sink, batches, turn, advance } = harness(100);
    const ring = new LatencyRing();
    ticker(sink, 'sim|A', 1, ring);
    trades(sink, 'a', MIN_EARLY_TICKS - 2, ring);
    advance(MAX_HOLD_MS / 2);
    trade(sink, 'sim|A', 'b', ring);
    expect(batches).toHaveLength(0); // held less than MAX_HOLD_MS: waits for the turn
    advance(MAX_HOLD_MS / 2 + 0.1);
    trade(sink, 'sim|A', 'c', ring);
    expect(batches).toHaveLength(1); // this write found the batch held too long: everything so far leaves now
    expect(batches[0]!.tradeIds).toEqual([...ids('a', MIN_EARLY_TICKS - 2), 'b', 'c']);
    expect(batches[0]!.tickers[T_LAST]).toBe(1);
    trade(sink, 'sim|A', 'd', ring);
    ticker(sink, 'sim|A', 2, ring);
    turn();
    expect(batches).toHaveLength(2); // the rest of the turn: one batch at its end
    expect(batches[1]!.tradeIds).toEqual(['d']);
    turn();
    expect(batches).toHaveLength(2);
  });

  it('a few ticks held long wait for the turn: a quiet screen\'s in-phase streams stay one batch', () => {
    const { sink, batches, turn, advance } = harness(100);
    const ring = new LatencyRing();
    for (let i = 0; i < MIN_EARLY_TICKS - 1; i++) {
      ticker(sink, `sim|S${i}`, i, ring);
      advance(MAX_HOLD_MS); // a slow machine: each message takes a full hold to handle
    }
    expect(batches).toHaveLength(0);
    turn();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.tickers.length).toBe((MIN_EARLY_TICKS - 1) * TICKER_STRIDE);
  });

  it('times the hold from when the flush was scheduled, not from receipt: an old backlog leaves as one batch', () => {
    const { sink, batches, turn, advance } = harness(100);
    const ring = new LatencyRing();
    advance(60_000); // the trades below were received a minute ago (stamped 1000)
    for (let i = 0; i < 50; i++) trade(sink, 'sim|A', String(i), ring);
    expect(batches).toHaveLength(0);
    turn();
    expect(batches.map((b) => b.tradeIds.length)).toEqual([50]);
  });

  it('a writer at flush schedules the hold too, and runs before an early send', () => {
    const { sink, batches, advance } = harness(100);
    const ring = new LatencyRing();
    sink.atFlush(() => ticker(sink, 'ib|A', 7, ring));
    trades(sink, 'a', MIN_EARLY_TICKS - 1, ring);
    advance(MAX_HOLD_MS + 0.1);
    trade(sink, 'ib|A', 'b', ring);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.tickers[T_LAST]).toBe(7);
    expect(batches[0]!.tradeIds).toEqual([...ids('a', MIN_EARLY_TICKS - 1), 'b']);
  });

  it('the credit window holds an early send back like any other', () => {
    const { sink, batches, turn, advance } = harness(100);
    const ring = new LatencyRing();
    sink.useAckWindow(1);
    ticker(sink, 'sim|A', 1, ring);
    turn();
    expect(sink.inFlight).toBe(1);
    trades(sink, 'a', MIN_EARLY_TICKS, ring);
    advance(MAX_HOLD_MS * 5);
    trade(sink, 'sim|A', 'b', ring);
    expect(batches).toHaveLength(1); // window full: nothing leaves early
    sink.ack(0);
    turn(); // the flush this turn had scheduled sends it
    expect(batches).toHaveLength(2);
    expect(batches[1]!.tradeIds).toEqual([...ids('a', MIN_EARLY_TICKS), 'b']);
  });

  it('sends early only while less than half the window is unacknowledged: a parent further behind gets whole turns', () => {
    const { sink, batches, turn, advance } = harness(100);
    const ring = new LatencyRing();
    sink.useAckWindow(4);
    ticker(sink, 'sim|A', 1, ring);
    turn(); // one in flight: a quarter of the window
    trades(sink, 'a', MIN_EARLY_TICKS, ring);
    advance(MAX_HOLD_MS + 0.1);
    trade(sink, 'sim|A', 'b', ring);
    expect(batches).toHaveLength(2); // early: the parent keeps up
    expect(sink.inFlight).toBe(2); // half the window
    trades(sink, 'c', MIN_EARLY_TICKS, ring);
    advance(MAX_HOLD_MS + 0.1);
    trade(sink, 'sim|A', 'd', ring);
    expect(batches).toHaveLength(2); // held to the turn's end: an early batch would only queue
    turn();
    expect(batches).toHaveLength(3);
    expect(batches[2]!.tradeIds).toEqual([...ids('c', MIN_EARLY_TICKS), 'd']);
    sink.ack(2);
    trades(sink, 'e', MIN_EARLY_TICKS, ring);
    advance(MAX_HOLD_MS + 0.1);
    trade(sink, 'sim|A', 'f', ring);
    expect(batches).toHaveLength(4); // caught up again: early sends resume
  });
});

describe('TickSink: credit window of unacknowledged batches', () => {
  it('posts nothing while the window is full, coalescing meanwhile, and sends at once on an ack', () => {
    const { sink, batches, turn, advance } = harness(100);
    const ring = new LatencyRing();
    sink.useAckWindow(2);
    ticker(sink, 'sim|A', 1, ring);
    turn();
    ticker(sink, 'sim|A', 2, ring);
    turn();
    expect(batches.map((b) => b.seq)).toEqual([0, 1]);
    expect(sink.inFlight).toBe(2);

    // Window full: the third batch waits, absorbing writes.
    ticker(sink, 'sim|A', 3, ring);
    trade(sink, 'sim|A', 't1', ring);
    turn();
    advance(700);
    ticker(sink, 'sim|A', 4, ring);
    trade(sink, 'sim|A', 't2', ring);
    turn();
    expect(batches).toHaveLength(2);
    expect(sink.windowWaits).toBe(2);
    expect(sink.takeMaxDelayMs()).toBe(700); // the oldest waiting tick shows its wait before it leaves
    expect(sink.tally(ring).coalesced).toBe(1);

    expect(sink.ack(0)).toBe(true);
    expect(batches).toHaveLength(3); // sent from the ack, not a turn later
    const third = batches[2]!;
    expect(third.seq).toBe(2);
    expect(third.tickers.length).toBe(TICKER_STRIDE);
    expect(third.tickers[T_LAST]).toBe(4);
    expect(third.tradeIds).toEqual(['t1', 't2']);
    expect(sink.inFlight).toBe(2);

    expect(sink.ack(7)).toBe(false); // never sent: ignored
    expect(sink.inFlight).toBe(2);
    expect(sink.ack(0)).toBe(true); // stale: no change
    expect(sink.ack(2)).toBe(true);
    expect(sink.inFlight).toBe(0);
    expect(batches).toHaveLength(3); // nothing pending, nothing sent
  });

  it('without a window (a parent that does not acknowledge) every turn sends', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    for (let i = 0; i < 20; i++) {
      ticker(sink, 'sim|A', i, ring);
      turn();
    }
    expect(batches).toHaveLength(20);
    expect(sink.windowWaits).toBe(0);
  });

  it('close() sends what waits even with the window full', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    sink.useAckWindow(1);
    ticker(sink, 'sim|A', 1, ring);
    turn();
    ticker(sink, 'sim|A', 2, ring);
    turn();
    expect(batches).toHaveLength(1);
    sink.close();
    expect(batches.map((b) => b.tickers[T_LAST])).toEqual([1, 2]);
  });

  it('the ack and the window are part of the validated contract', () => {
    expect(parseToStreaming({ type: 'ticks-ack', seq: 4 }).ok).toBe(true);
    expect(parseToStreaming({ type: 'ticks-ack', seq: -1 }).ok).toBe(false);
    expect(parseToStreaming({ type: 'ticks-ack', seq: 1.5 }).ok).toBe(false);
    expect(parseToStreaming({ type: 'ticks-ack' }).ok).toBe(false);
    const configure = { type: 'configure', exchanges: [], streaming: StreamingTuningSchema.parse({}), parentPid: 1, heartbeatMs: 500 };
    expect(parseToStreaming(configure).ok).toBe(true); // a parent that does not acknowledge
    expect(parseToStreaming({ ...configure, ackWindow: 8 }).ok).toBe(true);
    expect(parseToStreaming({ ...configure, ackWindow: 0 }).ok).toBe(false);
  });
});

describe('StreamingService: the acknowledgement reaches its sink', () => {
  it('refuses an ack of a batch never sent with an error record, and keeps running', async () => {
    const { child, parent } = memoryChannel();
    const got: FromStreaming[] = [];
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (p.ok) got.push(p.value);
    });
    const service = new StreamingService({ port: child, exit: () => undefined });
    service.start();
    parent.send({ type: 'configure', exchanges: [], streaming: defaultSettings().streaming, parentPid: process.pid, heartbeatMs: 1000, ackWindow: 4 });
    parent.send({ type: 'ticks-ack', seq: 3 });
    const records = () => got.flatMap((m) => (m.type === 'log' ? m.records : []));
    await until(() => records().some((r) => r.message.includes('ticks-ack')), 'the ack refused', 5000);
    expect(records().find((r) => r.message.includes('ticks-ack'))).toMatchObject({ level: 'error', scope: 'protocol', fields: { seq: 3 } });
    await service.shutdown(500);
  });
});

describe('TickSink: writers at flush', () => {
  it('runs each registered writer once as the batch leaves; its rows leave in that batch, with no turn of their own', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    const trace: string[] = [];
    sink.atFlush(() => {
      trace.push('quotes');
      ticker(sink, 'ib|A', 7, ring);
      sink.atFlush(() => trace.push('registered while flushing')); // runs in the same pass
    });
    trade(sink, 'ib|A', '1', ring);
    expect(batches).toEqual([]);
    turn();
    expect(trace).toEqual(['quotes', 'registered while flushing']);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.tickers[T_LAST]).toBe(7);
    expect(batches[0]!.tradeIds).toEqual(['1']);
    turn(); // nothing was scheduled by the writer's own rows
    expect(batches).toHaveLength(1);
    expect(trace).toHaveLength(2);
  });

  it('a cancelled writer does not run; cancelling one that ran leaves the next alone', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    const trace: string[] = [];
    const cancel = sink.atFlush(() => trace.push('cancelled'));
    cancel();
    ticker(sink, 'ib|A', 1, ring);
    turn();
    expect(trace).toEqual([]);
    expect(batches).toHaveLength(1);
    const ran = sink.atFlush(() => trace.push('first'));
    turn();
    sink.atFlush(() => trace.push('second')); // at the index the first had
    ran();
    turn();
    expect(trace).toEqual(['first', 'second']);
  });

  it('candle messages leave with the ticks of their turn, in order; alone they schedule a batch of their own', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    const key = { exchange: 'sim', symbol: 'A', timeframe: '1m' } as const;
    const update = (c: number) => ({ type: 'candle-update', key, candle: { t: 60_000, o: 1, h: 9, l: 1, c, v: 1 }, receivedAt: 1000 }) as const;
    ticker(sink, 'sim|A', 5, ring);
    // as the candle service flushes: at the batch's flush
    sink.atFlush(() => {
      sink.candle(update(2));
      sink.candle(update(3));
    });
    turn();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.tickers[T_LAST]).toBe(5);
    expect(batches[0]!.candles).toEqual([update(2), update(3)]);
    sink.candle({ type: 'candle-state', key, state: 'reconnecting' });
    turn();
    expect(batches).toHaveLength(2);
    expect(batches[1]!.keys).toEqual([]);
    expect(batches[1]!.candles).toEqual([{ type: 'candle-state', key, state: 'reconnecting' }]);
    turn();
    expect(batches).toHaveLength(2);
  });

  it('a writer alone schedules the flush; with the window full its rows wait in the pending batch; close runs it', () => {
    const { sink, batches, turn } = harness();
    const ring = new LatencyRing();
    sink.atFlush(() => ticker(sink, 'ib|A', 1, ring));
    turn();
    expect(batches).toHaveLength(1);
    sink.useAckWindow(1);
    ticker(sink, 'ib|B', 1, ring);
    turn();
    expect(batches).toHaveLength(2); // one in flight: the window is full
    sink.atFlush(() => ticker(sink, 'ib|A', 2, ring));
    turn();
    expect(batches).toHaveLength(2); // written, waiting for the ack
    expect(sink.windowWaits).toBe(1);
    sink.atFlush(() => ticker(sink, 'ib|A', 3, ring));
    sink.close();
    expect(batches).toHaveLength(3);
    expect(batches[2]!.keys).toEqual(['ib|A']);
    expect(batches[2]!.tickers[T_LAST]).toBe(3); // the waiting row and the close's writer coalesced
    sink.atFlush(() => ticker(sink, 'ib|A', 4, ring)); // after close: ignored
    turn();
    expect(batches).toHaveLength(3);
  });
});
