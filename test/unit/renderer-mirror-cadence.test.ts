import { describe, expect, it } from 'vitest';
import { MIRROR_MS, MirrorCadence } from '../../renderer/src/paint/mirror-cadence';

describe('MirrorCadence', () => {
  it('writes at once, then at most every MIRROR_MS, and once more after the last change', () => {
    const c = new MirrorCadence();
    expect(c.dueAt(1)).toBe(-Infinity); // nothing written yet: due now
    expect(c.take(1, 1000)).toBe(true);
    expect(c.dueAt(1)).toBe(Infinity); // caught up
    expect(c.take(1, 2000)).toBe(false); // nothing new
    expect(c.dueAt(2)).toBe(1000 + MIRROR_MS);
    expect(c.take(2, 1000 + MIRROR_MS - 1)).toBe(false);
    expect(c.take(3, 1000 + MIRROR_MS)).toBe(true); // the trailing write takes the newest version
    expect(c.dueAt(3)).toBe(Infinity);
  });

  it('after a reset the next write is due at once', () => {
    const c = new MirrorCadence(100);
    c.take(1, 1000);
    c.reset();
    expect(c.take(1, 1001)).toBe(true);
  });
});
