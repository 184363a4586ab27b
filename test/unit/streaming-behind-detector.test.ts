import { describe, expect, it } from 'vitest';
import { BehindDetector, type BehindSample } from '../../electron/streaming/behind-detector';

const calm = (at: number, tradesShed = 0): BehindSample => ({ at, loopLagMs: 3, processingMaxMs: 5, tradesShed });

describe('BehindDetector', () => {
  it('says nothing while figures stay under the thresholds', () => {
    const d = new BehindDetector({ lagMs: 500, latencyMs: 1000, calmMs: 3000 });
    const trace = [0, 500, 1000, 1500].map((t) => d.sample(calm(t)));
    expect(trace).toEqual([undefined, undefined, undefined, undefined]);
    expect(d.behind).toBe(false);
  });

  it('one episode per storm: behind at the first pressure, caught up after calmMs without any, with its figures', () => {
    const d = new BehindDetector({ lagMs: 500, latencyMs: 1000, calmMs: 3000 });
    const trace = [
      d.sample(calm(0)),
      d.sample({ at: 500, loopLagMs: 700, processingMaxMs: 40, tradesShed: 0 }),
      d.sample({ at: 1000, loopLagMs: 100, processingMaxMs: 1800, tradesShed: 0 }),
      d.sample(calm(1500)), // a calm sample inside the storm: no flicker
      d.sample({ at: 2000, loopLagMs: 50, processingMaxMs: 20, tradesShed: 12 }),
      d.sample(calm(4000, 12)),
      d.sample(calm(4999, 12)),
      d.sample(calm(5000, 12)),
      d.sample(calm(5500, 12)),
    ];
    expect(trace).toEqual([
      undefined,
      { kind: 'behind', loopLagMs: 700, processingMaxMs: 40, tradesShed: 0 },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { kind: 'caught-up', durationMs: 1500, maxLoopLagMs: 700, maxProcessingMs: 1800, tradesShed: 12 },
      undefined,
    ]);
    expect(d.behind).toBe(false);
  });

  it('trades shed alone put it behind; a shed count that does not grow is no pressure', () => {
    const d = new BehindDetector({ lagMs: 500, latencyMs: 1000, calmMs: 1000 });
    expect(d.sample(calm(0, 0))).toBeUndefined();
    expect(d.sample(calm(100, 5))).toEqual({ kind: 'behind', loopLagMs: 3, processingMaxMs: 5, tradesShed: 5 });
    expect(d.sample(calm(600, 5))).toBeUndefined();
    expect(d.behind).toBe(true);
    expect(d.sample(calm(1100, 5))).toEqual({ kind: 'caught-up', durationMs: 0, maxLoopLagMs: 3, maxProcessingMs: 5, tradesShed: 5 });
  });
});
