// Statistics helpers for the benchmark: percentiles, summaries, linear trend.

/** Nearest-rank percentile (p in 0..100) of an unsorted list; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return percentileSorted(sorted, p);
}

export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // the epsilon keeps float error (99.9 / 100 * 10000 = 9990.000000000002) from moving the rank
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) * sorted.length) / 100 - 1e-9);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return {
    n: s.length,
    min: s.length ? s[0]! : NaN,
    p50: percentileSorted(s, 50),
    p95: percentileSorted(s, 95),
    p99: percentileSorted(s, 99),
    p999: percentileSorted(s, 99.9),
    max: s.length ? s[s.length - 1]! : NaN,
    mean,
  };
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than 2 points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  let sx = 0, sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n, my = sy / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** Is a series bounded: its last third never exceeds `factor` × the max of its first two thirds (plus slack)? */
export function bounded(series: readonly number[], slack = 0, factor = 1.5): boolean {
  if (series.length < 3) return true;
  const cut = Math.floor((series.length * 2) / 3);
  const early = Math.max(...series.slice(0, cut));
  const late = Math.max(...series.slice(cut));
  return late <= early * factor + slack;
}

/**
 * A uniform sample of at most `capacity` values from a stream of any length
 * (Algorithm R): a long storm keeps a fair sample of its whole length, where
 * "the first N" would describe only its start. `random` is injectable for tests.
 */
export class Reservoir {
  private readonly values: number[] = [];
  private seen = 0;

  constructor(private readonly capacity: number, private readonly random: () => number = Math.random) {}

  add(value: number): void {
    this.seen++;
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    const i = Math.floor(this.random() * this.seen);
    if (i < this.capacity) this.values[i] = value;
  }

  /** Values seen since the last take (the sample holds at most capacity of them). */
  get count(): number {
    return this.seen;
  }

  /** Returns the sample and starts a new one. */
  take(): number[] {
    const out = this.values.splice(0);
    this.seen = 0;
    return out;
  }
}
