// Repaints that time alone makes necessary, with no new data: ages tick (once a
// second, while rows are on screen) and a price flash ends. One timer at most, set
// for the earliest of the two; none at all when no row is shown and no flash is on,
// so an idle screen costs no wake-ups beyond the age tick. With slacks, both ride on
// the data frames that come anyway (a paint asks agesDue()), and the timer is only
// for a screen whose data stopped.

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
/**
 * The age tick is repainted up to this late when no data frame does it first. A data
 * frame at or after the tick's time repaints every row's age itself (agesDue), so on a
 * live screen the tick costs no frame of its own: a frame alone cost 3-8 ms of the
 * renderer's main thread here, for rows that were about to be painted anyway.
 */
export const AGE_SLACK_MS = 250;

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
    /** How late the age tick may come when no data frame repaints the ages first (0: exactly on time). */
    private readonly ageSlackMs = 0,
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

  /**
   * From a paint of data: whether it should repaint every row's age too, because the tick
   * is due. If so the tick is counted as done and the next one is a full period later.
   */
  agesDue(): boolean {
    if (!this.showing) return false;
    const t = this.deps.now();
    if (t < this.nextAge) return false;
    this.nextAge = t + this.ageEveryMs;
    // the timer set for this tick's fallback would only wake to find nothing due
    this.cancel?.();
    this.cancel = undefined;
    this.timerAt = Infinity;
    this.arm();
    return true;
  }

  dispose(): void {
    this.showing = false;
    this.nextAge = this.nextFlash = Infinity;
    this.arm();
  }

  private arm(): void {
    const due = Math.min(this.nextAge + this.ageSlackMs, this.nextFlash);
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
    // late by the slack (no data frame came): the next tick a period after this one's time, not after now
    if (ages) this.nextAge = t + this.ageEveryMs - Math.min(this.ageSlackMs, t - this.nextAge);
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
