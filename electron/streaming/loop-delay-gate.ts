// Whether the streaming process runs its fine event-loop-delay histogram for the
// next heartbeat period. perf_hooks' monitorEventLoopDelay samples with a libuv
// timer every `resolution` ms: at 10 ms that is 100 wake-ups a second, nearly all
// of an idle process's wake-ups, to measure a delay that is ~0 when idle. So the
// histogram runs only while the process is busy (many ticks) and for a few beats
// after; otherwise the heartbeat's own lateness, which costs no extra timer, is the
// delay reported. Lateness alone does not start it: on a shared machine timers are
// late because other processes hold the cores, and that costs us nothing to report.

export interface LoopDelayGateOptions {
  /** Ticks received within one beat period from which the process counts as busy. */
  busyTicksPerBeat: number;
  /** Quiet beats in a row before the histogram stops (a lull inside a burst keeps it). */
  quietBeats: number;
}

/** 200 ticks/s at the 500 ms heartbeat; the default watchlist (6 × 4/s) stays far below. */
export const LOOP_DELAY_GATE: LoopDelayGateOptions = { busyTicksPerBeat: 100, quietBeats: 4 };

export class LoopDelayGate {
  private on = false;
  private quiet = 0;

  constructor(private readonly opts: LoopDelayGateOptions = LOOP_DELAY_GATE) {}

  /** After a beat that saw `ticks` new ticks: whether the histogram runs until the next beat. */
  next(ticks: number): boolean {
    if (ticks >= this.opts.busyTicksPerBeat) {
      this.quiet = 0;
      this.on = true;
    } else if (this.on && ++this.quiet >= this.opts.quietBeats) {
      this.on = false;
    }
    return this.on;
  }

  get running(): boolean {
    return this.on;
  }
}
