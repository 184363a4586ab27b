// When is an exchange's stream "behind"? A pure policy over the figures sampled at
// each heartbeat, with hysteresis so a storm is one episode, not a flicker:
//   pressure  = the event loop lagged ≥ lagMs, or a tick waited ≥ latencyMs between
//               receipt and leaving the process (the longest since the last sample),
//               or trades were shed since the last sample;
//   behind    from the first sample under pressure;
//   caught up once no sample has shown pressure for calmMs.
// An episode is reported twice, when it starts and when it ends, with its figures:
// the caller logs exactly those two lines, never one per message.

export interface BehindThresholds {
  lagMs: number;
  latencyMs: number;
  calmMs: number;
}

export const BEHIND_THRESHOLDS: BehindThresholds = { lagMs: 500, latencyMs: 1000, calmMs: 3000 };

export interface BehindSample {
  at: number;
  /** Event-loop lag of the process (heartbeat lateness). */
  loopLagMs: number;
  /** Receipt → batch sent: the longest wait since the last sample. */
  processingMaxMs: number;
  /** Trades shed so far (cumulative). */
  tradesShed: number;
}

export type BehindChange =
  | { kind: 'behind'; loopLagMs: number; processingMaxMs: number; tradesShed: number }
  | { kind: 'caught-up'; durationMs: number; maxLoopLagMs: number; maxProcessingMs: number; tradesShed: number };

export class BehindDetector {
  private episode: { since: number; lastPressureAt: number; maxLag: number; maxWait: number; shedAtStart: number } | undefined;
  private lastShed = 0;

  constructor(private readonly limits: BehindThresholds = BEHIND_THRESHOLDS) {}

  get behind(): boolean {
    return this.episode !== undefined;
  }

  /** Takes one sample; returns the change it caused, if any. */
  sample(s: BehindSample): BehindChange | undefined {
    const shedNow = s.tradesShed - this.lastShed;
    this.lastShed = s.tradesShed;
    const pressure = s.loopLagMs >= this.limits.lagMs || s.processingMaxMs >= this.limits.latencyMs || shedNow > 0;
    const e = this.episode;
    if (!e) {
      if (!pressure) return undefined;
      this.episode = { since: s.at, lastPressureAt: s.at, maxLag: s.loopLagMs, maxWait: s.processingMaxMs, shedAtStart: s.tradesShed - shedNow };
      return { kind: 'behind', loopLagMs: s.loopLagMs, processingMaxMs: s.processingMaxMs, tradesShed: shedNow };
    }
    e.maxLag = Math.max(e.maxLag, s.loopLagMs);
    e.maxWait = Math.max(e.maxWait, s.processingMaxMs);
    if (pressure) {
      e.lastPressureAt = s.at;
      return undefined;
    }
    if (s.at - e.lastPressureAt < this.limits.calmMs) return undefined;
    this.episode = undefined;
    return { kind: 'caught-up', durationMs: e.lastPressureAt - e.since, maxLoopLagMs: e.maxLag, maxProcessingMs: e.maxWait, tradesShed: s.tradesShed - e.shedAtStart };
  }
}
