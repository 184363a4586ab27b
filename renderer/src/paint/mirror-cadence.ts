// When a canvas panel's hidden text mirror (for assistive tech and tests) is rewritten:
// at most every MIRROR_MS, and always once more after the last change (the trailing
// write), so the mirror never lags the canvas for good and costs a few writes a second
// however fast the canvas is drawn. Versions are the painter's: any number bumped per change.

/** The hidden list is rewritten about this often at most. */
export const MIRROR_MS = 250;
/**
 * A paint this much before the interval is up may still write: a feed at 4 updates a
 * second brings its data frames every ~250 ms with jitter, and one 2 ms early left the
 * mirror behind, so its trailing write cost a frame of its own ~150 ms later.
 */
export const MIRROR_EARLY_MS = 50;

export class MirrorCadence {
  private mirrored = -1;
  private at = -Infinity;

  constructor(
    private readonly everyMs = MIRROR_MS,
    private readonly earlyMs = MIRROR_EARLY_MS,
  ) {}

  /** When the mirror is behind `version`: the time it may be rewritten (Infinity: it is not behind). */
  dueAt(version: number): number {
    return this.mirrored !== version ? this.at + this.everyMs : Infinity;
  }

  /** Whether to rewrite the mirror to `version` now; if so, that write is recorded. */
  take(version: number, now: number): boolean {
    if (this.mirrored === version || now < this.at + this.everyMs - this.earlyMs) return false;
    this.mirrored = version;
    this.at = now;
    return true;
  }

  /** A new mirror (attached): the next write is due at once. */
  reset(): void {
    this.mirrored = -1;
    this.at = -Infinity;
  }
}
