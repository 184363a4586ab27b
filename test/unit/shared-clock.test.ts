import { describe, expect, it } from 'vitest';
import { STEP_MS, anchoredClock, now } from '../../shared/clock';

/** A wall clock and a monotonic clock the test moves by hand. */
function clocks(wall0: number) {
  const c = { wall: wall0, mono: 0 };
  const pass = (ms: number) => {
    c.wall += ms;
    c.mono += ms;
  };
  return { c, pass, read: anchoredClock(() => c.wall, () => c.mono, wall0) };
}

describe('anchoredClock', () => {
  it('runs on the monotonic clock between steps: sub-millisecond, and unmoved by the wall clock drifting within STEP_MS', () => {
    const { c, pass, read } = clocks(1_000_000);
    pass(0.25);
    expect(read()).toBe(1_000_000.25);
    c.wall += STEP_MS; // slewed, not stepped
    pass(1);
    expect(read()).toBe(1_000_001.25);
  });

  it('re-anchors on the wall clock once it was stepped: a resumed laptop stamps what the wall clock says', () => {
    const { c, pass, read } = clocks(1_000_000);
    pass(10);
    c.wall += 3_600_000; // an hour asleep: the monotonic clock did not count it
    expect(read()).toBe(4_600_010);
    pass(0.5);
    expect(read()).toBe(4_600_010.5);
  });

  it('follows a step backwards too', () => {
    const { c, read } = clocks(1_000_000);
    c.wall -= 5_000;
    expect(read()).toBe(995_000);
  });

  it("two processes started either side of a step agree after it, as stamps from the streaming process and the renderer must", () => {
    const world = { wall: 1_000_000, mono: 0 };
    const early = anchoredClock(() => world.wall, () => world.mono, world.wall - world.mono);
    world.mono += 60_000;
    world.wall += 60_000 + 3_600_000; // the sleep between the two starts
    const late = anchoredClock(() => world.wall, () => world.mono, world.wall - world.mono);
    expect(Math.abs(early() - late())).toBeLessThanOrEqual(STEP_MS);
  });
});

describe('now', () => {
  it('is this process\'s wall clock within STEP_MS, and never goes backwards while it is not stepped', () => {
    const a = now();
    const b = now();
    expect(Math.abs(a - Date.now())).toBeLessThanOrEqual(STEP_MS + 1);
    expect(b).toBeGreaterThanOrEqual(a);
  });
});
