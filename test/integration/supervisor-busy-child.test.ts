// Busy is not hung, with real processes: a child that blocks its event loop for
// 2 s at a time under a heavy stream of tick batches keeps running, while one
// that falls into an endless loop is killed and restarted. (A SIGSTOPped real
// streaming process is covered in engine-supervisor.test.ts.)
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamingSupervisor, type StreamingSink } from '../../electron/engine/supervisor/streaming-supervisor';
import { pidAlive } from '../../electron/engine/supervisor/streaming-process';
import { nodeStreamingSpawner } from '../../electron/headless/node-streaming-process';
import { messageLogger } from '../support/loggers';
import { StreamingSettingsSchema } from '../../shared/settings';
import { until } from '../support/until';

const CHILDREN = resolve(__dirname, '../support/children');

const logs: string[] = [];
const log = messageLogger(logs, true);

let sup: StreamingSupervisor | undefined;
afterEach(async () => {
  await sup?.forceStop();
  sup = undefined;
  logs.length = 0;
});

function supervise(child: string): { supervisor: StreamingSupervisor; batches: () => number } {
  let batches = 0;
  const sink: StreamingSink = { ticks: () => void batches++, status: () => undefined, outage: () => undefined, connectionEvents: () => undefined };
  // A 3 s window: tighter than the default 5 s, and still a 2 s block never reaches it.
  sup = new StreamingSupervisor(
    { spawn: nodeStreamingSpawner(resolve(CHILDREN, child)), log, exchanges: () => [], streaming: () => StreamingSettingsSchema.parse({}), heartbeatMs: 500, missedHeartbeats: 6, restartBaseMs: 50 },
    sink,
  );
  return { supervisor: sup, batches: () => batches };
}

describe('busy is not hung (real child processes)', () => {
  it('a child blocking its loop for 2 s bursts under heavy message traffic is not killed, and says how far behind it is', async () => {
    const { supervisor, batches } = supervise('busy-child.mjs');
    await supervisor.start();
    const pid = supervisor.pid!;
    // Count bursts from the child's own reports: a heartbeat that fired ≥ 1.4 s late
    // (2 s block minus at most one 500 ms period since the previous beat).
    const lateBeats = new Set<number>();
    await until(
      () => {
        const loop = supervisor.loop;
        if (loop && loop.lagMs >= 1400) lateBeats.add(loop.progress);
        return lateBeats.size >= 3;
      },
      'three 2 s bursts',
      30_000,
    );
    expect(supervisor.restarts).toBe(0);
    expect(logs.filter((l) => l.includes('hung'))).toEqual([]);
    expect(supervisor.state).toBe('running');
    expect(supervisor.pid).toBe(pid);
    expect(pidAlive(pid)).toBe(true);
    expect(batches()).toBeGreaterThan(100);
    expect(supervisor.lostBatches).toBe(0);
  }, 40_000);

  it('a child stuck in an endless loop is killed as hung and restarted', async () => {
    const { supervisor } = supervise('spinning-child.mjs');
    await supervisor.start();
    const pid = supervisor.pid!;
    // It is killed once it has had 3 s of CPU without a word: longer on a crowded machine.
    await until(() => supervisor.restarts >= 1, 'a restart after the hang', 60_000);
    expect(supervisor.lastRestartReason).toMatch(/^hung \(spinning\): nothing received for \d+ ms/);
    await until(() => !pidAlive(pid), 'the spinning process to be gone');
    const line = logs.find((l) => l.startsWith('error streaming process is hung'));
    // The verdict names the last progress the child reported before it stopped.
    expect(line).toMatch(/"lastProgress":\d+/);
    expect(line).toMatch(/"cause":"spinning"/);
  }, 90_000);
});
