// Leaks and process lifecycle: subscribe/unsubscribe cycles leave nothing
// running (owner counts and the simulator's socket count), the built entry runs
// as a forked child, exits when its parent dies, and reports a clean shutdown.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import { parseFromStreaming, type FromStreaming } from '../../shared/contract/streaming-protocol';
import { isProcessAlive } from '../../electron/streaming/parent-watch';
import { fastStreaming, Harness, keys } from './streaming-harness';
import { until } from '../support/until';
import { WASM_BASELINE_ONLY_FLAG } from '../../electron/streaming/wasm-tiering';

const ENTRY = resolve(__dirname, '../../out/streaming/streaming.cjs');
const TWENTY = ['BTC', 'ETH', 'SOL', 'BNB', 'XRP', 'ADA', 'DOGE', 'AVAX', 'DOT', 'LINK', 'LTC', 'TRX', 'ATOM', 'UNI', 'XLM', 'ETC', 'FIL', 'APT', 'NEAR', 'ARB'].map((b) => `${b}/USDT`);

let h: Harness | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  await h?.stop();
  h = undefined;
  for (const c of children.splice(0)) if (c.exitCode === null && c.pid) c.kill('SIGKILL');
});

describe('streaming: no leaks across subscribe/unsubscribe cycles', () => {
  it('100 cycles of subscribe-20/unsubscribe return every task count and the socket count to zero', async () => {
    h = await new Harness({ symbols: TWENTY }).start(fastStreaming());
    const syms = h.sim.symbols.slice(0, 20);
    expect(syms).toHaveLength(20);
    // A few cycles wait for data on all 20, the rest churn as fast as messages go.
    for (let i = 0; i < 100; i++) {
      const mark = h.mark();
      h.subscribe([...syms]);
      if (i % 25 === 0) await h.until(() => syms.every((s) => h!.tickerRows(`sim|${s}`, mark) > 0), `data on 20 symbols, cycle ${i}`);
      h.unsubscribe([...syms]);
    }
    await h.until(() => Object.keys(h!.service.workTasks()).length === 0, 'zero subscription tasks');
    await h.until(() => h!.sim.view().connections.length === 0, 'zero sockets at the simulator', 15_000);
    expect(h.service.workTasks()).toEqual({});
    const st = await h.until(() => h!.lastStatus()?.exchanges[0]?.connections === 0 && h!.lastStatus(), 'status shows zero connections');
    expect(st.subscriptions).toEqual([]);
    expect(st.exchanges[0]!.state).toBe('idle');
    // Only process plumbing remains (message handler, heartbeat, maybe a pending status
    // timer). An unsubscribe whose ack never came (its socket closed first) waits out its
    // bounded timeout ('timeout', CLOSE_WITHIN_MS), so heartbeats are read until that has
    // passed; a task that leaked would be in every one of them.
    const PLUMBING = ['handler', 'heartbeat', 'status'];
    let after = h.mark();
    let tasks: string[] = [];
    await h.until(() => {
      const beats = h!.received.slice(after).filter((m) => m.type === 'heartbeat');
      after = h!.mark();
      const last = beats.at(-1);
      if (last?.type === 'heartbeat') tasks = Object.keys(last.vitals.tasks);
      return last !== undefined && tasks.every((k) => PLUMBING.includes(k));
    }, 'only process plumbing left in a heartbeat\'s tasks', 15_000);
    for (const k of tasks) expect(PLUMBING).toContain(k);
  }, 60_000);
});

function collect(child: ChildProcess): FromStreaming[] {
  const got: FromStreaming[] = [];
  child.on('message', (m) => {
    const p = parseFromStreaming(m);
    if (p.ok) got.push(p.value);
  });
  return got;
}

