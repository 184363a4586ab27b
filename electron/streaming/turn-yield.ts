// Keeps the streaming process breathing under a storm. ccxt's delivery loop and
// the session's watch loops resolve each other as microtasks, and libuv reads up
// to 32 chunks per readable socket in one poll: in a storm no setImmediate or
// timer ran for seconds, so no batch flushed, no heartbeat, no log. Two brakes,
// both keyed to how long the current macrotask turn has lasted:
//   - the watch loops, after each resolved watch, await the next turn once the
//     turn is over budget, instead of re-arming at once;
//   - the first frame that arrives over budget stops the reading of every socket
//     until the next turn (TCP backpressure: the rest stays in the kernel, then at
//     the exchange). All of them, because libuv goes on to read up to 32 chunks from
//     each readable socket in the same poll, and ws hands each chunk's frames to
//     ccxt synchronously: one paused socket leaves the others to fill the turn.
// How long the turn has lasted is known without a timer per tick: the first call
// in a turn schedules one marker immediate; while that marker has not run, the
// event loop has not turned since it was scheduled. Waiters of one turn share one
// promise, and the marker resumes every socket paused in that turn. The marker
// always runs on the next turn, so nothing is left to stop at shutdown.

import { nextTurn } from '../../shared/lifecycle/timers';

export interface TurnClock {
  now(): number;
  /** Runs fn on the next macrotask turn (setImmediate). */
  immediate(fn: () => void): void;
}

export const systemTurnClock = (now: () => number): TurnClock => ({
  now,
  immediate: (fn) => void nextTurn(fn),
});

/** What pausing a socket's reads needs (net.Socket has both). */
export interface PausableReads {
  pause(): unknown;
  resume(): unknown;
}

export class TurnYield {
  /** When the pending marker was scheduled; NaN while none is pending. */
  private markedAt = NaN;
  private next: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** The open sockets of the process (every session registers its own). */
  private readonly sockets = new Set<PausableReads>();
  private paused = false;
  /** Turns a watch loop ended early because the budget ran out. */
  yields = 0;
  /** Turns whose socket reads were paused until the next turn. */
  pauses = 0;

  constructor(
    private readonly budgetMs: number,
    private readonly clock: TurnClock,
  ) {}

  /** True once the current turn has lasted longer than the budget. */
  over(): boolean {
    const t = this.clock.now();
    if (Number.isNaN(this.markedAt)) {
      this.markedAt = t;
      this.clock.immediate(this.turned);
      return false;
    }
    return t - this.markedAt >= this.budgetMs;
  }

  /** Undefined when the caller may go on in this turn; otherwise the promise of the next turn. */
  due(): Promise<void> | undefined {
    if (this.next) return this.next;
    if (!this.over()) return undefined;
    this.yields++;
    this.next = new Promise<void>((resolve) => (this.wake = resolve));
    return this.next;
  }

  /** A socket opened: its reads pause with the others. */
  track(socket: PausableReads): void {
    this.sockets.add(socket);
  }

  /** A socket closed. */
  untrack(socket: PausableReads): void {
    this.sockets.delete(socket);
  }

  /** Called per received frame: over budget, no socket is read again before the next turn. */
  frame(): void {
    if (this.paused || !this.over()) return;
    this.paused = true;
    this.pauses++;
    for (const s of this.sockets) s.pause();
  }

  private readonly turned = (): void => {
    this.markedAt = NaN;
    const wake = this.wake;
    this.next = undefined;
    this.wake = undefined;
    if (this.paused) {
      this.paused = false;
      for (const s of this.sockets) s.resume();
    }
    wake?.();
  };
}
