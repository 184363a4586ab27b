// When the streaming process sends 'status'. A state change goes out soon, but
// never more than one status per minIntervalMs (a burst of changes is one message).
// Rates and latencies move without any state change; they are refreshed by the
// heartbeat, but only every refreshMs: each status crosses two processes and is
// re-rendered on every screen, so an idle terminal must not pay for it per beat.

/** At most this many status messages per second (state changes). */
export const STATUS_MIN_INTERVAL_MS = 250;
/** Rates and latencies are refreshed this often without state changes. */
export const STATUS_REFRESH_MS = 1000;

export class StatusCadence {
  private lastSentAt = -Infinity;

  constructor(
    private readonly minIntervalMs = STATUS_MIN_INTERVAL_MS,
    private readonly refreshMs = STATUS_REFRESH_MS,
  ) {}

  /** Something changed at `now`: how long to wait before sending (0 = at once). */
  delayForChange(now: number): number {
    return Math.max(0, this.lastSentAt + this.minIntervalMs - now);
  }

  /** A heartbeat at `now`: whether the figures are old enough to refresh. */
  refreshDue(now: number): boolean {
    return now - this.lastSentAt >= this.refreshMs;
  }

  sent(now: number): void {
    this.lastSentAt = now;
  }
}
