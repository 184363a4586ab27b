// ProcessVitals for the heartbeat: memory, event-loop delay percentiles (from
// perf_hooks' histogram, reset each beat so they describe the last period), task
// counts by category, listener count and tick counters; and the heartbeat's own
// progress counter and lag.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { now } from '../../shared/clock';
import type { ProcessVitals } from '../../shared/contract/status';

export class VitalsSampler {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly startedAt = now();

  constructor() {
    this.histogram.enable();
  }

  sample(tasks: Record<string, number>, counters: { ticksIn: number; batchesOut: number }): ProcessVitals {
    const h = this.histogram;
    const mem = process.memoryUsage();
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    const vitals: ProcessVitals = {
      pid: process.pid,
      at: now(),
      uptimeMs: now() - this.startedAt,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      eventLoopDelayMs: h.count > 0 ? { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)) } : { p50: 0, p99: 0 },
      tasks,
      handlers: countProcessHandlers(),
      ticksIn: counters.ticksIn,
      batchesOut: counters.batchesOut,
    };
    h.reset();
    return vitals;
  }

  close(): void {
    this.histogram.disable();
  }
}

/**
 * Numbers each heartbeat and measures how late its timer fired. The lateness is
 * the event loop's lag at that moment (a loop blocked for 2 s fires the timer 2 s
 * late); the count is the loop's progress, which the parent reports when it judges
 * a hang.
 */
export class HeartbeatClock {
  private beats = 0;
  private lastAt: number | undefined;

  constructor(private readonly periodMs: number) {}

  beat(at: number): { progress: number; lagMs: number } {
    const lagMs = this.lastAt === undefined ? 0 : Math.max(0, at - this.lastAt - this.periodMs);
    this.lastAt = at;
    return { progress: ++this.beats, lagMs };
  }
}

/** Listeners registered on `process` (messages, signals, disconnect...): a leak shows here. */
function countProcessHandlers(): number {
  let n = 0;
  for (const name of process.eventNames()) n += process.listenerCount(name);
  return n;
}
