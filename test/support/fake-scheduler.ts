import type { Scheduler } from '../../electron/engine/lifecycle/scheduler';

/** A Scheduler on Date.now and setTimeout, so vitest's fake timers move it only when the test says so. */
export const fakeScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};
