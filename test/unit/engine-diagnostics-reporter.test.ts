// DiagnosticsReporter reads the streaming supervisor only through its snapshot().
import { describe, expect, it } from 'vitest';
import { DiagnosticsReporter, type DiagnosticsSources } from '../../electron/engine/diagnostics/diagnostics-reporter';
import type { StreamingSnapshot, StreamingSnapshotSource } from '../../electron/engine/supervisor/streaming-snapshot';
import type { ProcessVitals } from '../../shared/contract/status';

const VITALS: ProcessVitals = {
  pid: 4242, at: 1, uptimeMs: 10, rssBytes: 1, heapUsedBytes: 1, eventLoopDelayMs: { p50: 1, p99: 2 },
  tasks: { 'watch-loop': 2 }, handlers: 3, ticksIn: 90, ticksOut: 80, ticksPending: 2, batchesOut: 9,
};

/** A supervisor as the reporter sees it: nothing but snapshots, counted. */
class FakeStreaming implements StreamingSnapshotSource {
  taken = 0;
  current: StreamingSnapshot = {
    state: 'running', pid: 4242, restarts: 0, lastRestartReason: undefined, vitals: undefined,
    messagesIn: 0, batchesIn: 0, ticksIn: 0, messagesOut: 0, lostBatches: 0, invalidMessages: 0,
  };
  snapshot(): StreamingSnapshot {
    this.taken++;
    return { ...this.current };
  }
}

function reporter(streaming: FakeStreaming, refused?: DiagnosticsSources['refused']): DiagnosticsReporter {
  return new DiagnosticsReporter({
    streaming,
    handlerCounts: () => ({ 'status-changed': 1 }),
    components: () => [],
    framesSent: () => 0,
    broadcast: () => undefined,
    ...(refused ? { refused } : {}),
  });
}

describe('DiagnosticsReporter', () => {
  it('reports the streaming state from one snapshot per report', () => {
    const streaming = new FakeStreaming();
    const r = reporter(streaming);
    streaming.current = { ...streaming.current, state: 'restarting', restarts: 2, lastRestartReason: 'crashed (code 1)', vitals: VITALS };
    const d = r.snapshot();
    expect(streaming.taken).toBe(1);
    expect(d.streaming).toEqual({ state: 'restarting', restarts: 2, lastRestartReason: 'crashed (code 1)', vitals: VITALS });
  });

  it('leaves out what the snapshot does not have (no vitals yet, no restart)', () => {
    const d = reporter(new FakeStreaming()).snapshot();
    expect(d.streaming).toEqual({ state: 'running', restarts: 0 });
  });

  it('turns the counters of consecutive snapshots into rates over the same interval', () => {
    const streaming = new FakeStreaming();
    const r = reporter(streaming);
    r.snapshot();
    streaming.current = { ...streaming.current, batchesIn: 3, ticksIn: 30 };
    const d = r.snapshot();
    expect(d.ipc.batchesInPerSec).toBeGreaterThan(0);
    expect(d.ipc.ticksInPerSec / d.ipc.batchesInPerSec).toBeCloseTo(10, 9);
    // Nothing new since: zero rates, not the totals again.
    const again = r.snapshot();
    expect(again.ipc).toMatchObject({ batchesInPerSec: 0, ticksInPerSec: 0 });
  });

  it('reports what was refused: the engine’s counts and the streaming messages from the same snapshot', () => {
    const streaming = new FakeStreaming();
    streaming.current = { ...streaming.current, invalidMessages: 4 };
    const d = reporter(streaming, () => ({ marketEntries: 7, rendererMessages: 2, frameNacks: 1, ackTimeouts: 3 })).snapshot();
    expect(streaming.taken).toBe(1);
    expect(d.refused).toEqual({ marketEntries: 7, streamingMessages: 4, rendererMessages: 2, frameNacks: 1, ackTimeouts: 3 });
  });
});
