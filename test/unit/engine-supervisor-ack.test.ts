// The engine's side of the tick credit window: configure announces the window, and
// once half of it is applied, one ticks-ack at the end of the turn covers every batch
// so far (never one per batch).
import { describe, expect, it } from 'vitest';
import { TickBatchWriter, type TickBatch } from '../../shared/contract/tick-batch';
import { StreamingTuningSchema } from '../../shared/settings';
import { DEFAULT_ACK_WINDOW, StreamingSupervisor } from '../../electron/engine/supervisor/streaming-supervisor';
import { quietLogger } from '../support/loggers';
import { RecordingStreamingProcess } from '../support/fake-streaming-process';

const turn = () => new Promise((r) => setImmediate(r));

describe('StreamingSupervisor: tick batch acknowledgements', () => {
  it('announces the window and acknowledges half a window at a time, once per turn, after applying them', async () => {
    const proc = new RecordingStreamingProcess();
    const applied: number[] = [];
    const supervisor = new StreamingSupervisor(
      { spawn: () => proc, log: quietLogger, exchanges: () => [], streaming: () => StreamingTuningSchema.parse({}) },
      { ticks: (b) => applied.push(b.seq), status: () => undefined, outage: () => undefined, connectionEvents: () => undefined },
    );
    const started = supervisor.start();
    proc.send({ type: 'ready', pid: 4242 });
    await started;
    const configure = proc.posted.find((m) => m.type === 'configure');
    expect(configure && 'ackWindow' in configure ? configure.ackWindow : undefined).toBe(DEFAULT_ACK_WINDOW);

    const writer = new TickBatchWriter();
    const batch = (): TickBatch => {
      writer.ticker('sim|A', 1, 2, 3, 0, 0, 0, 1, 1, 0);
      return writer.flush(2);
    };
    const acks = () => proc.posted.filter((m) => m.type === 'ticks-ack');
    const half = DEFAULT_ACK_WINDOW / 2;
    for (let i = 0; i < half - 1; i++) proc.send(batch());
    await turn();
    expect(applied).toEqual([0, 1, 2]);
    expect(acks()).toEqual([]); // fewer than half the window: the process has room, no ack wakes it
    proc.send(batch());
    proc.send(batch());
    expect(acks()).toEqual([]); // not per batch: at the end of the turn
    await turn();
    expect(acks()).toEqual([{ type: 'ticks-ack', seq: 4 }]); // one ack covers every batch so far
    for (let i = 0; i < half - 1; i++) proc.send(batch());
    await turn();
    expect(acks()).toHaveLength(1);
    proc.send(batch());
    await turn();
    expect(acks()).toEqual([{ type: 'ticks-ack', seq: 4 }, { type: 'ticks-ack', seq: 8 }]);
    await turn();
    expect(acks()).toHaveLength(2); // nothing applied, nothing acknowledged

    // A batch refused as invalid gives its credit back too, or refusals could close the window for good.
    for (let i = 0; i < half - 1; i++) proc.send(batch());
    proc.send({ ...batch(), tickers: 'not columns' });
    await turn();
    expect(applied).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(supervisor.snapshot().invalidMessages).toBe(1);
    expect(acks().at(-1)).toEqual({ type: 'ticks-ack', seq: 12 });
    // every message posted is counted (the benchmark's IPC figures read it)
    expect(supervisor.snapshot().messagesOut).toBe(proc.posted.length);
    expect(acks()).toHaveLength(3);

    await supervisor.stop(new AbortController().signal);
  });
});
