// NodeStreamingProcess against a real child: the disposers onMessage and onExit
// return remove exactly their listener; the child runs with the streaming process's
// Node options, then the caller's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeStreamingSpawner } from '../../electron/headless/node-streaming-process';
import { STREAMING_EXEC_ARGV, type StreamingProcess, type StreamingProcessExit } from '../../electron/engine/supervisor/streaming-process';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';
import { until } from '../support/until';

// Echoes the type of every message back with a count (an unsubscribe: its Node
// options instead); exits with code 3 when told to shut down.
const CHILD = `let n = 0;
process.on('message', (m) => {
  if (m.type === 'shutdown') process.exit(3);
  if (m.type === 'unsubscribe') return process.send({ execArgv: process.execArgv });
  process.send({ echo: m.type, n: ++n });
});`;
const NOTHING: ToStreaming = { type: 'subscribe', subs: [] };

let dir = '';
let child: StreamingProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function spawn(execArgv: string[] = []): StreamingProcess {
  dir = mkdtempSync(join(tmpdir(), 'foxtrot-node-proc-'));
  const entry = join(dir, 'child.cjs');
  writeFileSync(entry, CHILD);
  return (child = nodeStreamingSpawner(entry, execArgv)());
}

describe('NodeStreamingProcess', () => {
  it('a disposed message listener hears nothing more; the other one still does', async () => {
    const p = spawn();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = p.onMessage((m) => a.push(m));
    p.onMessage((m) => b.push(m));
    p.post(NOTHING);
    await until(() => a.length === 1 && b.length === 1, 'the first echo to both listeners');
    offA();
    p.post(NOTHING);
    await until(() => b.length === 2, 'the second echo');
    expect(a).toEqual([{ echo: 'subscribe', n: 1 }]);
    expect(b).toEqual([{ echo: 'subscribe', n: 1 }, { echo: 'subscribe', n: 2 }]);
  });

  it('a disposed exit listener is not called; the other one gets code and signal once', async () => {
    const p = spawn();
    const exits: StreamingProcessExit[] = [];
    const removed: StreamingProcessExit[] = [];
    const off = p.onExit((e) => removed.push(e));
    p.onExit((e) => exits.push(e));
    off();
    p.post({ type: 'shutdown', deadlineMs: 1 });
    await until(() => exits.length === 1, 'the exit');
    expect(exits).toEqual([{ code: 3, signal: null }]);
    expect(removed).toEqual([]);
    expect(p.pid).toBeUndefined();
  });

  it("runs with the streaming process's Node options (a larger young generation), then the caller's", async () => {
    expect(STREAMING_EXEC_ARGV).toContain('--max-semi-space-size=64');
    const p = spawn(['--stack-size=2000']);
    const got: unknown[] = [];
    p.onMessage((m) => got.push(m));
    p.post({ type: 'unsubscribe', subs: [] });
    await until(() => got.length === 1, 'the options');
    expect(got[0]).toEqual({ execArgv: [...STREAMING_EXEC_ARGV, '--stack-size=2000'] });
  });
});
