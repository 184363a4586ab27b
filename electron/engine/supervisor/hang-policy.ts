// Decides when the streaming process is hung, as opposed to busy. Pure state with
// time passed in; the supervisor feeds it and acts on the verdict.
//
// Evidence of progress is anything the child delivers: every message (tick batch,
// status, log, heartbeat) was sent from a turn of its event loop, and messages
// arrive in order, so a new one proves the child got further than before. A busy
// child's heartbeat may sit behind seconds of tick batches in the channel, but the
// batches in front of it are progress too. Only a child that delivers nothing at
// all accrues silence.
//
// Silence accrues only while this process was listening: when a check runs late
// (our own event loop was blocked, so messages sat unread in the socket), the gap
// counts as at most `maxCreditMs`, so a busy parent never blames its child for its
// own lag, yet a truly silent child still reaches the window after a few checks.
//
// And silence is judged against the CPU the child had. A child whose loop is held
// by long synchronous work or garbage collection on a machine where it gets a
// sixth of a core has had no chance to deliver; it is busy. Hung is a silent child
// that is stopped (SIGSTOP, a deadlock: no CPU at all) or spinning (a window's
// worth of CPU without a word: an endless loop). Where the host cannot tell the
// child's CPU time, silence over the window alone decides.

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

/** Why a silent child is hung: it used no CPU, a window's worth of it, or its CPU is unknown. */
export type HangCause = 'stopped' | 'spinning' | 'silent';

export type HangVerdict =
  | { hung: false; silentMs: number; /** CPU used while silent, when silent and known. */ cpuMs?: number }
  | { hung: true; silentMs: number; cause: HangCause; cpuMs?: number; last: LoopReport | undefined };

/** Less CPU than this share of the silence: the child is not running at all. */
const STOPPED_CPU_SHARE = 0.02;

export class HangPolicy {
  private readonly windowMs: number;
  private readonly maxCreditMs: number;
  private deliveries = 0;
  private deliveriesSeen = 0;
  private silentMs = 0;
  /** The child's CPU time when the current silence was first seen. */
  private cpuAtSilence: number | undefined;
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

  /** True when the last check found nothing new: the caller then reads the child's CPU time. */
  get silent(): boolean {
    return this.deliveries === this.deliveriesSeen;
  }

  /** A new process instance (or the same one after ready): nothing accrued yet. */
  reset(now: number): void {
    this.deliveriesSeen = this.deliveries;
    this.silentMs = 0;
    this.cpuAtSilence = undefined;
    this.lastCheckAt = now;
    this.lastReport = undefined;
  }

  /** `childCpuMs`: the child's total CPU time now, if the host can tell. */
  check(now: number, childCpuMs?: number): HangVerdict {
    const credit = Math.min(Math.max(0, now - this.lastCheckAt), this.maxCreditMs);
    this.lastCheckAt = now;
    if (this.deliveries !== this.deliveriesSeen) {
      this.deliveriesSeen = this.deliveries;
      this.silentMs = 0;
      this.cpuAtSilence = undefined;
      return { hung: false, silentMs: 0 };
    }
    this.silentMs += credit;
    let cpuMs: number | undefined;
    if (childCpuMs !== undefined) {
      this.cpuAtSilence ??= childCpuMs;
      cpuMs = Math.max(0, childCpuMs - this.cpuAtSilence);
    }
    const known = cpuMs === undefined ? {} : { cpuMs };
    if (this.silentMs <= this.windowMs) return { hung: false, silentMs: this.silentMs, ...known };
    const cause: HangCause | undefined =
      cpuMs === undefined ? 'silent' : cpuMs >= this.windowMs ? 'spinning' : cpuMs < STOPPED_CPU_SHARE * this.silentMs ? 'stopped' : undefined;
    if (cause === undefined) return { hung: false, silentMs: this.silentMs, ...known };
    return { hung: true, silentMs: this.silentMs, cause, ...known, last: this.lastReport };
  }
}
