// The process's garbage-collection pauses, for the heartbeat's vitals. A pause stops
// every tick in the process: at 5k ticks/s the streaming process's scavenges (10-50 ms
// each with its 64 MB young generation, one or two a second) set the socket->engine
// p99, and only a figure beside it says so. Counted from perf_hooks' 'gc' entries,
// which V8 reports after each collection (one small object per GC, not per tick).
import { PerformanceObserver } from 'node:perf_hooks';

/** Subscribes `onPause` to the process's GC pauses (ms); returns the function that stops it. */
export type ObserveGc = (onPause: (durationMs: number) => void) => () => void;

export const observeNodeGc: ObserveGc = (onPause) => {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) onPause(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
};

export interface GcFigures {
  /** Pauses since the collector started. */
  count: number;
  /** Their total length (ms). */
  pauseMs: number;
  /** The longest pause since the previous take() (ms); 0 when none. */
  maxPauseMs: number;
}

export class GcPauses {
  private count = 0;
  private pauseMs = 0;
  private maxPauseMs = 0;
  private stop: (() => void) | undefined;

  constructor(observe: ObserveGc = observeNodeGc) {
    this.stop = observe((ms) => {
      this.count++;
      this.pauseMs += ms;
      if (ms > this.maxPauseMs) this.maxPauseMs = ms;
    });
  }

  /** Cumulative count and time, and the longest pause since the last take (which it resets). */
  take(): GcFigures {
    const figures = { count: this.count, pauseMs: this.pauseMs, maxPauseMs: this.maxPauseMs };
    this.maxPauseMs = 0;
    return figures;
  }

  close(): void {
    this.stop?.();
    this.stop = undefined;
  }
}
