// Repaints that time alone makes necessary, with no new data: ages tick (once a
// second, while rows are on screen) and a price flash ends. One timer at most, set
// for the earliest of the two; none at all when no row is shown and no flash is on,
// so an idle screen costs no wake-ups beyond the age tick.

export interface RepaintClockDeps {
  /** Renderer clock, epoch ms (the same clock as flash times). */
  now(): number;
  /** Runs `fn` once after `ms`; returns the cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** `all`: every row (ages); otherwise only what is dirty or whose flash ended. */
  repaint(all: boolean): void;
}

/** Ages are shown to a tenth of a second, but repainted at most this often per row. */
export const AGE_REPAINT_MS = 1000;
/**
 * A flash's end is repainted up to this late. Data frames come every ~100 ms even on
 * an idle watchlist and repaint ended flashes on their way: with this slack nearly
 * every flash end rides on one of them instead of costing a frame of its own.
 */
export const FLASH_END_SLACK_MS = 150;

export class RepaintClock {
  private showing = false;
  private nextAge = Infinity;
  private nextFlash = Infinity;
  private timerAt = Infinity;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly deps: RepaintClockDeps,
    private readonly ageEveryMs = AGE_REPAINT_MS,
    /** How late a flash end may be repainted when no data frame does it first (0: exactly at the end). */
    private readonly flashSlackMs = 0,
  ) {}

  /** Whether any row is on screen: the age tick runs only while one is. */
  setShowing(showing: boolean): void {
    if (showing === this.showing) return;
    this.showing = showing;
    this.nextAge = showing ? this.deps.now() + this.ageEveryMs : Infinity;
    this.arm();
  }

  /** After a paint: the earliest end of a flash on screen (Infinity: none is on). */
  flashEndsAt(at: number): void {
    const due = at + this.flashSlackMs;
    if (due === this.nextFlash) return;
    this.nextFlash = due;
    this.arm();
  }

  dispose(): void {
    this.showing = false;
    this.nextAge = this.nextFlash = Infinity;
    this.arm();
  }

  private arm(): void {
    const due = Math.min(this.nextAge, this.nextFlash);
    // A timer due no later stays: when it fires it finds what is due and re-arms.
    // (Prices flash with most frames: re-setting the timer for each would cost a timer per frame.)
    if (this.cancel && this.timerAt <= due && due !== Infinity) return;
    this.cancel?.();
    this.cancel = undefined;
    this.timerAt = due;
    if (due === Infinity) return;
    // Rounded up: browsers truncate a fractional delay, and a timer that fires a fraction
    // of a millisecond early finds nothing due and re-arms: two wake-ups for one repaint.
    this.cancel = this.deps.setTimeout(() => this.fire(), Math.max(0, Math.ceil(due - this.deps.now())));
  }

  private fire(): void {
    this.cancel = undefined;
    this.timerAt = Infinity;
    const t = this.deps.now();
    const ages = t >= this.nextAge;
    const flash = t >= this.nextFlash;
    if (ages) this.nextAge = t + this.ageEveryMs;
    // The paint this triggers reports the next flash end (if any) through flashEndsAt.
    if (flash) this.nextFlash = Infinity;
    this.arm();
    if (ages || flash) this.deps.repaint(ages);
  }
}

/**
 * Panels other than the watchlist that show an age (the chart's data age and state)
 * repaint it on the same once-a-second tick, in the same frame: no timer of their
 * own. While any listens, the tick runs even with no row on screen.
 */
export class AgeTick {
  private readonly listeners = new Set<(now: number) => void>();

  /** `listening`: called when the first listener arrives and after the last leaves. */
  constructor(private readonly listening: (any: boolean) => void) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Calls `fn` on every age tick until the returned function is called. */
  listen(fn: (now: number) => void): () => void {
    this.listeners.add(fn);
    if (this.listeners.size === 1) this.listening(true);
    return () => {
      if (!this.listeners.delete(fn)) return;
      if (this.listeners.size === 0) this.listening(false);
    };
  }

  /** The tick: from the frame that repaints every row's age. */
  run(now: number): void {
    for (const fn of this.listeners) fn(now);
  }
}
