// Who wants which subscription. The watchlist is one consumer; each renderer that
// focuses an instrument (its ladder and tape) is another. A subscription exists while
// at least one consumer holds it: the first holder subscribes it, the last one to let
// go (or to detach) unsubscribes it. Pure bookkeeping; the engine applies the changes.
import { subscriptionId, type SubscriptionKey } from '../../../shared/market';

/** What a change did: subscriptions that became wanted, and those nobody wants any more. */
export interface RefChange {
  added: SubscriptionKey[];
  removed: SubscriptionKey[];
}

export class SubscriptionRefs {
  private readonly held = new Map<string, Map<string, SubscriptionKey>>();
  private readonly counts = new Map<string, { key: SubscriptionKey; n: number }>();

  /** Adds to what `consumer` holds. */
  add(consumer: string, keys: readonly SubscriptionKey[]): RefChange {
    const change: RefChange = { added: [], removed: [] };
    let mine = this.held.get(consumer);
    for (const key of keys) {
      const id = subscriptionId(key);
      if (mine?.has(id)) continue;
      if (!mine) this.held.set(consumer, (mine = new Map()));
      mine.set(id, key);
      const c = this.counts.get(id);
      if (c) c.n++;
      else {
        this.counts.set(id, { key, n: 1 });
        change.added.push(key);
      }
    }
    return change;
  }

  /** Lets go of some of what `consumer` holds. */
  remove(consumer: string, keys: readonly SubscriptionKey[]): RefChange {
    const change: RefChange = { added: [], removed: [] };
    const mine = this.held.get(consumer);
    if (!mine) return change;
    for (const key of keys) {
      const id = subscriptionId(key);
      if (!mine.delete(id)) continue;
      const c = this.counts.get(id)!;
      if (--c.n === 0) {
        this.counts.delete(id);
        change.removed.push(c.key);
      }
    }
    if (mine.size === 0) this.held.delete(consumer);
    return change;
  }

  /** Makes `consumer` hold exactly `keys`. */
  set(consumer: string, keys: readonly SubscriptionKey[]): RefChange {
    const next = new Set(keys.map(subscriptionId));
    const drop = [...(this.held.get(consumer)?.values() ?? [])].filter((k) => !next.has(subscriptionId(k)));
    const removed = this.remove(consumer, drop).removed;
    const added = this.add(consumer, keys).added;
    return { added, removed };
  }

  /** A consumer went away (a renderer detached): everything it held is released. */
  release(consumer: string): RefChange {
    return this.remove(consumer, [...(this.held.get(consumer)?.values() ?? [])]);
  }

  /** Every subscription someone holds. */
  keys(): SubscriptionKey[] {
    return [...this.counts.values()].map((c) => c.key);
  }

  holders(key: SubscriptionKey): number {
    return this.counts.get(subscriptionId(key))?.n ?? 0;
  }
}
