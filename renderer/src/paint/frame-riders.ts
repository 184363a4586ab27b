// Updates that need no frame of their own: the status bar's figures, the diagnostics
// panel, the connection timeline. Each arrives on its own timer in main, out of phase
// with the data, and applied at once it made React commit and the browser lay out,
// paint and composite a frame for it alone (3-6 ms of the renderer's main thread each,
// three such frames a second on an idle screen). Held instead, the newest of each kind
// is applied at the start of the next painted frame, which data brings within a few
// hundred ms on a live screen; when none comes, a timer asks for a frame after
// maxHoldMs, so nothing waits longer than that.

/** The longest an update waits for a data frame before it gets a frame of its own. */
export const RIDE_MAX_HOLD_MS = 250;

export interface FrameRidersDeps {
  /** Runs fn once after ms; returns the cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** Asks for a painted frame (whose paint calls flush). */
  requestPaint(): void;
}

export class FrameRiders {
  /** The newest update of each kind, in the order the kinds first arrived. */
  private readonly held = new Map<string, () => void>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly deps: FrameRidersDeps,
    private readonly maxHoldMs = RIDE_MAX_HOLD_MS,
  ) {}

  /** Applies `apply` at the next painted frame; a later update of the same kind replaces it. */
  hold(kind: string, apply: () => void): void {
    this.held.set(kind, apply);
    this.cancel ??= this.deps.setTimeout(() => {
      this.cancel = undefined;
      this.deps.requestPaint();
    }, this.maxHoldMs);
  }

  /** From the paint, before anything is drawn: applies what is held. */
  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    if (this.held.size === 0) return;
    const applies = [...this.held.values()];
    this.held.clear();
    for (const apply of applies) apply();
  }

  /** A new session: what was held belongs to the old one. */
  drop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.held.clear();
  }
}
