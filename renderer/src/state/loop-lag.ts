// The renderer's own event-loop lag: how late a periodic timer fires. Runs only
// while something shows the figure (the diagnostics panel), so an idle screen pays
// nothing; take() gives the worst lateness since the previous take.
export interface LagClock {
  now(): number;
  /** Returns the cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export class LoopLagMeter {
  private cancel: (() => void) | undefined;
  private dueAt = 0;
  private worst: number | undefined;

  /** `onFire`: called after each firing (a display refreshes from it: one timer, not two). */
  constructor(
    private readonly clock: LagClock,
    readonly periodMs = 500,
    private readonly onFire?: () => void,
  ) {}

  get running(): boolean {
    return this.cancel !== undefined;
  }

  start(): void {
    if (this.cancel) return;
    this.arm();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Worst lateness (ms) since the last call; undefined before the first firing. */
  take(): number | undefined {
    const w = this.worst;
    if (w !== undefined && this.cancel) this.worst = 0;
    return w;
  }

  private arm(): void {
    this.dueAt = this.clock.now() + this.periodMs;
    this.cancel = this.clock.setTimeout(() => {
      this.worst = Math.max(this.worst ?? 0, this.clock.now() - this.dueAt);
      this.arm();
      this.onFire?.();
    }, this.periodMs);
  }
}
