import { vi } from 'vitest';
import type { Scheduler } from '../../shared/lifecycle/timers';

// A Scheduler on vitest's fake clock: Date.now and setTimeout as vi.useFakeTimers()
// replaces them, so time moves only when the test advances it. Used under real
// timers it would wait in real time and assert on a moving clock, so it refuses
// to. (FakeTime in test/unit/streaming-fake-time.ts is the same without vitest's clock.)
function fakeClockOnly(): void {
  if (!vi.isFakeTimers()) throw new Error('fakeScheduler runs on vitest fake timers: call vi.useFakeTimers() first');
}

export const fakeScheduler: Scheduler = {
  now: () => {
    fakeClockOnly();
    return Date.now();
  },
  setTimeout: (fn, ms) => {
    fakeClockOnly();
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};
