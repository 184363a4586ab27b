// The supervisor against an in-memory stand-in for the streaming process: a quit
// during start-up aborts the start and ends a process that is still loading
// without waiting for it; a process that keeps delivering is busy, not hung, and
// one that delivers nothing for the window is killed.
import { describe, expect, it, vi } from 'vitest';
import { childShutdownMs, DEFAULT_ACK_WINDOW, StreamingSupervisor, streamingStopBudgetMs, type StreamingSink } from '../../electron/engine/supervisor/streaming-supervisor';
import type { Logger } from '../../electron/engine/log/logger';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';
import { StreamingSettingsSchema } from '../../shared/settings';
import { FakeStreamingProcess } from '../support/fake-streaming-process';
import { fakeTimersInEachTest } from '../support/fake-timers';

/** Records what the supervisor does to it; exits when terminated or killed. */
class FakeProcess extends FakeStreamingProcess {
  // Far above any Linux pid_max, so the supervisor's last pid probe can never hit a real process.
  private readonly fakePid = 2 ** 30;
  private exited = false;

  /** The CPU time the supervisor reads while the process is silent; undefined: the host cannot tell. */
  cpu: number | undefined;

  constructor(readonly trace: string[]) {
    super();
    trace.push('spawn');
  }

  cpuTimeMs(): number | undefined {
    return this.cpu;
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.fakePid;
  }
  post(message: ToStreaming): void {
    this.trace.push(`post:${message.type}`);
  }
  terminate(): void {
    this.trace.push('terminate');
    this.exitBy('SIGTERM');
  }
  kill(): void {
    this.trace.push('kill');
    this.exitBy('SIGKILL');
  }
  private exitBy(signal: string): void {
    if (this.exited) return;
    this.exited = true;
    queueMicrotask(() => this.exit({ code: null, signal }));
  }
}

const logged: string[] = [];
const silent: Logger = { error: (m) => void logged.push(`error ${m}`), warn: (m) => void logged.push(`warn ${m}`), info: () => undefined, debug: () => undefined, write: () => undefined, scope: () => silent };
const sink: StreamingSink = { ticks: () => undefined, status: () => undefined, outage: () => undefined, connectionEvents: () => undefined };

let seq = 0;
const batch = () => ({ type: 'ticks', seq: seq++, sentAt: 0, keys: [], tickers: new Float64Array(0), trades: new Float64Array(0), tradeIds: [], books: [] });

function supervisor(trace: string[], procs: FakeProcess[]): StreamingSupervisor {
  return new StreamingSupervisor(
    {
      spawn: () => {
        const p = new FakeProcess(trace);
        procs.push(p);
        return p;
      },
      log: silent,
      exchanges: () => [],
      streaming: () => StreamingSettingsSchema.parse({}),
      heartbeatMs: 100,
      missedHeartbeats: 5,
      restartBaseMs: 1000,
    },
    sink,
  );
}

/** A supervisor whose first process has said it is ready. */
async function readySupervisor(signal?: AbortSignal): Promise<{ trace: string[]; procs: FakeProcess[]; sup: StreamingSupervisor }> {
  const trace: string[] = [];
  const procs: FakeProcess[] = [];
  const sup = supervisor(trace, procs);
  const started = sup.start(signal);
  procs[0]!.send({ type: 'ready', pid: 1 });
  await started;
  return { trace, procs, sup };
}

