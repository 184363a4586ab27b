// Overload made visible, engine side: each exchange reports offered vs processed
// messages/s and what its sink coalesced; the engine sums them for the terminal,
// adds both processes' event-loop lags, and (panel hidden) speaks up when the set of
// exchanges behind changes. All on fake time.
import { describe, expect, it } from 'vitest';
import { ExchangeStatusSchema, TerminalLoadSchema, terminalLoad, type ExchangeStatus } from '../../shared/contract/status';
import { ToRendererSchema, type ToRenderer } from '../../shared/contract/renderer-api';
import { DiagnosticsReporter } from '../../electron/engine/diagnostics/diagnostics-reporter';
import type { StreamingSnapshot } from '../../electron/engine/supervisor/streaming-snapshot';
import { SessionStats } from '../../electron/streaming/session-stats';
import { TickSink } from '../../electron/streaming/tick-sink';
import { SOURCE_WS } from '../../shared/contract/tick-batch';
import type { Scheduler } from '../../shared/lifecycle/timers';
import { ERROR_CLASSES } from '../../shared/market';
import { FakeTime } from './streaming-fake-time';

function exchange(id: string, over: Partial<ExchangeStatus> = {}): ExchangeStatus {
  return {
    exchange: id, state: 'connected', mode: 'live', reconnects: 0, attempt: 0, connections: 1, messagesPerSec: 0,
    exchangeLatencyMs: { p50: 0, p99: 0 }, processingLatencyMs: { p50: 0, p99: 0 }, errors: Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as ExchangeStatus['errors'], ...over,
  };
}

describe('ExchangeStatus load fields', () => {
  it('validates processed msg/s and tickers coalesced where they cross a boundary', () => {
    expect(ExchangeStatusSchema.safeParse(exchange('sim', { processedPerSec: 12.5, tickersCoalesced: 3 })).success).toBe(true);
    for (const bad of [-1, Infinity, NaN]) expect(ExchangeStatusSchema.safeParse(exchange('sim', { processedPerSec: bad })).success).toBe(false);
    for (const bad of [-1, 1.5]) expect(ExchangeStatusSchema.safeParse(exchange('sim', { tickersCoalesced: bad })).success).toBe(false);
  });
});

describe('SessionStats: offered vs processed', () => {
  it('reports frames offered and ticks processed per second over the same window, and the coalesced count', async () => {
    const time = new FakeTime();
    const sink = new TickSink(() => undefined, { schedule: () => undefined, clock: () => 1 }); // one turn, never outlasting MAX_HOLD_MS
    const stats = new SessionStats(time, sink);
    const base = { exchange: 'sim', state: 'connected' as const, mode: 'live' as const, reconnects: 0, attempt: 0, connections: 1 };
    for (let i = 0; i < 100; i++) stats.message();
    for (let i = 0; i < 40; i++) sink.ticker('sim|A', 1, 2, i, 0, 0, 0, 1, 1, SOURCE_WS, stats.processingLatency);
    await time.advance(250);
    const s = stats.status(base);
    expect(s.messagesPerSec).toBe(400); // 100 frames in 250 ms
    expect(s.processedPerSec).toBe(160); // 40 ticks in 250 ms
    expect(s.tickersCoalesced).toBe(39); // one batch pending: 39 replaced by a newer one
    expect(ExchangeStatusSchema.safeParse(s).success).toBe(true);
  });
});

