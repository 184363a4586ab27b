// The session of a broker that pushes data (IB, Futu): the subscription table and
// the recovery every broker gets the same way, around a BrokerAdapter that knows
// only its venue's calls:
//   - ReconnectGate: one backoff per outage; each failed dial is one attempt.
//   - OutageTracker: the outage record for the connection timeline.
//   - SilenceWatchdog: when the connection delivers nothing at all (not even the
//     adapter's keep-alive answers) its subscriptions are declared stale and the
//     connection is replaced (a stalled socket never closes by itself).
//   - SessionStats: the figures of status().
//   - SessionTable: the subscription table, its op queue and the status shape, as
//     ExchangeSession keeps them.
// Restore exactly once: a fresh connection requests every subscription once; the
// broker saying its upstream came back with data lost requests each once more, on
// the same connection; data kept requests nothing.
import type { ExchangeStatus, SubscriptionStatus } from '../../../shared/contract/status';
import { errorMessage } from '../../../shared/error-message';
import type { Owner } from '../../../shared/lifecycle/owner';
import { ownedInterval, systemScheduler, type Scheduler } from '../../../shared/lifecycle/timers';
import type { ErrorClass, SubscriptionKey } from '../../../shared/market';
import type { StreamingSettings } from '../../../shared/settings';
import type { EventLog } from '../event-log';
import { OutageTracker } from '../outage-tracker';
import { ReconnectGate } from '../reconnect-gate';
import { SessionStats } from '../session-stats';
import { SilenceWatchdog } from '../silence-watchdog';
import { silentFor, type Subscription } from '../subscription';
import { BrokerError, type BrokerAdapter, type BrokerLink, type MarketSession, type SessionDeps } from './adapter';
import { SessionTable } from './session-table';

const STALE_CLOSES_PER_SEC = 5;

export class BrokerSession implements MarketSession {
  readonly id: string;
  private readonly streaming: StreamingSettings;
  private readonly owner: Owner;
  private readonly log: EventLog;
  private readonly changed: () => void;
  private readonly scheduler: Scheduler;

  private readonly subs: SessionTable;
  /** Owner of the running machinery; exists while there are subscriptions. */
  private active: Owner | undefined;
  private closing = false;
  /** The adapter accepted requests on the current connection. */
  private ready = false;
  /** The broker lost its own upstream (IB 1100): silence is expected until it says otherwise. */
  private upstreamDown = false;
  /** Bumped per dial, so events of an abandoned connection are ignored. */
  private dialSeq = 0;
  /** When the current connection last delivered rows or a keep-alive answer (BrokerLink.data, alive). */
  private lastFrameAt = -Infinity;
  private readonly marketsLoaded?: (markets: unknown) => void;
  /** The adapter's market list: asked at configure, and again after each connect until it arrives. */
  private markets: 'wanted' | 'loading' | 'loaded' = 'wanted';

  private readonly gate: ReconnectGate;
  private readonly outages: OutageTracker;
  private readonly stats: SessionStats;
  private readonly silence: SilenceWatchdog;

  constructor(
    deps: SessionDeps,
    private readonly adapter: BrokerAdapter,
  ) {
    this.id = deps.settings.id;
    this.streaming = deps.streaming;
    this.owner = deps.owner;
    this.log = deps.log;
    this.changed = deps.changed;
    this.marketsLoaded = deps.markets;
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.gate = new ReconnectGate(this.streaming.backoff, this.scheduler, {
      connecting: (attempt) => {
        this.event('CONNECTING', undefined, { attempt });
        void this.dial();
      },
      reconnecting: (attempt, delayMs) => this.event('RECONNECTING', undefined, { attempt, delayMs }),
      changed: () => this.changed(),
    }, deps.random ?? Math.random);
    this.outages = new OutageTracker(this.id, this.scheduler, (o) => this.log.outage(o));
    this.stats = new SessionStats(this.scheduler, deps.sink);
    this.subs = new SessionTable(this.id, deps.sink, this.stats, this.streaming.bookDepth, this.scheduler);
    const stale = this.streaming.staleAfterMs;
    const tickMs = Math.max(25, Math.min(1000, Math.min(stale.ticker, stale.trades, stale.book) / 4));
    this.silence = new SilenceWatchdog({ tickMs, closesPerSec: STALE_CLOSES_PER_SEC }, this.scheduler);
  }

  // ---- MarketSession -------------------------------------------------------------

  subscribe(keys: SubscriptionKey[]): Promise<void> {
    return this.subs.enqueue(async () => {
      if (this.closing) return;
      const fresh = this.subs.fresh(keys);
      if (!fresh.length) return;
      const active = this.activate();
      for (const key of fresh) {
        const sub = this.subs.open(key, active, this.gate.epoch);
        this.event('SUBSCRIBING', sub);
        if (this.ready) this.adapter.request(sub);
      }
      this.changed();
    });
  }

