// The supervisor's seams to the process and to its readers: it removes its message
// handler with the process (StreamingProcess.onMessage returns the disposer), passes
// the host's crash reason on, and is read through snapshot().
import { describe, expect, it, vi } from 'vitest';
import { StreamingSupervisor, type StreamingSink } from '../../electron/engine/supervisor/streaming-supervisor';
import { TICKER_STRIDE, TRADE_STRIDE } from '../../shared/contract/tick-batch';
import { StreamingSettingsSchema } from '../../shared/settings';
import { quietLogger } from '../support/loggers';
import { FakeStreamingProcess } from '../support/fake-streaming-process';
import { fakeTimersInEachTest } from '../support/fake-timers';

/** A process whose listeners can be counted; the test speaks for the child and decides its exit. */
class CountingProcess extends FakeStreamingProcess {
  readonly pid: number | undefined = 2 ** 30; // never a real pid: the supervisor's last probe finds nothing
  post(): void {}
  terminate(): void {
    queueMicrotask(() => this.exit({ code: null, signal: 'SIGTERM' }));
  }
  kill(): void {
    queueMicrotask(() => this.exit({ code: null, signal: 'SIGKILL' }));
  }
}

const sink: StreamingSink = { ticks: () => undefined, status: () => undefined, outage: () => undefined, connectionEvents: () => undefined };

/** A supervisor whose first process has said it is ready. */
async function readyRig() {
  const procs: CountingProcess[] = [];
  const sup = new StreamingSupervisor(
    {
      spawn: () => {
        const p = new CountingProcess();
        procs.push(p);
        return p;
      },
      log: quietLogger,
      exchanges: () => [],
      streaming: () => StreamingSettingsSchema.parse({}),
      heartbeatMs: 100,
      restartBaseMs: 1000,
    },
    sink,
  );
  const started = sup.start();
  procs[0]!.send({ type: 'ready', pid: 1 });
  await started;
  return { sup, procs };
}

fakeTimersInEachTest();

describe('StreamingSupervisor and its process', () => {
  it('a crashed process loses the message handler, and a message it still delivers counts for nothing', async () => {
    const { sup, procs } = await readyRig();
    expect(procs[0]!.messageListeners.size).toBe(1);

    procs[0]!.exit({ code: 9, signal: null });
    await vi.advanceTimersByTimeAsync(1); // the exit is handled on the next turn
    expect(procs[0]!.messageListeners.size).toBe(0);
    procs[0]!.send({ not: 'a message' });
    expect(sup.snapshot().invalidMessages).toBe(0);
    await sup.forceStop();
  });

  it("the host's crash reason becomes part of the restart reason", async () => {
    const { sup, procs } = await readyRig();
    procs[0]!.exit({ code: 9, signal: null, reason: 'oom, exit code 9' });
    await vi.advanceTimersByTimeAsync(1);
    expect(sup.lastRestartReason).toBe('crashed: code 9 signal null (oom, exit code 9)');
    await sup.forceStop();
  });

  it('snapshot() is a copy of the state and counters at the time it is taken', async () => {
    const { sup, procs } = await readyRig();
    const before = sup.snapshot();
    procs[0]!.send({
      type: 'ticks', seq: 0, sentAt: 0, keys: ['sim|BTC/USDT'],
      tickers: new Float64Array(2 * TICKER_STRIDE), trades: new Float64Array(3 * TRADE_STRIDE), tradeIds: ['1', '2', '3'], books: [], gaps: [], candles: [],
    });
    procs[0]!.send({ type: 'ticks', seq: 3, sentAt: 0, keys: [], tickers: new Float64Array(0), trades: new Float64Array(0), tradeIds: [], books: [], gaps: [], candles: [] });
    procs[0]!.send({ bogus: true });
    expect(before).toMatchObject({ state: 'running', messagesIn: 1, batchesIn: 0, ticksIn: 0, messagesOut: 1, lostBatches: 0, invalidMessages: 0, restarts: 0 });
    expect(sup.snapshot()).toEqual({
      state: 'running', pid: 2 ** 30, restarts: 0, lastRestartReason: undefined, vitals: undefined,
      // messagesOut: the configure; two batches are under half the ack window, so no ack yet
      messagesIn: 4, batchesIn: 2, ticksIn: 5, messagesOut: 1, lostBatches: 2, invalidMessages: 1,
    });
    const stopped = sup.forceStop();
    await vi.advanceTimersByTimeAsync(1); // the exit after terminate is handled on the next turn
    await stopped;
    expect(sup.snapshot()).toMatchObject({ state: 'stopped', pid: undefined });
  });
});
