import { describe, expect, it } from 'vitest';
import { clockOffset, measureClockOffset } from '../../bench/clock-offset';

describe('clockOffset', () => {
  it('is the remote stamp minus the midpoint of the shortest round trip', () => {
    expect(clockOffset([
      { sentAt: 1000, remote: 15_010, receivedAt: 1030 }, // 30 ms round trip
      { sentAt: 2000, remote: 16_002, receivedAt: 2004 }, // 4 ms: the tightest, offset 16_002 - 2002
      { sentAt: 3000, remote: 17_020, receivedAt: 3040 },
    ])).toBe(14_000);
  });

  it('is NaN with no sample', () => {
    expect(clockOffset([])).toBeNaN();
  });
});

describe('measureClockOffset', () => {
  it('asks one at a time and finds a remote clock 14 s ahead, whatever the delays', async () => {
    let local = 0;
    const delays = [9, 1, 5];
    let asked = 0;
    let inFlight = 0;
    const remoteNow = async () => {
      inFlight++;
      expect(inFlight).toBe(1);
      const d = delays[asked++ % delays.length]!;
      local += d; // the way there
      const stamp = local + 14_000;
      local += d; // and back
      inFlight--;
      return stamp;
    };
    expect(await measureClockOffset(remoteNow, () => local, 3)).toBe(14_000);
    expect(asked).toBe(3);
  });
});