describe('streaming: the built process', () => {
  it('runs forked with advanced serialization, streams batches and exits 0 after a clean shutdown report', async () => {
    expect(existsSync(ENTRY)).toBe(true);
    const sim = new ExchangeSimulator({ port: 0, ratePerSymbol: 20 });
    await sim.start();
    try {
      const child = fork(ENTRY, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: ['--max-semi-space-size=32'] });
      children.push(child);
      const got = collect(child);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      await until(() => got.find((m) => m.type === 'ready'), 'ready');
      child.send({
        type: 'configure',
        exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true, enabled: true, urls: { rest: sim.urls.rest, ws: sim.urls.ws } }],
        streaming: fastStreaming(),
        parentPid: process.pid,
        heartbeatMs: 100,
      });
      child.send({ type: 'subscribe', subs: keys(['BTC/USDT', 'ETH/USDT'], 'ticker') });
      const batch = await until(() => got.find((m) => m.type === 'ticks' && m.tickers.length > 0), 'a tick batch');
      expect(batch.type === 'ticks' && batch.tickers instanceof Float64Array).toBe(true);
      // Where start-up went, logged once after the first batch: every phase, in the order it happens.
      const phases = await until(
        () => got.flatMap((m) => (m.type === 'log' ? m.records : [])).find((r) => r.message.startsWith('start-up phases')),
        'the start-up phases log record',
      );
      // The Node options it runs with and the V8 flags it set itself, logged once when first configured.
      const options = got.flatMap((m) => (m.type === 'log' ? m.records : [])).filter((r) => r.message === 'node options');
      expect(options.map((r) => r.fields)).toEqual([{ execArgv: '--max-semi-space-size=32', v8Flags: WASM_BASELINE_ONLY_FLAG, heapLimitMb: expect.any(Number) }]);
      const f = phases.fields as Record<string, number>;
      expect(Object.keys(f)).toEqual(['loaded', 'classes', 'ready', 'configure', 'subscribe', 'firstBatch']);
      expect(Object.values(f)).toEqual([...Object.values(f)].sort((x, y) => x - y));
      await until(() => got.find((m) => m.type === 'heartbeat' && m.vitals.tasks['watch-loop'] === 2), 'heartbeat counting two watch loops');
      child.send({ type: 'shutdown', deadlineMs: 2000 });
      const code = await exited;
      const report = got.find((m) => m.type === 'shutdown-report');
      expect(report?.type === 'shutdown-report' && report.report).toMatchObject({ clean: true, leftoverTasks: {} });
      expect(report?.type === 'shutdown-report' && report.report.steps.map((s) => s.name)).toEqual(['close-sessions', 'dispose-owners', 'flush']);
      expect(code).toBe(0);
      await until(() => sim.view().connections.length === 0, 'no connection left at the simulator');
    } finally {
      await sim.stop();
    }
  });

  it('exits by itself when its parent dies (no orphan keeps streaming)', async () => {
    expect(existsSync(ENTRY)).toBe(true);
    const sim = new ExchangeSimulator({ port: 0, ratePerSymbol: 20 });
    await sim.start();
    try {
      // A throwaway parent process forks the streamer, configures it, reports its pid, then gets SIGKILLed.
      const script = `
        const { fork } = require('node:child_process');
        const c = fork(${JSON.stringify(ENTRY)}, [], { serialization: 'advanced', stdio: ['ignore','ignore','ignore','ipc'] });
        c.on('message', (m) => {
          if (m.type === 'ready') {
            c.send({ type: 'configure', exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true, enabled: true, urls: ${JSON.stringify({ rest: sim.urls.rest, ws: sim.urls.ws })} }],
              streaming: ${JSON.stringify(fastStreaming())}, parentPid: process.pid, heartbeatMs: 1000 });
            c.send({ type: 'subscribe', subs: [{ exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' }] });
          }
          if (m.type === 'ticks') process.stdout.write('PID ' + c.pid + '\\n');
        });`;
      const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(parent);
      let out = '';
      parent.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const pid = Number(await until(() => /PID (\d+)/.exec(out)?.[1], 'the streamer streaming'));
      expect(isProcessAlive(pid)).toBe(true);
      await until(() => sim.view().connections.length === 1, 'one streamer connection');
      parent.kill('SIGKILL');
      await until(() => !isProcessAlive(pid), 'the orphaned streamer to exit', 5000);
      await until(() => sim.view().connections.length === 0, 'its connection closed', 5000);
    } finally {
      await sim.stop();
    }
  });
});
