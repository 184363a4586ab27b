import { describe, expect, it } from 'vitest';
import { SilenceWatchdog } from '../../electron/streaming/silence-watchdog';
import { FakeTime } from './streaming-fake-time';

describe('SilenceWatchdog', () => {
  it('a tick on time judges; a tick more than one interval late does not (our loop was busy)', async () => {
    const time = new FakeTime();
    const w = new SilenceWatchdog({ tickMs: 100, closesPerSec: 10 }, time);
    await time.advance(100);
    expect(w.onTime()).toBe(true);
    await time.advance(180); // 80 ms late: still within one interval
    expect(w.onTime()).toBe(true);
    await time.advance(2000); // the event loop was blocked
    expect(w.onTime()).toBe(false);
    await time.advance(100); // the next tick after the stall judges again
    expect(w.onTime()).toBe(true);
  });

  it('cuts at most closesPerSec sockets at once, then as the budget refills', async () => {
    const time = new FakeTime();
    const w = new SilenceWatchdog({ tickMs: 100, closesPerSec: 5 }, time);
    const burst = Array.from({ length: 200 }, () => w.mayClose()).filter(Boolean).length;
    expect(burst).toBe(5);
    await time.advance(200); // one more token per 200 ms
    expect([w.mayClose(), w.mayClose()]).toEqual([true, false]);
    await time.advance(10_000); // the bucket holds no more than one second's worth
    expect(Array.from({ length: 20 }, () => w.mayClose()).filter(Boolean).length).toBe(5);
  });

  it('restart refills the budget and restarts the tick clock', async () => {
    const time = new FakeTime();
    const w = new SilenceWatchdog({ tickMs: 100, closesPerSec: 2 }, time);
    w.mayClose();
    w.mayClose();
    await time.advance(5000);
    w.restart();
    expect([w.mayClose(), w.mayClose(), w.mayClose()]).toEqual([true, true, false]);
    await time.advance(100);
    expect(w.onTime()).toBe(true);
  });
});
