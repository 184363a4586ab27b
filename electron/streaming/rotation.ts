// Make-before-break rotation: a fresh connection is opened and every subscription
// warmed on it (each has delivered once) before the session switches to it and
// closes the old one. Any failure keeps the current connection. One at a time.
import { ccxt } from './exchange-loader';
import type { Owner } from '../../shared/lifecycle/owner';
import { settleWithin, type Scheduler } from '../../shared/lifecycle/timers';
import type { DisconnectReason } from '../../shared/market';

export interface RotationHost<X, W> {
  current(): X | undefined;
  create(): Promise<X>;
  /** Subscribes everything on `next`; resolves once every subscription has data. */
  warm(next: X): Promise<W>;
  /** Makes `next` the session's connection and hands over the warm-up data. */
  switchTo(next: X, warmed: W, reason: DisconnectReason): void;
  /** Closes a connection, bounded; never throws. */
  close(x: X): Promise<void>;
  failed(e: unknown): void;
  /** Runs after every rotation, switched or not. */
  finished(): void;
}

export class Rotation<X, W> {
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly host: RotationHost<X, W>,
    private readonly warmWithinMs: number,
    private readonly scheduler: Scheduler,
    private readonly owner: Owner,
  ) {}

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  /** Resolves when the rotation in flight, if any, has ended (it never rejects). */
  settled(): Promise<void> {
    return this.inFlight ?? Promise.resolve();
  }

  /** Starts a rotation away from the current connection; false when one runs already or there is none. */
  start(reason: DisconnectReason): boolean {
    const old = this.host.current();
    if (this.inFlight || old === undefined) return false;
    const run = this.run(old, reason).finally(() => {
      this.inFlight = undefined;
      this.host.finished();
    });
    this.inFlight = run;
    return true;
  }

  private async run(old: X, reason: DisconnectReason): Promise<void> {
    let next: X | undefined;
    try {
      next = await this.host.create();
      const warmed = await settleWithin(this.host.warm(next), this.warmWithinMs, this.scheduler, this.owner);
      if (warmed.timedOut) throw new ccxt.RequestTimeout(`no data within ${this.warmWithinMs} ms`);
      if (this.host.current() !== old) throw new Error('session changed during rotation');
      this.host.switchTo(next, warmed.value, reason);
      await this.host.close(old);
    } catch (e) {
      this.host.failed(e);
      if (next !== undefined && next !== this.host.current()) await this.host.close(next);
    }
  }
}
