// Watches one trade stream for holes. ccxt does not backfill trades after a
// reconnect, and a paused or lossy stream skips trade ids without saying so. Where
// the exchange numbers its trades consecutively on the stream (Binance's trade
// stream does), a jump in ids is a gap whatever caused it; where it does not,
// an interruption of the subscription is the only evidence, and the gap is its
// duration. Pure: no timers, no I/O; the session feeds it trades and outages.

/** A hole in the tape, as detected (before any REST recovery). */
export interface TapeHole {
  /**
   * First and last missing trade id (numeric ids), or '' when the ids do not say. A
   * catch-up after a reconnect asks REST for a hole with a first id and toId '' (open-ended).
   */
  fromId: string;
  toId: string;
  /** Trades missing by the ids (NaN when the ids do not say). */
  missing: number;
  /** Exchange time of the last trade before the hole and of the first after it (ms). */
  startedAt: number;
  endedAt: number;
  cause: 'id-jump' | 'outage';
}

export class TapeContinuity {
  private lastId = NaN;
  private lastTs = NaN;
  /** When the subscription was interrupted and no trade has arrived since (NaN: not interrupted). */
  private interruptedAt = NaN;

  /** The subscription lost its stream at `at` (a reconnect is coming). */
  interrupted(at: number): void {
    if (Number.isNaN(this.interruptedAt)) this.interruptedAt = at;
  }

  /**
   * A trade arrived (stream or REST). Returns false for one already seen (ids at or
   * below the newest seen: REST overlap, replays); sets `hole` when it reveals one.
   * Allocates only when it finds a hole.
   */
  accept(id: string, ts: number): boolean {
    this.hole = undefined;
    const n = numericId(id);
    const wasInterrupted = !Number.isNaN(this.interruptedAt);
    if (!Number.isNaN(n) && !Number.isNaN(this.lastId)) {
      if (n <= this.lastId) return false;
      if (n > this.lastId + 1)
        this.hole = { fromId: String(this.lastId + 1), toId: String(n - 1), missing: n - this.lastId - 1, startedAt: this.lastTs, endedAt: ts, cause: wasInterrupted ? 'outage' : 'id-jump' };
    } else if (wasInterrupted && !Number.isNaN(this.lastTs)) {
      // Ids that do not count: all we know is that the stream was down for a while.
      this.hole = { fromId: '', toId: '', missing: NaN, startedAt: this.lastTs, endedAt: ts, cause: 'outage' };
    }
    this.interruptedAt = NaN;
    if (!Number.isNaN(n)) this.lastId = n;
    if (!(ts < this.lastTs)) this.lastTs = ts;
    return true;
  }

  /** The hole the last accepted trade revealed, if any. */
  hole: TapeHole | undefined;

  /** The newest trade id seen (NaN: none yet, or ids that do not count). */
  get newestId(): number {
    return this.lastId;
  }

  /**
   * Where a catch-up after a reconnect reads from: the last trade seen before the
   * interruption. Undefined when the tape is not interrupted or the ids do not count
   * (then only the next trade can say what was missed).
   */
  catchUpPoint(): { afterId: number; lastTs: number } | undefined {
    if (Number.isNaN(this.interruptedAt) || Number.isNaN(this.lastId)) return undefined;
    return { afterId: this.lastId, lastTs: this.lastTs };
  }

  /** A catch-up delivered every trade up to `id` (exchange time `ts`): the tape continues from there. */
  caughtUp(id: number, ts: number): void {
    if (!(id > this.lastId)) return;
    this.lastId = id;
    if (!(ts < this.lastTs)) this.lastTs = ts;
    this.interruptedAt = NaN;
  }
}

/** A trade id that counts (a non-negative safe integer written in decimal), else NaN. */
export function numericId(id: string): number {
  if (id.length === 0 || id.length > 15) return NaN;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
  }
  return Number(id);
}
