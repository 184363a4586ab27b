// When a canvas panel's hidden text mirror (for assistive tech and tests) is rewritten:
// at most every MIRROR_MS, and always once more after the last change (the trailing
// write), so the mirror never lags the canvas for good and costs a few writes a second
// however fast the canvas is drawn. Versions are the painter's: any number bumped per change.

/** The hidden list is rewritten at most this often. */
export const MIRROR_MS = 250;

export class MirrorCadence {
  private mirrored = -1;
  private at = -Infinity;

  constructor(private readonly everyMs = MIRROR_MS) {}

  /** When the mirror is behind `version`: the time it may be rewritten (Infinity: it is not behind). */
  dueAt(version: number): number {
    return this.mirrored !== version ? this.at + this.everyMs : Infinity;
  }

  /** Whether to rewrite the mirror to `version` now; if so, that write is recorded. */
  take(version: number, now: number): boolean {
    if (this.mirrored === version || now < this.at + this.everyMs) return false;
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
