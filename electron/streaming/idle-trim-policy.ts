// When the streaming process gives back the memory V8 grew for a storm. V8 grows
// the young generation as objects survive its scavenges, up to the
// --max-semi-space-size bound (2 × 64 MB, for storms: see STREAMING_EXEC_ARGV), and
// shrinks it only in a collection asked for as "low memory" (what Chromium does in an
// idle tab): after a storm it stays at the bound. So: once the process has been quiet
// for a while and the young generation is near that bound, ask for one, at most once
// a minute. It also compacts what the storm left in the old generation: after the
// benchmark's storm stage it took 0.66 s from request to end (young 128 → 1 MB, RSS 513 → 157 MB),
// once, with the market quiet.
//
// Only then: a young generation given back must be grown again by the next burst,
// and meanwhile it is collected often and promotes what ccxt keeps for seconds.
// Trimming what start-up grew (2 × 32 MB with 500 markets) made the 50k path stage
// shed 20-23k trades instead of 3.5-4.6k (two runs each); trimming the idle screen's
// 2 × 16 MB every 30 s cost its streaming process ~40% more CPU (700 → 1,000-1,260 ms
// per 30 s) for ~30 MB of RSS.

export interface IdleTrimOptions {
  /** Ticks per second below which the process counts as quiet. */
  quietTicksPerS: number;
  /** How long the process must have been quiet before a trim. */
  quietForMs: number;
  /** Young generation (committed bytes) from which a trim is worth its collection. */
  youngBoundBytes: number;
  /** Least time between two trims. */
  minIntervalMs: number;
}

/**
 * Quiet: under 1,000 ticks/s (the 5k/s bench path is busy, the idle screen's ~50/s is
 * quiet) for 10 s. 100 MB: only a young generation at or near its 2 × 64 MB bound.
 */
export const IDLE_TRIM: IdleTrimOptions = { quietTicksPerS: 1000, quietForMs: 10_000, youngBoundBytes: 100 * 1024 * 1024, minIntervalMs: 60_000 };

export class IdleTrimPolicy {
  private quietSince: number | undefined;
  private lastAt: number | undefined;
  private lastTicks = 0;
  private lastTrimAt = -Infinity;

  constructor(private readonly opts: IdleTrimOptions = IDLE_TRIM) {}

  /**
   * At a heartbeat: `ticksIn` counted since the process started, `youngBytes` the
   * young generation's committed size now. True when a trim should run now.
   */
  beat(at: number, ticksIn: number, youngBytes: number): boolean {
    const prevAt = this.lastAt;
    const prevTicks = this.lastTicks;
    this.lastAt = at;
    this.lastTicks = ticksIn;
    if (prevAt === undefined) {
      this.quietSince = at;
      return false;
    }
    const seconds = (at - prevAt) / 1000;
    const rate = seconds > 0 ? (ticksIn - prevTicks) / seconds : Infinity;
    if (rate >= this.opts.quietTicksPerS) {
      this.quietSince = undefined;
      return false;
    }
    // Quiet from the start of this beat's period, not its end: the period was quiet.
    this.quietSince ??= prevAt;
    return at - this.quietSince >= this.opts.quietForMs && youngBytes >= this.opts.youngBoundBytes && at - this.lastTrimAt >= this.opts.minIntervalMs;
  }

  /** A trim ran (or was attempted) at `at`: the interval counts from here. */
  trimmed(at: number): void {
    this.lastTrimAt = at;
  }
}
