// The process's garbage-collection pauses, for the heartbeat's vitals. A pause stops
// every tick in the process: at 5k ticks/s the streaming process's scavenges (10-50 ms
// each with its 64 MB young generation, one or two a second) set the socket->engine
// p99, and only a figure beside it says so. Counted from perf_hooks' 'gc' entries,
// which V8 reports after each collection (one small object per GC, not per tick).
// After each full (mark-compact) collection it also notes the heap outside the young
// generation: what the process really holds, the figure that shows whether memory is
// bounded under load (RSS keeps what the allocator once took, and the young
// generation is mostly garbage between collections).
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/** Subscribes `onPause` to the process's GC pauses (ms; `major`: a full mark-compact); returns the function that stops it. */
export type ObserveGc = (onPause: (durationMs: number, major: boolean) => void) => () => void;

export const observeNodeGc: ObserveGc = (onPause) => {
  const observer = new PerformanceObserver((list) => {
    // A 'gc' entry's detail.kind says which collector ran (Node's types leave `detail` out).
    for (const entry of list.getEntries()) onPause(entry.duration, (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
};

/** Bytes in use outside the young generation (old, code and large-object spaces). */
export function oldGenerationBytes(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name !== 'new_space' && space.space_name !== 'new_large_object_space') used += space.space_used_size;
  }
  return used;
}

export interface GcFigures {
  /** Pauses since the collector started. */
  count: number;
  /** Their total length (ms). */
  pauseMs: number;
  /** The longest pause since the previous take() (ms); 0 when none. */
  maxPauseMs: number;
  /** The heap outside the young generation just after the last full collection (bytes); absent before the first. */
  heldAfterMajorBytes?: number;
}

export class GcPauses {
  private count = 0;
  private pauseMs = 0;
  private maxPauseMs = 0;
  private heldAfterMajorBytes: number | undefined;
  private stop: (() => void) | undefined;

  /** `held`: the heap outside the young generation (read once per full collection). */
  constructor(observe: ObserveGc = observeNodeGc, held: () => number = oldGenerationBytes) {
    this.stop = observe((ms, major) => {
      this.count++;
      this.pauseMs += ms;
      if (ms > this.maxPauseMs) this.maxPauseMs = ms;
      // Read when perf_hooks delivers the entry, a moment after the collection: only
      // what scavenges promoted since then is counted, a sliver next to a full heap.
      if (major) this.heldAfterMajorBytes = held();
    });
  }

  /** Cumulative count and time, the longest pause since the last take (which it resets), and what the last full collection left. */
  take(): GcFigures {
    const figures: GcFigures = { count: this.count, pauseMs: this.pauseMs, maxPauseMs: this.maxPauseMs };
    if (this.heldAfterMajorBytes !== undefined) figures.heldAfterMajorBytes = this.heldAfterMajorBytes;
    this.maxPauseMs = 0;
    return figures;
  }

  close(): void {
    this.stop?.();
    this.stop = undefined;
  }
}