describe('StreamingSupervisor start-up', () => {
  it('a quit during start-up aborts the start at once; stop ends the loading process by terminate, not by a message it cannot read yet', async () => {
    const trace: string[] = [];
    const procs: FakeProcess[] = [];
    const sup = supervisor(trace, procs);
    const abort = new AbortController();
    const started = sup.start(abort.signal);
    abort.abort(new Error('shutdown'));
    await expect(started).rejects.toThrow('shutdown');
    await sup.stop(new AbortController().signal);
    expect(trace).toEqual(['spawn', 'terminate']);
    expect(sup.state).toBe('stopped');
    expect(sup.pid).toBeUndefined();
  });

  it('subscriptions and candle series asked for while the process loads wait for configure, which replays them', async () => {
    const trace: string[] = [];
    const procs: FakeProcess[] = [];
    const sup = supervisor(trace, procs);
    const started = sup.start();
    sup.setSubscriptions([{ exchange: 'sim', symbol: 'BTC/USDT', channel: 'book' }]);
    sup.candleDemand({ type: 'candles-open', key: { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' }, consumer: 'r1' });
    expect(trace).toEqual(['spawn']); // it reads nothing but configure yet
    procs[0]!.send({ type: 'ready', pid: 1 });
    await started;
    expect(trace).toEqual(['spawn', 'post:configure', 'post:subscribe', 'post:candles-open']);
    const stopped = sup.stop(new AbortController().signal);
    procs[0]!.terminate();
    await stopped;
  });

  it('an already aborted signal spawns nothing', async () => {
    const trace: string[] = [];
    const sup = supervisor(trace, []);
    await expect(sup.start(AbortSignal.abort(new Error('quit first')))).rejects.toThrow('quit first');
    expect(trace).toEqual([]);
  });

  it('once ready, stop asks politely with a shutdown message', async () => {
    const { trace, procs, sup } = await readySupervisor(new AbortController().signal);
    const stopped = sup.stop(new AbortController().signal);
    procs[0]!.terminate(); // the child exits after its report
    await stopped;
    expect(trace).toEqual(['spawn', 'post:configure', 'post:shutdown', 'terminate']);
  });
});

describe('StreamingSupervisor hang decision', () => {
  fakeTimersInEachTest();

  it('a process that keeps delivering batches without a single heartbeat is busy, not hung; one silent for the window is killed', async () => {
    const { trace, procs, sup } = await readySupervisor();
    // 5 s of batches every 300 ms (heartbeats stuck behind them): more than the 500 ms window between heartbeats, never silent for it.
    for (let t = 0; t < 5000; t += 300) {
      procs[0]!.send(batch());
      await vi.advanceTimersByTimeAsync(300);
    }
    const acks = Array<string>(Math.floor(17 / (DEFAULT_ACK_WINDOW / 2))).fill('post:ticks-ack'); // half a window acknowledged at a time
    expect(trace).toEqual(['spawn', 'post:configure', ...acks]);
    expect(sup.restarts).toBe(0);
    // Then nothing at all: killed once the silence exceeds 500 ms of checks.
    procs[0]!.send({ type: 'heartbeat', progress: 7, lagMs: 250, vitals: { pid: 1, at: 0, uptimeMs: 0, rssBytes: 0, heapUsedBytes: 0, eventLoopDelayMs: { p50: 0, p99: 0 }, tasks: {}, handlers: 0, ticksIn: 0, ticksOut: 0, ticksPending: 0, batchesOut: 0 } });
    await vi.advanceTimersByTimeAsync(500);
    expect(trace).toEqual(['spawn', 'post:configure', ...acks]);
    await vi.advanceTimersByTimeAsync(200);
    expect(trace).toEqual(['spawn', 'post:configure', ...acks, 'kill']);
    await vi.advanceTimersByTimeAsync(1); // the exit is handled on the next turn
    expect(sup.lastRestartReason).toMatch(/^hung \(silent\): nothing received for 600 ms$/);
    expect(sup.loop).toEqual({ progress: 7, lagMs: 250 });
    await sup.forceStop();
  });

  it('a silent process that gets little CPU is busy (said once), and killed as stopped when its CPU stands still', async () => {
    const { trace, procs, sup } = await readySupervisor();
    logged.length = 0;
    const p = procs[0]!;
    p.cpu = 1000;
    // 2 s of silence, four times the 500 ms window, while it gets a fifth of a core: < 500 ms of CPU.
    for (let t = 0; t < 2000; t += 100) {
      p.cpu += 20;
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(trace).toEqual(['spawn', 'post:configure']);
    expect(logged).toEqual(['warn streaming process busy: nothing received, but it has had little CPU; not killing it']);
    // A message ends the episode; then it stops (SIGSTOP): no CPU at all.
    p.send(batch());
    await vi.advanceTimersByTimeAsync(700);
    expect(trace).toEqual(['spawn', 'post:configure', 'post:ticks-ack', 'kill']);
    await vi.advanceTimersByTimeAsync(1);
    expect(sup.lastRestartReason).toMatch(/^hung \(stopped\): nothing received for 600 ms$/);
    await sup.forceStop();
  });
});

describe('StreamingSupervisor stop budget', () => {
  it('follows shutdown.deadlineMs: the graceful phase less a little for the components after it', () => {
    expect(streamingStopBudgetMs(3000)).toBe(2000);
    expect(streamingStopBudgetMs(10_000)).toBe(7250);
    expect(streamingStopBudgetMs(100)).toBe(100);
    const sup = new StreamingSupervisor({ spawn: () => new FakeProcess([]), log: silent, exchanges: () => [], streaming: () => StreamingSettingsSchema.parse({}), shutdownDeadlineMs: () => 8000 }, sink);
    expect(sup.stopBudgetMs).toBe(5750);
  });

  it("gives the process the budget it was stopped with, less the time its report needs", async () => {
    expect(childShutdownMs(undefined, 2000)).toBe(1750);
    expect(childShutdownMs(undefined, 400)).toBe(300);
    expect(childShutdownMs(900, 5000)).toBe(900);
    const trace: string[] = [];
    const posted: ToStreaming[] = [];
    const proc = new FakeProcess(trace);
    const post = proc.post.bind(proc);
    proc.post = (m) => {
      posted.push(m);
      post(m);
    };
    const sup = new StreamingSupervisor({ spawn: () => proc, log: silent, exchanges: () => [], streaming: () => StreamingSettingsSchema.parse({}) }, sink);
    const started = sup.start(new AbortController().signal);
    proc.send({ type: 'ready', pid: 1 });
    await started;
    const stopped = sup.stop(new AbortController().signal, 6000);
    proc.terminate();
    await stopped;
    expect(posted.find((m) => m.type === 'shutdown')).toEqual({ type: 'shutdown', deadlineMs: 5750 });
  });
});
