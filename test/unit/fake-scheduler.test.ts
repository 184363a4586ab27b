import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeScheduler } from '../support/fake-scheduler';

afterEach(() => vi.useRealTimers());

describe('fakeScheduler', () => {
  it('refuses to run on real timers', () => {
    expect(() => fakeScheduler.now()).toThrow(/vi\.useFakeTimers/);
    expect(() => fakeScheduler.setTimeout(() => undefined, 10)).toThrow(/vi\.useFakeTimers/);
  });

  it('moves only when the test advances the fake clock', () => {
    vi.useFakeTimers();
    const t0 = fakeScheduler.now();
    const fired: number[] = [];
    fakeScheduler.setTimeout(() => fired.push(fakeScheduler.now() - t0), 100);
    const cancel = fakeScheduler.setTimeout(() => fired.push(-1), 150);
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    cancel();
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([100]);
    expect(fakeScheduler.now() - t0).toBe(199);
  });
});
