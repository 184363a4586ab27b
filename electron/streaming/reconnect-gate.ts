// The reconnect gate of one exchange: watch loops run while it is open; an outage
// closes it until the backoff for the next attempt elapses. Every opening after a
// loss starts a new epoch, so a failure can be told apart from a late report of an
// earlier one: an attempt fails once however many loops saw it fail.
import { backoffDelay, type BackoffSettings } from '../../shared/backoff';
import type { Owner, Registration } from '../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../shared/lifecycle/timers';

export interface GateEvents {
  /** The gate opened for attempt `attempt` (1-based) of the current outage. */
  connecting(attempt: number): void;
  /** The gate closed; attempt `attempt` follows after `delayMs`. */
  reconnecting(attempt: number, delayMs: number): void;
  changed(): void;
}

export class ReconnectGate {
  private open = true;
  private readonly waiters = new Set<() => void>();
  private _epoch = 0;
  private _attempt = 0;
  private _reconnects = 0;
  private retry: Registration | undefined;

  constructor(
    private readonly backoff: BackoffSettings,
    private readonly scheduler: Scheduler,
    private readonly events: GateEvents,
    private readonly random: () => number = Math.random,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /** Increments each time the gate opens for a new attempt (or the connection is replaced). */
  get epoch(): number {
    return this._epoch;
  }

  /** Failed attempts in the current outage. */
  get attempt(): number {
    return this._attempt;
  }

  /** Attempts made over the gate's life. */
  get reconnects(): number {
    return this._reconnects;
  }

  /** Resolves when the gate opens, or at once when the signal aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  /** A fresh start: open, no failed attempt. */
  reset(): void {
    this.open = true;
    this._attempt = 0;
  }

  /** Data arrived under the current attempt: the outage's attempts start over. */
  succeeded(): void {
    this._attempt = 0;
  }

  /** The connection was replaced while open (rotation): later failures belong to the new one. */
  nextEpoch(): void {
    this._epoch++;
  }

  /**
   * A loop's watch failed under `epoch`. Counts as the current attempt failing only
   * when the gate is open and the watch was issued under the current epoch; returns
   * whether it counted (the caller then schedules a retry or gives up on the socket).
   */
  failed(epoch: number): boolean {
    if (!this.open || epoch !== this._epoch) return false;
    this._attempt++;
    return true;
  }

  /** Closes the gate and opens it again after the backoff for the next attempt; one retry at a time. */
  scheduleRetry(owner: Owner): void {
    if (this.retry) return;
    this.open = false;
    const delay = backoffDelay(this.backoff, this._attempt + 1, this.random);
    this.events.reconnecting(this._attempt + 1, Math.round(delay));
    this.retry = ownedTimeout(this.scheduler, owner, () => this.openNow(), delay, 'backoff');
    this.events.changed();
  }

  /** Closes the gate with no retry (the circuit breaker took over). */
  shut(): void {
    this.cancelRetry();
    this.open = false;
  }

  /**
   * Opens the gate and wakes the waiting loops. `countAttempt` false opens without
   * starting an attempt (the session went idle and its loops are ending).
   */
  openNow(countAttempt = true): void {
    this.cancelRetry();
    if (countAttempt) {
      this._epoch++;
      this._reconnects++;
      this.events.connecting(this._attempt + 1);
    }
    this.open = true;
    for (const wake of [...this.waiters]) wake();
    this.events.changed();
  }

  private cancelRetry(): void {
    this.retry?.dispose();
    this.retry = undefined;
  }
}
