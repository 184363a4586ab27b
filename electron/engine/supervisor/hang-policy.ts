// Decides when the streaming process is hung, as opposed to busy. Pure state with
// time passed in; the supervisor feeds it and acts on the verdict.
//
// Evidence of progress is anything the child delivers: every message (tick batch,
// status, log, heartbeat) was sent from a turn of its event loop, and messages
// arrive in order, so a new one proves the child got further than before. A busy
// child's heartbeat may sit behind seconds of tick batches in the channel, but the
// batches in front of it are progress too. Only a child that delivers nothing at
// all (SIGSTOP, an endless loop) accrues silence.
//
// Silence accrues only while this process was listening: when a check runs late
// (our own event loop was blocked, so messages sat unread in the socket), the gap
// counts as at most `maxCreditMs`, so a busy parent never blames its child for its
// own lag, yet a truly silent child still reaches the window after a few checks.

export interface HangPolicyOptions {
  /** Silence (in listening time) after which the child counts as hung. */
  windowMs: number;
  /** Expected period of check(); a longer gap is our own lag and is credited only up to 2×. */
  checkEveryMs: number;
}

/** The child's last self-report: how far its loop has got and how late it was. */
export interface LoopReport {
  /** Increases by one per heartbeat the child's loop got to send. */
  progress: number;
  /** How late the child's heartbeat timer fired: its event-loop lag at that moment. */
  lagMs: number;
}

export type HangVerdict =
  | { hung: false; silentMs: number }
  | { hung: true; silentMs: number; last: LoopReport | undefined };

export class HangPolicy {
  private readonly windowMs: number;
  private readonly maxCreditMs: number;
  private deliveries = 0;
  private deliveriesSeen = 0;
  private silentMs = 0;
  private lastCheckAt: number;
  private lastReport: LoopReport | undefined;

  constructor(options: HangPolicyOptions, now: number) {
    this.windowMs = options.windowMs;
    this.maxCreditMs = 2 * options.checkEveryMs;
    this.lastCheckAt = now;
  }

  /** Something arrived from the child. A counter only: it runs once per message, on the hot path. */
  delivered(): void {
    this.deliveries++;
  }

  /** A heartbeat arrived; kept to explain a verdict (it is a delivery as well). */
  heartbeat(report: LoopReport): void {
    this.lastReport = report;
  }

  get last(): LoopReport | undefined {
    return this.lastReport;
  }

  /** A new process instance (or the same one after ready): nothing accrued yet. */
  reset(now: number): void {
    this.deliveriesSeen = this.deliveries;
    this.silentMs = 0;
    this.lastCheckAt = now;
    this.lastReport = undefined;
  }

  check(now: number): HangVerdict {
    const credit = Math.min(Math.max(0, now - this.lastCheckAt), this.maxCreditMs);
    this.lastCheckAt = now;
    if (this.deliveries !== this.deliveriesSeen) {
      this.deliveriesSeen = this.deliveries;
      this.silentMs = 0;
      return { hung: false, silentMs: 0 };
    }
    this.silentMs += credit;
    if (this.silentMs > this.windowMs) return { hung: true, silentMs: this.silentMs, last: this.lastReport };
    return { hung: false, silentMs: this.silentMs };
  }
}