  unsubscribe(keys: SubscriptionKey[]): Promise<void> {
    return this.subs.enqueue(() => this.removeSubs(keys));
  }

  close(): Promise<void> {
    this.closing = true;
    return this.subs.enqueue(() => this.removeSubs([...this.subs.values()].map((s) => s.key)));
  }

  /** The broker's markets for the symbol search, if its adapter can list them; a failure is logged and retried after the next connect. */
  loadMarkets(): void {
    if (!this.adapter.markets || !this.marketsLoaded || this.markets !== 'wanted' || this.closing) return;
    this.markets = 'loading';
    this.adapter.markets().then(
      (list) => {
        this.markets = 'loaded';
        if (!this.closing) this.marketsLoaded?.(list);
      },
      (e: unknown) => {
        this.markets = 'wanted';
        if (!this.closing) this.log.record('warn', 'markets', 'market list not loaded; asked again after the next connect', { exchange: this.id, error: errorMessage(e) });
      },
    );
  }

  status(): ExchangeStatus {
    const connections = this.adapter.connections;
    return this.subs.status({ closing: this.closing, active: this.active !== undefined, mode: 'live', sockets: this.ready ? connections : 0, connections }, this.gate, this.outages);
  }

  subscriptionStatuses(): SubscriptionStatus[] {
    return this.subs.statuses();
  }

  // ---- activation and the connection -------------------------------------------------

  private activate(): Owner {
    if (this.active) return this.active;
    const active = (this.active = this.owner.child('active'));
    this.gate.reset();
    this.silence.restart();
    ownedInterval(this.scheduler, active, () => this.watchdog(), this.silence.tickMs, 'watchdog');
    active.add('broker-connection', () => void this.adapter.disconnect());
    this.event('CONNECTING', undefined, { attempt: 1 });
    void this.dial();
    return active;
  }

  private async removeSubs(keys: SubscriptionKey[]): Promise<void> {
    const removed = this.subs.take(keys);
    // When none is left the session hangs up, which ends them all at the broker at once.
    const cancel = this.ready && this.subs.size > 0;
    for (const sub of removed) {
      if (cancel && sub.state !== 'failed') this.adapter.cancel(sub);
      sub.state = 'unsubscribed';
      sub.owner.dispose();
      this.event('UNSUBSCRIBED', sub);
      this.outages.forget(sub.id);
    }
    if (this.subs.size === 0) await this.deactivate();
    this.changed();
  }

  private async deactivate(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    this.dialSeq++;
    this.ready = false;
    this.upstreamDown = false;
    await this.adapter.disconnect();
    active.dispose(); // the watchdog and any pending backoff go with it
    this.outages.clear();
    this.gate.openNow(false);
    this.changed();
  }

  /** One connection attempt; on success every subscription is requested exactly once. */
  private async dial(): Promise<void> {
    const seq = ++this.dialSeq;
    this.ready = false;
    this.upstreamDown = false;
    const epoch = this.gate.epoch;
    try {
      await this.adapter.disconnect(); // whatever is left of the previous connection
      await this.adapter.connect(this.linkFor(seq));
    } catch (e) {
      if (seq !== this.dialSeq || !this.active) return;
      const err = asBrokerError(e);
      this.count(err.errorClass, err.message);
      // The first refusal opens the outage (attempt 1 follows); a refused retry is a failed attempt.
      const retrying = this.outages.isOpen;
      this.outages.suspect({ reason: 'refused', message: err.message, ...(err.code !== undefined ? { code: err.code } : {}) });
      this.beginOutage(err);
      if (retrying) this.gate.failed(epoch);
      this.gate.scheduleRetry(this.active);
      return;
    }
    if (seq !== this.dialSeq || !this.active) return;
    this.ready = true;
    this.lastFrameAt = this.scheduler.now();
    this.event('CONNECTED', undefined, {});
    this.loadMarkets(); // OpenD was down when configured: it is up now
    const t = this.scheduler.now();
    for (const sub of this.subs.values()) {
      if (sub.state === 'failed') continue;
      sub.armedAt = t;
      sub.epoch = this.gate.epoch;
      this.adapter.request(sub);
    }
    this.changed();
  }

  /** The connection is gone or unusable: one outage, one backoff, then a fresh dial. */
  private connectionLost(err: BrokerError): void {
    const active = this.active;
    if (!active || this.closing) return;
    this.dialSeq++; // events of the old connection are ignored from now on
    this.ready = false;
    this.upstreamDown = false;
    void this.adapter.disconnect();
    this.event('DISCONNECTED', undefined, { message: err.message, ...(err.code !== undefined ? { code: err.code } : {}) });
    this.count(err.errorClass, err.message);
    this.beginOutage(err);
    this.gate.scheduleRetry(active);
  }

