// Vitest's fake timers for each test of the file or describe block that calls this,
// and real ones again after each, so no test leaks fake time into the next.
import { afterEach, beforeEach, vi } from 'vitest';

export function fakeTimersInEachTest(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
