import { describe, expect, it } from 'vitest';
import { LoopDelayGate, LOOP_DELAY_GATE } from '../../electron/streaming/loop-delay-gate';
import { VitalsSampler, type DelayHistogram } from '../../electron/streaming/vitals';

/** Records what the sampler did to the histogram; its percentiles are fixed (ns). */
class FakeHistogram implements DelayHistogram {
  readonly trace: string[] = [];
  count = 0;
  enable(): boolean {
    this.trace.push('enable');
    return true;
  }
  disable(): boolean {
    this.trace.push('disable');
    return true;
  }
  reset(): void {
    this.count = 0;
  }
  percentile(p: number): number {
    return p === 50 ? 3e6 : 40e6;
  }
}

describe('LoopDelayGate', () => {
  const gate = () => new LoopDelayGate({ busyTicksPerBeat: 100, quietBeats: 3 });

  it('stays off while idle: the default watchlist (6 rows × 4/s = 12 ticks a beat)', () => {
    const g = gate();
    expect(Array.from({ length: 20 }, () => g.next(12))).toEqual(Array(20).fill(false));
  });

  it('turns on with a busy beat and off after quietBeats quiet beats in a row', () => {
    const g = gate();
    const trace = [
      g.next(150), // busy
      g.next(10),
      g.next(10),
      g.next(120), // busy again: the quiet count starts over
      g.next(10),
      g.next(10),
      g.next(10), // third quiet beat in a row
      g.next(10),
    ];
    expect(trace).toEqual([true, true, true, true, true, true, false, false]);
  });

  it('defaults: the default watchlist is idle, 200 ticks/s is busy', () => {
    const g = new LoopDelayGate();
    expect(g.next(12)).toBe(false);
    expect(g.next(LOOP_DELAY_GATE.busyTicksPerBeat)).toBe(true);
  });
});

describe('VitalsSampler event-loop delay', () => {
  const counters = (ticksIn: number) => ({ ticksIn, ticksOut: 0, ticksPending: 0, batchesOut: 0 });

  it('never starts the 10 ms histogram timer while idle, late timers (a loaded machine) or not, and reports the heartbeat lateness instead', () => {
    const h = new FakeHistogram();
    const v = new VitalsSampler(h, new LoopDelayGate({ busyTicksPerBeat: 100, quietBeats: 2 }));
    const delays = [];
    for (let beat = 1; beat <= 60; beat++) delays.push(v.sample({}, counters(beat * 12), beat % 2 ? 80 : 0).eventLoopDelayMs);
    expect(h.trace).toEqual([]);
    expect(v.histogramRunning).toBe(false);
    expect(delays[0]).toEqual({ p50: 80, p99: 80 });
    expect(delays[1]).toEqual({ p50: 0, p99: 0 });
  });

  it('runs the histogram from a busy beat on, reports its percentiles, and stops it after the quiet beats', () => {
    const h = new FakeHistogram();
    const v = new VitalsSampler(h, new LoopDelayGate({ busyTicksPerBeat: 100, quietBeats: 2 }));
    const out = [];
    let ticks = 0;
    for (const [n, lag] of [[10, 0], [500, 5], [400, 0], [10, 0], [10, 0], [10, 0]] as const) {
      ticks += n;
      h.count = h.trace.at(-1) === 'enable' ? 50 : 0; // samples only while enabled
      out.push(v.sample({}, counters(ticks), lag).eventLoopDelayMs);
    }
    expect(h.trace).toEqual(['enable', 'disable']);
    expect(out).toEqual([
      { p50: 0, p99: 0 }, // idle
      { p50: 5, p99: 5 }, // the busy beat itself: the histogram was not running yet
      { p50: 3, p99: 40 }, // histogram
      { p50: 3, p99: 40 },
      { p50: 3, p99: 40 }, // second quiet beat: stopped after this sample
      { p50: 0, p99: 0 },
    ]);
    v.close();
    expect(h.trace).toEqual(['enable', 'disable', 'disable']);
  });
});