  private beginOutage(err: BrokerError): void {
    let opened = false;
    for (const sub of this.subs.values()) {
      if (sub.state === 'failed') continue;
      sub.state = 'reconnecting';
      opened = this.outages.begin(sub.id, err) || opened;
    }
    if (opened) this.changed();
  }

  private linkFor(seq: number): BrokerLink {
    const current = () => seq === this.dialSeq && this.active !== undefined;
    return {
      data: (sub, rx) => {
        if (rx > this.lastFrameAt && seq === this.dialSeq) this.lastFrameAt = rx;
        if (sub.state === 'failed') return;
        sub.lastDataAt = rx;
        if (sub.state !== 'live' && current() && this.subs.get(sub.id) === sub) this.becameLive(sub);
      },
      requested: (sub) => {
        if (current() && sub.state !== 'live') sub.armedAt = this.scheduler.now();
      },
      message: () => this.stats.message(),
      alive: () => {
        if (seq === this.dialSeq) this.lastFrameAt = this.scheduler.now();
      },
      lost: (err, socketClosed) => {
        if (!current()) return;
        if (socketClosed) return this.connectionLost(err);
        // The broker is still connected to us but lost its upstream: wait for its word.
        this.upstreamDown = true;
        this.event('DISCONNECTED', undefined, { message: err.message, ...(err.code !== undefined ? { code: err.code } : {}) });
        this.outages.suspect({ reason: 'error', message: err.message, ...(err.code !== undefined ? { code: err.code } : {}) });
        this.beginOutage(err);
      },
      restored: (dataLost) => {
        if (!current()) return;
        this.upstreamDown = false;
        this.event('RECOVERED', undefined, { message: dataLost ? 'upstream back, data lost: subscriptions requested again' : 'upstream back, data kept' });
        if (!dataLost) return;
        const t = this.scheduler.now();
        for (const sub of this.subs.values()) {
          if (sub.state === 'failed') continue;
          sub.armedAt = t;
          this.adapter.request(sub);
        }
      },
      failed: (sub, err) => {
        if (!current() || this.subs.get(sub.id) !== sub) return;
        this.count(err.errorClass, err.message);
        sub.state = 'failed';
        sub.error = { class: err.errorClass, message: err.message };
        this.event('FAILED', sub, { errorClass: err.errorClass, message: err.message });
        this.outages.forget(sub.id);
        this.changed();
      },
      delayed: (sub, delayed) => {
        if (sub.delayed === delayed) return;
        sub.delayed = delayed;
        this.log.record('info', 'connection', delayed ? 'served delayed: no live data permission' : 'served live', { exchange: this.id, subscription: sub.id });
        this.changed();
      },
      notice: (message, code) => {
        if (current()) this.event('NOTICE', undefined, { message, code });
      },
    };
  }

  private becameLive(sub: Subscription): void {
    const was = sub.state;
    sub.state = 'live';
    sub.error = undefined;
    if (was === 'subscribing') this.event('SUBSCRIBED', sub);
    this.gate.succeeded();
    this.outages.restored(sub.id);
    this.changed();
  }

  // ---- watchdog: silence ---------------------------------------------------------------

  private watchdog(): void {
    if (!this.silence.onTime()) return; // we were busy, not the broker: judge next tick
    if (!this.ready || this.upstreamDown || !this.gate.isOpen) return;
    const t = this.scheduler.now();
    const stale = this.streaming.staleAfterMs;
    for (const sub of this.subs.values()) {
      // Like ccxt's sockets: a connection that still delivers anything (the adapter's
      // keep-alive answers included) vouches for quiet instruments on it.
      const silent = silentFor(sub, t, this.lastFrameAt);
      if (!(silent > stale[sub.key.channel])) continue;
      if (!this.silence.mayClose()) return;
      // One silent subscription condemns the connection: a stalled socket never closes by itself.
      sub.state = 'stale';
      const message = `${sub.id}: no data for ${Math.round(silent)} ms`;
      this.event('STALE', sub, { message });
      this.outages.suspect({ reason: 'stale', message });
      this.connectionLost(new BrokerError(message, 'timeout'));
      return;
    }
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  private count(cls: ErrorClass, message: string): void {
    this.stats.error(cls, message);
    this.changed();
  }

  private event(kind: Parameters<EventLog['event']>[0]['kind'], sub: Subscription | undefined, extra: Partial<Parameters<EventLog['event']>[0]> = {}): void {
    this.log.event({ kind, exchange: this.id, ...(sub ? { symbol: sub.key.symbol, channel: sub.key.channel } : {}), ...extra });
  }
}

function asBrokerError(e: unknown): BrokerError {
  return e instanceof BrokerError ? e : new BrokerError(errorMessage(e), 'network');
}