describe('terminalLoad', () => {
  it('sums the exchanges and names those behind', () => {
    const load = terminalLoad([
      exchange('a', { messagesPerSec: 1000, processedPerSec: 600, tickersCoalesced: 5, tradesShed: 7, behind: true }),
      exchange('b', { messagesPerSec: 10, processedPerSec: 10 }),
      exchange('c', { messagesPerSec: 5, behind: true }),
    ]);
    expect(load).toEqual({ offeredPerSec: 1015, processedPerSec: 610, tickersCoalesced: 5, tradesShed: 7, behind: ['a', 'c'] });
    expect(terminalLoad([])).toEqual({ offeredPerSec: 0, processedPerSec: 0, tickersCoalesced: 0, tradesShed: 0, behind: [] });
  });

  it('is validated inside the diagnostics message', () => {
    const d = { at: 1, streaming: { restarts: 0, state: 'running' }, handlers: {}, components: [], ipc: { batchesInPerSec: 0, framesOutPerSec: 0, ticksInPerSec: 0 } };
    const load = { offeredPerSec: 1, processedPerSec: 1, tickersCoalesced: 0, tradesShed: 0, behind: [], streamingLoopLagMs: 3, hostLoopLagMs: 4 };
    expect(ToRendererSchema.safeParse({ type: 'diagnostics', diagnostics: { ...d, load } }).success).toBe(true);
    expect(TerminalLoadSchema.safeParse({ ...load, hostLoopLagMs: -1 }).success).toBe(false);
    expect(TerminalLoadSchema.safeParse({ ...load, behind: 'a' }).success).toBe(false);
    expect(TerminalLoadSchema.safeParse({ ...load, extra: 1 }).success).toBe(false);
  });
});

describe('DiagnosticsReporter: the terminal load', () => {
  function harness() {
    const time = new FakeTime();
    /** How far the host's loop is behind: timers fire, but the clock they read has moved on. */
    let blockedMs = 0;
    const scheduler: Scheduler = { now: () => time.now() + blockedMs, setTimeout: (fn, ms) => time.setTimeout(fn, ms) };
    const sent: ToRenderer[] = [];
    const supervisor: StreamingSnapshot = { vitals: undefined, pid: 1, restarts: 0, state: 'running', lastRestartReason: undefined, messagesIn: 0, batchesIn: 0, ticksIn: 0, messagesOut: 0, lostBatches: 0, invalidMessages: 0, loopLagMs: 42 };
    let exchanges: ExchangeStatus[] = [exchange('sim', { messagesPerSec: 900, processedPerSec: 300, tickersCoalesced: 11 })];
    const reporter = new DiagnosticsReporter(
      { streaming: { snapshot: () => ({ ...supervisor }) }, handlerCounts: () => ({}), components: () => [], framesSent: () => 0, broadcast: (m) => sent.push(m), exchanges: () => exchanges },
      [],
      scheduler,
    );
    const loads = () => sent.flatMap((m) => (m.type === 'diagnostics' && m.diagnostics.load ? [m.diagnostics.load] : []));
    return { time, reporter, loads, block: (ms: number) => (blockedMs = ms), setExchanges: (e: ExchangeStatus[]) => (exchanges = e) };
  }

  it('sums the exchanges, adds the streaming lag and the worst host lag since the last report', async () => {
    const h = harness();
    await h.reporter.start();
    h.reporter.setWatching('r', true);
    expect(h.loads()[0]).toEqual({ offeredPerSec: 900, processedPerSec: 300, tickersCoalesced: 11, tradesShed: 0, behind: [], streamingLoopLagMs: 42, hostLoopLagMs: 0 });
    h.block(300); // the next firing comes 300 ms late
    await h.time.advance(500);
    expect(h.loads()[1]!.hostLoopLagMs).toBe(300);
    h.block(0);
    await h.time.advance(500);
    expect(h.loads()[2]!.hostLoopLagMs).toBe(0); // reported once, then reset
    await h.reporter.stop();
  });

  it('with the panel hidden, reports when the set of exchanges behind changes, not otherwise', async () => {
    const h = harness();
    await h.reporter.start();
    await h.time.advance(1000);
    expect(h.loads().map((l) => l.behind)).toEqual([[]]);
    await h.time.advance(2000);
    expect(h.loads()).toHaveLength(1);
    h.setExchanges([exchange('sim', { messagesPerSec: 5000, behind: true, tradesShed: 9 })]);
    await h.time.advance(1000);
    h.setExchanges([exchange('sim', { messagesPerSec: 6000, behind: true, tradesShed: 12 })]); // still the same episode
    await h.time.advance(1000);
    h.setExchanges([exchange('sim', { messagesPerSec: 50 })]);
    await h.time.advance(1000);
    expect(h.loads().map((l) => [l.behind, l.offeredPerSec, l.tradesShed])).toEqual([[[], 900, 0], [['sim'], 5000, 9], [[], 50, 0]]);
    await h.reporter.stop();
  });
});
