// OpenD refuses to cancel a subscription within a minute of making it. Instead of
// failing the trader's unsubscribe, it is deferred to the end of that minute, and
// the deferral is cancelled if the same subscription is wanted again meanwhile
// (OpenD still has it: nothing needs sending). Pure policy on an injected
// Scheduler; its timers belong to the given Owner.
import type { Owner, Registration } from '../../../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../../../shared/lifecycle/timers';

export type UnsubscribeDecision = 'now' | 'deferred' | 'not-subscribed';

export class UnsubscribeDeferral {
  /** Key → when OpenD accepted the subscription. */
  private readonly since = new Map<string, number>();
  private readonly deferred = new Map<string, Registration>();

  constructor(
    private readonly holdMs: number,
    private readonly scheduler: Scheduler,
    private readonly owner: Owner,
    /** Called when a deferred unsubscribe is due: send it now. */
    private readonly due: (key: string) => void,
  ) {}

  /** OpenD accepted a subscription for `key` (again after a reconnect: the minute restarts). */
  subscribed(key: string): void {
    this.since.set(key, this.scheduler.now());
  }

  /**
   * The trader wants `key` again. True when an unsubscribe was deferred and is now
   * cancelled: OpenD still holds the subscription, so no Sub needs sending.
   */
  resubscribe(key: string): boolean {
    const reg = this.deferred.get(key);
    if (!reg) return false;
    reg.dispose();
    this.deferred.delete(key);
    return true;
  }

  /** The trader no longer wants `key`: send the unsubscribe now, or later (due() is called then). */
  unsubscribe(key: string): UnsubscribeDecision {
    const since = this.since.get(key);
    if (since === undefined) return 'not-subscribed';
    if (this.deferred.has(key)) return 'deferred';
    const wait = since + this.holdMs - this.scheduler.now();
    if (wait <= 0) {
      this.since.delete(key);
      return 'now';
    }
    this.deferred.set(
      key,
      ownedTimeout(
        this.scheduler,
        this.owner,
        () => {
          this.deferred.delete(key);
          this.since.delete(key);
          this.due(key);
        },
        wait,
        'deferred-unsubscribe',
      ),
    );
    return 'deferred';
  }

  isDeferred(key: string): boolean {
    return this.deferred.has(key);
  }

  /** Keys whose unsubscribe is waiting for its minute. */
  get pending(): string[] {
    return [...this.deferred.keys()];
  }

  /**
   * The connection ended: OpenD dropped every subscription of it, so nothing is
   * left to unsubscribe and no subscription has a minute running.
   */
  connectionLost(): string[] {
    const dropped = this.pending;
    for (const reg of this.deferred.values()) reg.dispose();
    this.deferred.clear();
    this.since.clear();
    return dropped;
  }
}
