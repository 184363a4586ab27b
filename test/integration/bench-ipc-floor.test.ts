// The benchmark's process-boundary floor (bench/ipc-floor-worker.ts) measures what it
// says: a bare child sends one batch per turn at the asked rate, the host acknowledges
// every `ackEvery` of them, and the floor is the CPU that sending added to the child plus
// what the host spent. Counts are checked, not speed: figures live in `npm run bench`.
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from '../../bench/rpc';
import type { IpcFloor } from '../../bench/protocol';

const OUT = resolve(import.meta.dirname, '../../out');
let worker: Worker | undefined;

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

describe('bench ipc-floor worker', () => {
  it('sends batches at the asked rate, acknowledges every fourth, and reports what the boundary cost', async () => {
    worker = new Worker('ipc-floor', join(OUT, 'bench', 'ipc-floor-worker.cjs'));
    const f = await worker.call<IpcFloor>('measure', { perS: 200, seconds: 1, ackEvery: 4 }, 20_000);
    // one batch per timer turn: never above the asked rate, and not far below it on a busy machine
    expect(f.batchesPerS).toBeGreaterThan(60);
    expect(f.batchesPerS).toBeLessThanOrEqual(210);
    // an ack per four batches, at the end of the host's turn (the last few may be outstanding)
    expect(f.acksPerS).toBeGreaterThan(f.batchesPerS / 4 - 4);
    expect(f.acksPerS).toBeLessThanOrEqual(f.batchesPerS / 4 + 1);
    expect(f.hostMsPerS).toBeGreaterThan(0);
    expect(f.childSendingMsPerS).toBeGreaterThan(0);
    expect(f.floorMsPerS).toBeCloseTo(Math.max(0, f.childSendingMsPerS - f.childControlMsPerS) + f.hostMsPerS, 6);
  }, 30_000);
});
