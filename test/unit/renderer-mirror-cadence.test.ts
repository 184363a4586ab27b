import { describe, expect, it } from 'vitest';
import { MIRROR_EARLY_MS, MIRROR_MS, MIRROR_TRAIL_MS, MirrorCadence } from '../../renderer/src/paint/mirror-cadence';

describe('MirrorCadence', () => {
  it('writes at once, then at most every MIRROR_MS, and once more after the last change', () => {
    const c = new MirrorCadence();
    expect(c.dueAt(1)).toBe(-Infinity); // nothing written yet: due now
    expect(c.take(1, 1000)).toBe(true);
    expect(c.dueAt(1)).toBe(Infinity); // caught up
    expect(c.take(1, 5000)).toBe(false); // nothing new
    // behind: a paint may take it from MIRROR_MS (less the early margin) after the last write;
    // a frame of its own is asked for only MIRROR_TRAIL_MS after that
    expect(c.dueAt(2)).toBe(1000 + MIRROR_MS + MIRROR_TRAIL_MS);
    expect(c.take(2, 1000 + MIRROR_MS - MIRROR_EARLY_MS - 1)).toBe(false);
    expect(c.take(3, 1000 + MIRROR_MS + MIRROR_TRAIL_MS)).toBe(true); // the trailing write takes the newest version
    expect(c.dueAt(3)).toBe(Infinity);
  });

  it('a 4/s feed with jitter writes on every fourth data frame and never needs a frame of its own', () => {
    const c = new MirrorCadence();
    const writes: number[] = [];
    // data frames every 250 ms, every other one 3 ms early; each brings a new version
    for (let i = 0, t = 0; i < 13; i++, t += i % 2 ? 250 - 3 : 250 + 3) {
      // after the first write, each frame comes before the mirror would have asked for one
      if (i > 0) expect(t).toBeLessThan(c.dueAt(i + 1));
      if (c.take(i + 1, t)) writes.push(i + 1);
    }
    expect(writes).toEqual([1, 5, 9, 13]);
    expect(c.dueAt(13)).toBe(Infinity); // nothing left behind
  });

  it('when the data stops, the last version is written by a frame of its own at dueAt', () => {
    const c = new MirrorCadence();
    c.take(1, 0);
    expect(c.take(2, 250)).toBe(false); // the last change, too soon to write
    const due = c.dueAt(2);
    expect(due).toBe(MIRROR_MS + MIRROR_TRAIL_MS);
    expect(c.take(2, due)).toBe(true);
    expect(c.dueAt(2)).toBe(Infinity);
  });

  it('after a reset the next write is due at once', () => {
    const c = new MirrorCadence(100);
    c.take(1, 1000);
    c.reset();
    expect(c.dueAt(1)).toBe(-Infinity);
    expect(c.take(1, 1001)).toBe(true);
  });
});
