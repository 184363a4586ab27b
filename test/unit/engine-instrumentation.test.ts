// The engine's instrumentation hooks (what the benchmark's host reads), driven through
// the real path: a stand-in streaming process delivers tick batches to the supervisor.
import { afterEach, describe, expect, it } from 'vitest';
import { assembleEngine } from '../../electron/engine/assemble-engine';
import type { Engine } from '../../electron/engine/engine';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';
import { SOURCE_WS, TickBatchWriter } from '../../shared/contract/tick-batch';
import { instrumentId } from '../../shared/market';
import { defaultSettings, type Settings } from '../../shared/settings';
import { until } from '../support/until';
import { quietLogger } from '../support/loggers';
import { FakeStreamingProcess } from '../support/fake-streaming-process';

const BTC = instrumentId('sim', 'BTC/USDT');

/** The test speaks for the child; it exits when told to shut down. */
class StandIn extends FakeStreamingProcess {
  pid: number | undefined = 2 ** 30;
  post(m: ToStreaming): void {
    if (m.type !== 'shutdown') return;
    this.pid = undefined;
    queueMicrotask(() => this.exit({ code: 0, signal: null }));
  }
  terminate(): void {
    this.post({ type: 'shutdown', deadlineMs: 1 });
  }
  kill(): void {
    this.terminate();
  }
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.shutdown('test over');
  engine = undefined;
});

async function started(): Promise<{ e: Engine; proc: StandIn; w: TickBatchWriter; tick: (last: number) => void }> {
  // No simulator: the stand-in is the whole streaming side.
  const base = defaultSettings();
  let settings: Settings = { ...base, exchanges: base.exchanges.map((x) => ({ ...x, simulated: false })) };
  const proc = new StandIn();
  let spawned = false;
  const e = (engine = assembleEngine({
    kind: 'headless',
    log: quietLogger,
    settings: { get: () => settings, update: (c) => (settings = c(settings)), commitChecked: (n) => (settings = n), flush: async () => undefined },
    spawnStreaming: () => {
      spawned = true;
      return proc;
    },
    flushLogs: () => undefined,
    exitApp: () => undefined,
    defer: (fn) => fn(),
  }).engine);
  const starting = e.start();
  await until(() => spawned, 'the streaming process to be spawned');
  proc.send({ type: 'ready', pid: 1 });
  await starting;
  const w = new TickBatchWriter();
  const tick = (last: number): void => {
    w.ticker(BTC, last - 1, last + 1, last, 0, 1, 1, 1, 1, SOURCE_WS);
    proc.send(w.flush(0));
  };
  return { e, proc, w, tick };
}

describe('engine instrumentation', () => {
  it('onBatchApplied sees each batch once the market holds it; its disposer ends that', async () => {
    const { e, tick } = await started();
    const seen: string[] = [];
    const off = e.instrumentation.onBatchApplied((b) => seen.push(`${b.seq}:${e.market.row(BTC)?.last}`));
    tick(100);
    tick(101);
    off();
    tick(102);
    expect(seen).toEqual(['0:100', '1:101']);
    expect(e.market.row(BTC)?.last).toBe(102);
    expect(e.instrumentation.streaming()).toMatchObject({ state: 'running', batchesIn: 3, ticksIn: 3 });
  });

  it('rendererQueues: a renderer that does not ack has one frame in flight, and new rows wait', async () => {
    const { e, tick } = await started();
    expect(e.instrumentation.rendererQueues()).toEqual({ dirty: 0, awaiting: 0 });
    const frames: number[] = [];
    e.renderers.attach({ id: 'mute', send: (m) => void (m.type === 'frame' && frames.push(m.seq)) });
    tick(100);
    await until(() => frames.length === 1, 'the first frame');
    expect(e.instrumentation.rendererQueues()).toEqual({ dirty: 0, awaiting: 1 });
    tick(101);
    expect(e.instrumentation.rendererQueues()).toEqual({ dirty: 1, awaiting: 1 });
  });
});
