// The outage record of one exchange: opened by the first loop that loses its
// connection, with the cause it reports (or a cause suspected just before, such as
// a stale stream), completed when every affected subscription got data again or
// left. The record goes to the connection timeline when it opens and when it ends.
import type { Outage } from '../../shared/contract/status';
import { disconnectCause, type DisconnectCause } from './errors';

interface OpenOutage {
  outage: Outage;
  affected: Set<string>;
  restored: Set<string>;
}

let outageSeq = 0;

export class OutageTracker {
  private current: OpenOutage | undefined;
  private suspected: DisconnectCause | undefined;

  constructor(
    private readonly exchange: string,
    private readonly clock: { now(): number },
    private readonly record: (outage: Outage) => void,
  ) {}

  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /** We are about to cut a connection for this cause: the outage that follows carries it. */
  suspect(cause: DisconnectCause): void {
    if (!this.current) this.suspected = cause;
  }

  /** Opens an outage for subscription `id`, lost with error `e`; false when one is open already. */
  begin(id: string, e: unknown): boolean {
    if (this.current) {
      this.current.affected.add(id);
      return false;
    }
    const cause = this.suspected ?? disconnectCause(e);
    this.suspected = undefined;
    const outage: Outage = { id: `${this.exchange}-${++outageSeq}`, exchange: this.exchange, startedAt: this.clock.now(), reason: cause.reason, message: cause.message, restored: [] };
    if (cause.code !== undefined) outage.code = cause.code;
    this.current = { outage, affected: new Set([id]), restored: new Set() };
    this.record(outage);
    return true;
  }

  /** Subscription `id` got data again. */
  restored(id: string): void {
    const o = this.current;
    if (!o?.affected.has(id)) return;
    o.restored.add(id);
    this.completeIfDone();
  }

  /** Subscription `id` failed for good or was removed: the outage no longer waits for it. */
  forget(id: string): void {
    if (!this.current) return;
    this.current.affected.delete(id);
    this.completeIfDone();
  }

  /** The session went idle: nothing is waited for any more (nor recorded). */
  clear(): void {
    this.current = undefined;
  }

  private completeIfDone(): void {
    const o = this.current;
    if (!o) return;
    for (const id of o.affected) if (!o.restored.has(id)) return;
    this.current = undefined;
    o.outage.downMs = this.clock.now() - o.outage.startedAt;
    o.outage.restored = [...o.restored];
    this.record(o.outage);
  }
}
