// Fixed-size ring of recent latency samples with percentiles computed on demand.
// Pushing is allocation-free (it runs per tick); sorting happens only when a
// status message is built (at most a few times per second), into a scratch
// buffer allocated once.
export class LatencyRing {
  private readonly samples: Float64Array;
  private readonly scratch: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity = 1024) {
    this.samples = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  push(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }

  /** Nearest-rank percentiles of the samples in the window; zeros when empty. */
  percentiles(): { p50: number; p99: number } {
    const n = this.count;
    if (n === 0) return { p50: 0, p99: 0 };
    const s = this.scratch.subarray(0, n);
    s.set(this.samples.subarray(0, n));
    s.sort();
    return { p50: s[rank(0.5, n)]!, p99: s[rank(0.99, n)]! };
  }
}

function rank(p: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
}
