// The part every MarketSession keeps the same way, ccxt's (ExchangeSession) and the
// brokers' (BrokerSession): the subscriptions by id, the queue that runs subscribe,
// unsubscribe and close one after another (each sees the table the previous one
// left), the rows a new subscription writes (the session's sink and latency rings),
// and the status shape built from the reconnect gate and the outage record.
// A Map by subscription id, so the sessions read it as one.
import type { ExchangeStatus, SubscriptionStatus } from '../../../shared/contract/status';
import type { Owner } from '../../../shared/lifecycle/owner';
import type { Scheduler } from '../../../shared/lifecycle/timers';
import { subscriptionId, type ExchangeMode, type SubscriptionKey } from '../../../shared/market';
import type { OutageTracker } from '../outage-tracker';
import type { ReconnectGate } from '../reconnect-gate';
import { connectionState, type SessionStats } from '../session-stats';
import { createSubscription, subscriptionStatus, type Subscription } from '../subscription';
import type { TickSink } from '../tick-sink';

/** What only the session knows about its connection, for status(). */
export interface ConnectionFacts {
  closing: boolean;
  /** The session is running (it has subscriptions). */
  active: boolean;
  mode: ExchangeMode;
  /** Sockets that count towards "connected" now. */
  sockets: number;
  /** Connections reported in the status. */
  connections: number;
}

export class SessionTable extends Map<string, Subscription> {
  private ops: Promise<void> = Promise.resolve();

  constructor(
    private readonly exchange: string,
    private readonly sink: TickSink,
    private readonly stats: SessionStats,
    private readonly bookDepth: number,
    private readonly clock: Scheduler,
  ) {
    super();
  }

  /** Runs `op` once every op queued before it has settled; a failed op does not stop the queue. */
  enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.ops.then(op);
    this.ops = run.catch(() => undefined);
    return run;
  }

  /** The keys not subscribed yet. */
  fresh(keys: SubscriptionKey[]): SubscriptionKey[] {
    return keys.filter((k) => !this.has(subscriptionId(k)));
  }

  /** A new subscription, in the table, armed now under `epoch`; its rows go to the session's sink. */
  open(key: SubscriptionKey, active: Owner, epoch: number): Subscription {
    const rows = { sink: this.sink, exchangeLatency: this.stats.exchangeLatency, processingLatency: this.stats.processingLatency, bookDepth: this.bookDepth };
    const sub = createSubscription(key, active, rows, this.clock.now(), epoch);
    this.set(sub.id, sub);
    return sub;
  }

  /** Takes the subscriptions of `keys` out of the table (unknown keys are skipped), in the order given. */
  take(keys: SubscriptionKey[]): Subscription[] {
    const taken: Subscription[] = [];
    for (const key of keys) {
      const sub = this.get(subscriptionId(key));
      if (!sub) continue;
      this.delete(sub.id);
      taken.push(sub);
    }
    return taken;
  }

  /** The session's ExchangeStatus: its state named from the facts, the gate and the outage record. */
  status(facts: ConnectionFacts, gate: ReconnectGate, outages: OutageTracker): ExchangeStatus {
    const state = connectionState({
      closing: facts.closing,
      active: facts.active,
      mode: facts.mode,
      reconnecting: outages.isOpen || !gate.isOpen,
      anyStale: () => this.anyStale(),
      sockets: facts.sockets,
    });
    return this.stats.status({ exchange: this.exchange, state, mode: facts.mode, reconnects: gate.reconnects, attempt: gate.attempt, connections: facts.connections });
  }

  statuses(behind = false): SubscriptionStatus[] {
    return [...this.values()].map((s) => subscriptionStatus(s, behind));
  }

  private anyStale(): boolean {
    for (const s of this.values()) if (s.state === 'stale') return true;
    return false;
  }
}
