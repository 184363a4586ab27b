// When a subscription's silence is the exchange's and not ours, and how many
// sockets one exchange may cut for it. Two rules learnt in a market storm:
//  - A watchdog tick that runs late gives no verdict: our event loop was busy, and
//    frames may be waiting unread in our sockets (timers run before socket reads).
//    (And silence counts from the newest frame on the subscription's socket too:
//    see silentFor in subscription.ts.)
//  - Cutting sockets is rate-limited per exchange (a token bucket), so one exchange
//    never closes hundreds of sockets in one go; the rest are judged again next tick.

export interface SilenceSettings {
  /** How often the watchdog runs. */
  tickMs: number;
  /** Sockets that may be cut at once, and per second on average. */
  closesPerSec: number;
}

export class SilenceWatchdog {
  private dueAt: number;
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly settings: SilenceSettings, private readonly clock: { now(): number }) {
    this.dueAt = this.refilledAt = clock.now();
    this.tokens = settings.closesPerSec;
    this.restart();
  }

  get tickMs(): number {
    return this.settings.tickMs;
  }

  /** The ticks start (again) now, with a full budget. */
  restart(): void {
    const t = this.clock.now();
    this.dueAt = t + this.settings.tickMs;
    this.tokens = this.settings.closesPerSec;
    this.refilledAt = t;
  }

  /**
   * Called on every tick; false when the tick ran more than one interval late, so
   * the process, not the exchange, was silent.
   */
  onTime(): boolean {
    const t = this.clock.now();
    const late = t - this.dueAt;
    this.dueAt = t + this.settings.tickMs;
    return late <= this.settings.tickMs;
  }

  /** Takes permission to cut one socket now; false when the budget is spent for the moment. */
  mayClose(): boolean {
    const t = this.clock.now();
    const rate = this.settings.closesPerSec;
    this.tokens = Math.min(rate, this.tokens + ((t - this.refilledAt) * rate) / 1000);
    this.refilledAt = t;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
