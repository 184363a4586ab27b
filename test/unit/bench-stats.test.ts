import { describe, expect, it } from 'vitest';
import { bounded, median, percentile, slope, summarize } from '../../bench/stats';

describe('bench statistics', () => {
  it('percentile uses nearest rank and ignores input order', () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 90)).toBe(9);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(v[0]).toBe(5); // not sorted in place
  });

  it('summarize reports p99.9 from large samples', () => {
    const v = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const s = summarize(v);
    expect(s.n).toBe(10_000);
    expect(s.p50).toBe(5000);
    expect(s.p99).toBe(9900);
    expect(s.p999).toBe(9990);
    expect(s.max).toBe(10_000);
    expect(s.mean).toBeCloseTo(5000.5);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('slope is the least-squares growth per step', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    expect(slope([0, 1, 2, 3], [5, 5, 5, 5])).toBeCloseTo(0);
    expect(slope([1], [1])).toBeNaN();
  });

  it('bounded tells a plateau from a queue that keeps growing', () => {
    expect(bounded([0, 5, 3, 6, 4, 5, 6, 5, 4])).toBe(true);
    expect(bounded([1, 2, 3, 4, 5, 6, 7, 8, 20])).toBe(false);
    expect(bounded([0, 0, 0, 0, 0, 3], 10)).toBe(true);
    expect(bounded([1, 2])).toBe(true);
  });
});
