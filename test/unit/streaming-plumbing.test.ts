import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseFromStreaming, type FromStreaming } from '../../shared/contract/streaming-protocol';
import { SOURCE_WS, TICKER_STRIDE, T_LAST, type TickBatch } from '../../shared/contract/tick-batch';
import { EventLog } from '../../electron/streaming/event-log';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { memoryChannel } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { TickSink } from '../../electron/streaming/tick-sink';
import { defaultSettings } from '../../shared/settings';
import { until } from '../support/until';
import { fakeScheduler } from '../support/fake-scheduler';
import type { MemoryProbe } from '../../electron/streaming/idle-memory-trim';

const turn = () => new Promise((r) => setImmediate(r));

describe('TickSink', () => {
  it('sends one batch per event-loop turn, coalescing tickers and keeping every trade', async () => {
    const batches: TickBatch[] = [];
    // a clock that stands still: this turn never outlasts MAX_HOLD_MS (tick-sink-bounds tests that)
    const sink = new TickSink((b) => batches.push(b), { clock: () => 2 });
    const ring = new LatencyRing(1024);
    for (let i = 0; i < 100; i++) sink.ticker('sim|BTC/USDT', 1, 2, 100 + i, 0, 0, 0, 1, 2, SOURCE_WS, ring);
    sink.trade('sim|BTC/USDT', 't1', 10, 1, 1, 1, 2, SOURCE_WS, ring);
    sink.trade('sim|BTC/USDT', 't2', 11, 1, -1, 1, 2, SOURCE_WS, ring);
    expect(batches).toHaveLength(0); // nothing leaves synchronously
    await turn();
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    expect(b.tickers.length).toBe(TICKER_STRIDE);
    expect(b.tickers[T_LAST]).toBe(199);
    expect(b.tradeIds).toEqual(['t1', 't2']);
    expect(sink.ticksIn).toBe(102);
    expect(ring.size).toBe(102); // processing latency sampled per tick
    await turn();
    expect(batches).toHaveLength(1); // no empty batches
    sink.ticker('sim|ETH/USDT', 1, 2, 3, 0, 0, 0, 1, 2, SOURCE_WS, ring);
    await turn();
    expect(batches.map((x) => x.seq)).toEqual([0, 1]);
    expect(parseFromStreaming(batches[1]).ok).toBe(true);
  });
});

