import { describe, expect, it } from 'vitest';
import { STATUS_MIN_INTERVAL_MS, STATUS_REFRESH_MS, StatusCadence } from '../../electron/streaming/status-cadence';

describe('StatusCadence', () => {
  it('sends the first change at once, then at most one status per interval', () => {
    const c = new StatusCadence();
    expect(c.delayForChange(1000)).toBe(0);
    c.sent(1000);
    expect(c.delayForChange(1100)).toBe(STATUS_MIN_INTERVAL_MS - 100);
    expect(c.delayForChange(1000 + STATUS_MIN_INTERVAL_MS)).toBe(0);
  });

  it('refreshes rates on a heartbeat only once a second, whatever the heartbeat period', () => {
    const c = new StatusCadence();
    const sentAt: number[] = [];
    // 500 ms heartbeats for 5 s: a refresh every second, not every beat.
    for (let t = 0; t <= 5000; t += 500) {
      if (c.refreshDue(t)) {
        c.sent(t);
        sentAt.push(t);
      }
    }
    expect(STATUS_REFRESH_MS).toBe(1000);
    expect(sentAt).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  it('a state change sent in between postpones the next refresh', () => {
    const c = new StatusCadence(250, 1000);
    c.sent(0);
    c.sent(700); // a state change
    expect(c.refreshDue(1000)).toBe(false);
    expect(c.refreshDue(1700)).toBe(true);
  });
});
