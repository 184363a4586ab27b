// The built streaming process (out/streaming/streaming.cjs) and SIGTERM: while it
// loads its exchange classes (it holds nothing yet) a SIGTERM ends it at once, by
// Node's default; once it is ready, the same SIGTERM runs its clean shutdown (exit 0).
// The class load is held open by a --require hook, so "while loading" is a state the
// test waits for, not a moment it guesses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeStreamingSpawner } from '../../electron/headless/node-streaming-process';
import type { StreamingProcess, StreamingProcessExit } from '../../electron/engine/supervisor/streaming-process';
import { until } from '../support/until';

const ENTRY = resolve(__dirname, '../../out/streaming/streaming.cjs');
const HOLD_MS = 4000;

// Tells the parent when ccxt's binance class starts loading, then blocks the thread
// (as a slow disk or a busy core would) for HOLD_MS before letting the load go on.
const HOOK = `const Module = require('node:module');
const load = Module._load;
let held = false;
Module._load = function (request, ...rest) {
  if (!held && /[\\\\/]pro[\\\\/]binance\\.js$/.test(request)) {
    held = true;
    process.send({ hook: 'loading-classes' });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${HOLD_MS});
  }
  return load.call(this, request, ...rest);
};`;

let dir = '';
let child: StreamingProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(execArgv: string[]): { proc: StreamingProcess; messages: unknown[]; exit: Promise<StreamingProcessExit> } {
  const proc = (child = nodeStreamingSpawner(ENTRY, execArgv, ['--preload=binance'])());
  const messages: unknown[] = [];
  proc.onMessage((m) => messages.push(m));
  return { proc, messages, exit: new Promise((r) => proc.onExit(r)) };
}

const said = (messages: unknown[], pred: (m: Record<string, unknown>) => boolean): boolean => messages.some((m) => typeof m === 'object' && m !== null && pred(m as Record<string, unknown>));

describe('streaming process and SIGTERM', () => {
  it('ends at once on a SIGTERM while it loads its exchange classes, without waiting for the load', async () => {
    dir = mkdtempSync(join(tmpdir(), 'foxtrot-entry-'));
    const hook = join(dir, 'hold-class-load.cjs');
    writeFileSync(hook, HOOK);
    const { proc, messages, exit } = start(['--require', hook]);
    await until(() => said(messages, (m) => m.hook === 'loading-classes'), 'the class load to begin', 20_000);
    const t0 = performance.now();
    proc.terminate();
    const e = await exit;
    expect(e).toEqual({ code: null, signal: 'SIGTERM' });
    // A handler would have run only after the held load, HOLD_MS later.
    expect(performance.now() - t0).toBeLessThan(HOLD_MS / 2);
    expect(said(messages, (m) => m.type === 'ready')).toBe(false);
  }, 30_000);

  it('once ready, shuts down cleanly on SIGTERM (exit 0)', async () => {
    const { proc, messages, exit } = start([]);
    await until(() => said(messages, (m) => m.type === 'ready'), 'ready', 20_000);
    proc.terminate();
    expect(await exit).toEqual({ code: 0, signal: null });
  }, 30_000);
});