describe('EventLog', () => {
  it('batches connection events and mirrors them as log records', async () => {
    const out: FromStreaming[] = [];
    const log = new EventLog((m) => out.push(m as FromStreaming));
    log.event({ kind: 'CONNECTING', exchange: 'sim', symbol: undefined });
    log.event({ kind: 'STALE', exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' });
    await turn();
    expect(out.map((m) => m.type)).toEqual(['connection-events', 'log']);
    for (const m of out) expect(parseFromStreaming(m).ok).toBe(true);
    const ev = out[0] as Extract<FromStreaming, { type: 'connection-events' }>;
    expect(ev.events.map((e) => e.kind)).toEqual(['CONNECTING', 'STALE']);
    expect('symbol' in ev.events[0]!).toBe(false);
    const logs = out[1] as Extract<FromStreaming, { type: 'log' }>;
    expect(logs.records.map((r) => r.level)).toEqual(['info', 'warn']);
  });
});

describe('StreamingService protocol', () => {
  let service: StreamingService | undefined;
  afterEach(async () => {
    await service?.shutdown(500);
  });

  it('announces ready, answers invalid messages with an error log record and keeps running', async () => {
    const { child, parent } = memoryChannel();
    const got: FromStreaming[] = [];
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      expect(p.ok).toBe(true);
      if (p.ok) got.push(p.value);
    });
    const exits: number[] = [];
    service = new StreamingService({ port: child, exit: (c) => exits.push(c) });
    service.start();
    parent.send({ type: 'subscribe', subs: [{ exchange: 'sim', symbol: 'BTC/USDT', channel: 'bogus' }] });
    parent.send('garbage');
    parent.send({ type: 'subscribe', subs: [{ exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' }] }); // before configure
    const records = () => got.flatMap((m) => (m.type === 'log' ? m.records : []));
    await until(() => records().some((r) => r.message.includes('before configure')), 'the record logged before configure', 5000);
    expect(got[0]).toEqual({ type: 'ready', pid: process.pid });
    // The second invalid message repeats the first: counted at the source, summarised later.
    expect(records().filter((r) => r.level === 'error' && r.message.includes('invalid message'))).toHaveLength(1);

    parent.send({ type: 'configure', exchanges: [], streaming: defaultSettings().streaming, parentPid: process.pid, heartbeatMs: 20 });
    await until(() => got.filter((m) => m.type === 'heartbeat').length >= 2, 'two heartbeats', 5000);
    const beats = got.filter((m) => m.type === 'heartbeat');
    const v = beats[0]!.type === 'heartbeat' ? beats[0]!.vitals : undefined;
    expect(v?.pid).toBe(process.pid);
    expect(v?.tasks['heartbeat']).toBe(1);
    // the parent's pid is polled on the heartbeat (no timer of its own); the channel's close is a handler
    expect(v?.tasks['parent-watch']).toBeUndefined();
    expect(v?.tasks['handler']).toBe(2);
    // Each beat counts the loop's progress and says how late it fired.
    expect(beats.slice(0, 2).map((b) => (b.type === 'heartbeat' ? b.progress : 0))).toEqual([1, 2]);
    for (const b of beats) expect(b.type === 'heartbeat' && b.lagMs >= 0).toBe(true);

    parent.send({ type: 'shutdown', deadlineMs: 1000 });
    await until(() => got.some((m) => m.type === 'shutdown-report'), 'the shutdown report', 5000);
    const report = got.find((m) => m.type === 'shutdown-report');
    expect(report?.type === 'shutdown-report' && report.report.clean).toBe(true);
    expect(report?.type === 'shutdown-report' && report.report.leftoverTasks).toEqual({});
    expect(exits).toEqual([0]);
    expect(service.allTasks()).toEqual({});
  });

  it('shuts itself down when the channel to the parent closes', async () => {
    const { child, parent } = memoryChannel();
    const exits: number[] = [];
    service = new StreamingService({ port: child, exit: (c) => exits.push(c) });
    service.start();
    parent.send({ type: 'configure', exchanges: [], streaming: defaultSettings().streaming, parentPid: process.pid, heartbeatMs: 1000 });
    await until(() => service!.allTasks()['heartbeat'] === 1, 'the parent watch (with the heartbeat)', 5000);
    parent.disconnect();
    await until(() => exits.length > 0, 'the exit', 5000);
    expect(exits).toEqual([0]);
  });

  it('gives memory back on the heartbeat once quiet, and its vitals count it', async () => {
    vi.useFakeTimers();
    try {
      const { child, parent } = memoryChannel();
      const got: FromStreaming[] = [];
      parent.onMessage((m) => {
        const p = parseFromStreaming(m);
        if (p.ok) got.push(p.value);
      });
      const collections: string[] = [];
      let young = 128 * 1024 * 1024;
      const memory: MemoryProbe = {
        youngBytes: () => young,
        rssBytes: () => 200e6,
        collect: () => {
          collections.push(`collect at ${Date.now() - t0}`);
          young = 1024 * 1024;
          return { done: Promise.resolve(), close: () => undefined };
        },
      };
      const t0 = Date.now();
      service = new StreamingService({ port: child, exit: () => undefined, scheduler: fakeScheduler, memory });
      service.start();
      parent.send({ type: 'configure', exchanges: [], streaming: defaultSettings().streaming, parentPid: process.pid, heartbeatMs: 500 });
      await vi.advanceTimersByTimeAsync(9_000);
      expect(collections).toEqual([]);
      await vi.advanceTimersByTimeAsync(3_000);
      // quiet from the first beat (500 ms): the beat 10 s after it
      expect(collections).toEqual(['collect at 10500']);
      await vi.advanceTimersByTimeAsync(1_000);
      const last = got.filter((m) => m.type === 'heartbeat').at(-1);
      expect(last?.type === 'heartbeat' && last.vitals.memoryTrims).toBe(1);
      const trimLog = got.flatMap((m) => (m.type === 'log' ? m.records : [])).filter((r) => r.scope === 'memory');
      expect(trimLog.map((r) => r.message)).toEqual(['memory given back while quiet']);
      const done = service.shutdown(500);
      await vi.advanceTimersByTimeAsync(1_000);
      await done;
      service = undefined;
    } finally {
      vi.useRealTimers();
    }
  });
});
