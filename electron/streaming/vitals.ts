// ProcessVitals for the heartbeat: memory, event-loop delay percentiles, GC pauses,
// task counts by category, listener count and tick counters; and the heartbeat's own
// progress counter and lag. The delay comes from perf_hooks' histogram (reset each
// beat, so it describes the last period) while LoopDelayGate says the process is
// busy, and from the heartbeat's own lateness otherwise (no timer of its own).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now } from '../../shared/clock';
import type { ProcessVitals } from '../../shared/contract/status';
import { LoopDelayGate } from './loop-delay-gate';
import { GcPauses } from './gc-pauses';

/** What VitalsSampler uses of perf_hooks' IntervalHistogram (tests count enables). */
export interface DelayHistogram {
  enable(): boolean;
  disable(): boolean;
  reset(): void;
  percentile(p: number): number;
  readonly count: number;
}

/** Samples every 10 ms while enabled: fine enough to see a 20 ms stall. */
const HISTOGRAM_RESOLUTION_MS = 10;

export class VitalsSampler {
  private readonly startedAt = now();
  private lastTicksIn = 0;
  private histogramOn = false;

  constructor(
    private readonly histogram: DelayHistogram = monitorEventLoopDelay({ resolution: HISTOGRAM_RESOLUTION_MS }),
    private readonly gate = new LoopDelayGate(),
    private readonly gc = new GcPauses(),
  ) {}

  /** `lagMs`: how late this beat's timer fired (HeartbeatClock), the delay reported while the histogram is off. */
  sample(tasks: Record<string, number>, counters: { ticksIn: number; ticksOut: number; ticksPending: number; batchesOut: number }, lagMs: number): ProcessVitals {
    const h = this.histogram;
    const mem = process.memoryUsage();
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    const vitals: ProcessVitals = {
      pid: process.pid,
      at: now(),
      uptimeMs: now() - this.startedAt,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      eventLoopDelayMs: this.histogramOn && h.count > 0 ? { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)) } : { p50: lagMs, p99: lagMs },
      tasks,
      handlers: countProcessHandlers(),
      ticksIn: counters.ticksIn,
      ticksOut: counters.ticksOut,
      ticksPending: counters.ticksPending,
      batchesOut: counters.batchesOut,
      gc: this.gc.take(),
    };
    const run = this.gate.next(counters.ticksIn - this.lastTicksIn);
    this.lastTicksIn = counters.ticksIn;
    if (run !== this.histogramOn) {
      this.histogramOn = run;
      if (run) h.enable();
      else h.disable();
    }
    h.reset();
    return vitals;
  }

  /** Whether the histogram's timer is running (wakes the process every 10 ms). */
  get histogramRunning(): boolean {
    return this.histogramOn;
  }

  close(): void {
    this.histogramOn = false;
    this.histogram.disable();
    this.gc.close();
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
