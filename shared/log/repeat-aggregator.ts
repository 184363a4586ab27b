// Windowed counting of repeated log records, so a fault that repeats a message
// thousands of times writes two lines instead: the first occurrence at once, and
// "repeated N times in 10 s" when its window closes. Pure: time comes from the
// injected timers, so the engine (its Scheduler) and the streaming process
// (setTimeout) share it, and tests drive it with fake time.

/** Structurally the engine's Scheduler.setTimeout: runs `fn` once after `ms`, returns the cancel. */
export interface WindowTimers {
  setTimeout(fn: () => void, ms: number): () => void;
}

export interface RepeatAggregatorOptions<T> {
  windowMs: number;
  /** Open windows at most; beyond it new keys are not aggregated (a rate limiter behind bounds them). */
  maxKeys: number;
  timers: WindowTimers;
  /** A window closed with repeats: `first` is what was offered with the first occurrence. */
  onSummary: (first: T, repeats: number, windowMs: number) => void;
}

interface Window<T> {
  first: T;
  repeats: number;
  cancel: () => void;
}

export class RepeatAggregator<T> {
  private readonly open = new Map<string, Window<T>>();
  private disposed = false;

  constructor(private readonly opts: RepeatAggregatorOptions<T>) {}

  /** True: the first occurrence of `key` in its window (write it now). False: counted for the summary. */
  offer(key: string, first: T): boolean {
    const w = this.open.get(key);
    if (w) {
      w.repeats++;
      return false;
    }
    if (this.disposed || this.open.size >= this.opts.maxKeys) return true;
    const window: Window<T> = { first, repeats: 0, cancel: () => undefined };
    this.open.set(key, window);
    window.cancel = this.opts.timers.setTimeout(() => this.close(key), this.opts.windowMs);
    return true;
  }

  /** Open windows (each holds one timer). */
  get size(): number {
    return this.open.size;
  }

  /** Closes every window now: summaries for the repeats counted so far, timers cancelled. */
  flush(): void {
    for (const key of [...this.open.keys()]) this.close(key);
  }

  /** Flushes and stops opening windows: every later offer is a first occurrence. */
  dispose(): void {
    this.flush();
    this.disposed = true;
  }

  private close(key: string): void {
    const w = this.open.get(key);
    if (!w) return;
    this.open.delete(key);
    w.cancel();
    if (w.repeats > 0) this.opts.onSummary(w.first, w.repeats, this.opts.windowMs);
  }
}

/** "412 times in 10 s": the wording every summary line uses. */
export function repeatSummary(repeats: number, windowMs: number): string {
  return `${repeats} ${repeats === 1 ? 'time' : 'times'} in ${Math.round(windowMs / 100) / 10} s`;
}
