// Pacing for every stream of the simulator: one list, one clock, no timer per
// stream. Each entry is due every 1000/rate ms; run(now) reports how many messages
// each due entry owes (several per wake-up at high rates) and returns when the
// next one falls due. A wake-up that comes late catches up at most maxLagMs of
// backlog; older messages are skipped rather than sent in a burst.

export interface Paced {
  /** When the next message is due (ms on the pacer's clock); Infinity = never. */
  nextDue: number;
  /** Position in the pacer's list (managed by the pacer). */
  slot: number;
}

export class Pacer<T extends Paced> {
  private readonly entries: T[] = [];
  private interval: number;
  /** Messages not sent because a wake-up came more than maxLagMs late or ran out of time. */
  skipped = 0;
  private cursor = 0;

  constructor(
    rate: number,
    readonly maxLagMs = 20,
  ) {
    this.interval = Pacer.intervalOf(rate);
  }

  static intervalOf(rate: number): number {
    if (!Number.isFinite(rate) || rate < 0) throw new Error(`simulator: rate must be a finite number >= 0, got ${rate}`);
    return rate === 0 ? Infinity : 1000 / rate;
  }

  get size(): number {
    return this.entries.length;
  }

  get intervalMs(): number {
    return this.interval;
  }

  /** Adds an entry whose first message is due at once. */
  add(e: T, now: number): void {
    e.nextDue = this.interval === Infinity ? Infinity : now;
    e.slot = this.entries.length;
    this.entries.push(e);
  }

  remove(e: T): void {
    const i = e.slot;
    if (this.entries[i] !== e) return;
    const last = this.entries.pop()!;
    if (last !== e) {
      this.entries[i] = last;
      last.slot = i;
    }
    e.slot = -1;
  }

  /** Changes the rate of every entry; a faster rate takes effect at once. */
  setRate(rate: number, now: number): void {
    this.interval = Pacer.intervalOf(rate);
    for (const e of this.entries) {
      if (this.interval === Infinity) e.nextDue = Infinity;
      else e.nextDue = Math.min(e.nextDue, now + this.interval);
    }
  }

  /**
   * Calls emit(entry, n) for every entry that owes n >= 1 messages at `now`. Stops emitting once
   * clock() passes `deadline` (the rest of the due entries skip this round, and
   * the next run starts with them). Returns the earliest next due time, Infinity
   * when nothing is scheduled.
   */
  run(now: number, emit: (e: T, n: number) => void, deadline = Infinity, clock: () => number = () => now): number {
    const interval = this.interval;
    const entries = this.entries;
    const count = entries.length;
    const oldest = now - this.maxLagMs;
    let next = Infinity;
    let late = false;
    const start = count ? this.cursor % count : 0;
    for (let k = 0; k < count; k++) {
      const i = (start + k) % count;
      const e = entries[i];
      if (!e) continue; // an entry removed by emit
      let due = e.nextDue;
      if (due <= now) {
        if (due < oldest) {
          this.skipped += Math.floor((oldest - due) / interval);
          due = oldest;
        }
        const n = Math.floor((now - due) / interval) + 1;
        due += n * interval;
        e.nextDue = due;
        if (late) this.skipped += n;
        else {
          emit(e, n);
          if (clock() > deadline) {
            late = true;
            this.cursor = i + 1; // next run begins with the entries this one skipped
          }
        }
      }
      if (due < next) next = due;
    }
    if (!late) this.cursor = 0;
    return next;
  }
}
