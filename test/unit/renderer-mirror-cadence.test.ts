import { describe, expect, it } from 'vitest';
import { MIRROR_EARLY_MS, MIRROR_MS, MirrorCadence } from '../../renderer/src/paint/mirror-cadence';

describe('MirrorCadence', () => {
  it('writes at once, then at most every MIRROR_MS, and once more after the last change', () => {
    const c = new MirrorCadence();
    expect(c.dueAt(1)).toBe(-Infinity); // nothing written yet: due now
    expect(c.take(1, 1000)).toBe(true);
    expect(c.dueAt(1)).toBe(Infinity); // caught up
    expect(c.take(1, 2000)).toBe(false); // nothing new
    expect(c.dueAt(2)).toBe(1000 + MIRROR_MS);
    expect(c.take(2, 1000 + MIRROR_MS - MIRROR_EARLY_MS - 1)).toBe(false);
    expect(c.take(3, 1000 + MIRROR_MS)).toBe(true); // the trailing write takes the newest version
    expect(c.dueAt(3)).toBe(Infinity);
  });

  it('a paint a little before the interval writes, so a 4/s feed with jitter needs no trailing write', () => {
    const c = new MirrorCadence();
    const writes: number[] = [];
    // data frames every 250 ms, every other one 3 ms early
    for (let i = 0, t = 0; i < 8; i++, t += i % 2 ? MIRROR_MS - 3 : MIRROR_MS + 3) if (c.take(i + 1, t)) writes.push(i + 1);
    expect(writes).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(c.dueAt(8)).toBe(Infinity); // nothing left for a frame of its own
  });

  it('after a reset the next write is due at once', () => {
    const c = new MirrorCadence(100);
    c.take(1, 1000);
    c.reset();
    expect(c.take(1, 1001)).toBe(true);
  });
});
