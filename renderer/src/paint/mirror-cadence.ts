// When a canvas panel's hidden text mirror (for assistive tech and tests) is rewritten:
// at most every MIRROR_MS, and always once more after the last change (the trailing
// write), so the mirror never lags the canvas for good and costs about one write a
// second however fast the canvas is drawn. A write is the dearest part of a data frame
// (measured at idle: the tape's and ladder's lists rewritten in every frame of a 4/s
// feed were 500 of the page's ~1,600 layout objects dirtied per frame, about a quarter
// of the renderer's CPU); a screen reader reads a list once a second at most anyway.
// Versions are the painter's: any number bumped per change.

/** The hidden list is rewritten about this often at most. */
export const MIRROR_MS = 1000;
/**
 * A paint this much before the interval is up may still write: a feed's data frames
 * come with jitter, and one 2 ms early would leave the mirror behind for an interval.
 */
export const MIRROR_EARLY_MS = 50;
/**
 * The trailing write asks for a frame of its own only this long after it could have
 * been taken: while data keeps coming, a data frame takes it first (a frame of its
 * own costs style, layout and commit for the list alone).
 */
export const MIRROR_TRAIL_MS = 250;

export class MirrorCadence {
  private mirrored = -1;
  private at = -Infinity;

  constructor(
    private readonly everyMs = MIRROR_MS,
    private readonly earlyMs = MIRROR_EARLY_MS,
    private readonly trailMs = MIRROR_TRAIL_MS,
  ) {}

  /** When the mirror is behind `version`: the time to ask for a frame that writes it (Infinity: it is not behind). */
  dueAt(version: number): number {
    return this.mirrored !== version ? this.at + this.everyMs + this.trailMs : Infinity;
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
