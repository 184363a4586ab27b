// Where the streaming process's start-up time goes, from the process's own start
// (Node's time origin) to the first tick batch it sends: one log line, once, so that
// launch → first tick can be cut phase by phase. Each phase is stamped the first
// time it happens; later repetitions (a second configure, more subscribes) are not
// start-up.

export const STARTUP_PHASES = [
  /** The bundle is loaded and evaluated (Node's own start included). */
  'loaded',
  /** The exchange classes the settings use are loaded (prespawn preload). */
  'classes',
  /** 'ready' posted to the parent. */
  'ready',
  /** The first 'configure' received. */
  'configure',
  /** The first 'subscribe' received. */
  'subscribe',
  /** The first tick batch sent. */
  'firstBatch',
] as const;
export type StartupPhase = (typeof STARTUP_PHASES)[number];

export class StartupTimeline {
  private readonly at = new Map<StartupPhase, number>();
  private reported = false;

  /** `origin`: when the process started, on the clock of `clock` (performance.timeOrigin for Date-based ms). */
  constructor(
    private readonly clock: () => number,
    private readonly origin: number,
  ) {}

  mark(phase: StartupPhase): void {
    if (!this.at.has(phase)) this.at.set(phase, this.clock());
  }

  /**
   * Once, after the first batch: ms from the process's start to each phase (phases
   * that did not happen, e.g. no preload, are left out). Undefined before, and after.
   */
  report(): Partial<Record<StartupPhase, number>> | undefined {
    if (this.reported || !this.at.has('firstBatch')) return undefined;
    this.reported = true;
    const out: Partial<Record<StartupPhase, number>> = {};
    for (const p of STARTUP_PHASES) {
      const t = this.at.get(p);
      if (t !== undefined) out[p] = Math.round(t - this.origin);
    }
    return out;
  }
}
