// GC pauses in the heartbeat's vitals: counted and summed since start, the longest
// reset at each take; a real collection is seen; close stops the observer.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GcPauses, type ObserveGc } from '../../electron/streaming/gc-pauses';
import { ProcessVitalsSchema } from '../../shared/contract/status';
import { VitalsSampler, type DelayHistogram } from '../../electron/streaming/vitals';
import { LoopDelayGate } from '../../electron/streaming/loop-delay-gate';
import { until } from '../support/until';

function scripted(): { observe: ObserveGc; pause(ms: number, major?: boolean): void; stopped: () => boolean } {
  let listener: ((ms: number, major: boolean) => void) | undefined;
  let stopped = false;
  return {
    observe: (onPause) => {
      listener = onPause;
      return () => {
        stopped = true;
        listener = undefined;
      };
    },
    pause: (ms, major = false) => listener?.(ms, major),
    stopped: () => stopped,
  };
}

describe('GcPauses', () => {
  it('counts and sums pauses since start; the longest is the longest since the previous take', () => {
    const gc = scripted();
    const pauses = new GcPauses(gc.observe);
    expect(pauses.take()).toEqual({ count: 0, pauseMs: 0, maxPauseMs: 0 });
    gc.pause(3);
    gc.pause(12);
    gc.pause(1);
    expect(pauses.take()).toEqual({ count: 3, pauseMs: 16, maxPauseMs: 12 });
    gc.pause(2);
    expect(pauses.take()).toEqual({ count: 4, pauseMs: 18, maxPauseMs: 2 });
    expect(pauses.take()).toEqual({ count: 4, pauseMs: 18, maxPauseMs: 0 });
  });

  it('close stops the observer, once', () => {
    const gc = scripted();
    const pauses = new GcPauses(gc.observe);
    pauses.close();
    pauses.close();
    expect(gc.stopped()).toBe(true);
    gc.pause(5);
    expect(pauses.take().count).toBe(0);
  });

  it('a full collection notes what the heap holds outside the young generation; a scavenge does not', () => {
    const gc = scripted();
    let held = 40_000_000;
    const pauses = new GcPauses(gc.observe, () => held);
    gc.pause(2);
    expect(pauses.take()).toEqual({ count: 1, pauseMs: 2, maxPauseMs: 2 });
    gc.pause(30, true);
    held = 90_000_000; // read at the collection, not at the take
    expect(pauses.take()).toEqual({ count: 2, pauseMs: 32, maxPauseMs: 30, heldAfterMajorBytes: 40_000_000 });
    gc.pause(1);
    expect(pauses.take().heldAfterMajorBytes).toBe(40_000_000);
  });

  it("tells a real full collection from perf_hooks and reads the old generation after it", async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const pauses = new GcPauses();
    try {
      collect();
      const f = await until(() => pauses.take().heldAfterMajorBytes, 'a full collection observed', 10_000);
      expect(f).toBeGreaterThan(1024 * 1024);
      expect(f).toBeLessThan(getHeapStatistics().used_heap_size + 1);
    } finally {
      pauses.close();
    }
  });

  it("sees this process's real collections through perf_hooks", async () => {
    const pauses = new GcPauses();
    try {
      let keep: unknown[] = [];
      await until(() => {
        // short-lived garbage: young-generation collections follow
        for (let i = 0; i < 200_000; i++) keep.push({ i, s: String(i) });
        keep = [];
        return pauses.take().count > 0 || undefined;
      }, 'a GC pause observed', 10_000);
      const f = pauses.take();
      expect(f.pauseMs).toBeGreaterThan(0);
    } finally {
      pauses.close();
    }
  });
});

describe('VitalsSampler carries the GC figures in each beat', () => {
  it('a beat has the figures since the previous one and passes the contract', () => {
    const gc = scripted();
    const histogram: DelayHistogram = { enable: () => true, disable: () => true, reset: () => undefined, percentile: () => 0, count: 0 };
    const sampler = new VitalsSampler(histogram, new LoopDelayGate(), new GcPauses(gc.observe));
    gc.pause(7);
    const beat = sampler.sample({}, { ticksIn: 0, ticksOut: 0, ticksPending: 0, batchesOut: 0 }, 0);
    expect(beat.gc).toEqual({ count: 1, pauseMs: 7, maxPauseMs: 7 });
    expect(ProcessVitalsSchema.safeParse(beat).success).toBe(true);
    expect(sampler.sample({}, { ticksIn: 0, ticksOut: 0, ticksPending: 0, batchesOut: 0 }, 0).gc).toEqual({ count: 1, pauseMs: 7, maxPauseMs: 0 });
    sampler.close();
    expect(gc.stopped()).toBe(true);
  });
});
