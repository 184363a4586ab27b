// One exchange's streaming session: its ccxt instance, one watch loop per
// subscription, and the connection policy shared by all of them:
//   - one reconnect backoff per outage (loops wait on the session's gate; one
//     failed attempt counts once however many loops saw it fail),
//   - a watchdog (one timer) for silent subscriptions and connection age,
//   - the circuit breaker (REST polling, WebSocket probe, recovery),
//   - make-before-break rotation onto a fresh instance.
// ccxt does not reconnect by itself: a dropped socket rejects the pending watches
// and the next watch call dials again and resubscribes. Everything here is about
// deciding when that next call happens.
import ccxt from 'ccxt';
import type { OrderBook, Ticker, Trade } from 'ccxt';
import { now } from '../../shared/clock';
import type { ExchangeStatus, Outage, SubscriptionStatus } from '../../shared/contract/status';
import { SOURCE_REST, SOURCE_WS } from '../../shared/contract/tick-batch';
import type { Owner, Registration } from '../../shared/lifecycle/owner';
import { ERROR_CLASSES, instrumentId, subscriptionId, type DataSource, type DisconnectReason, type ErrorClass, type SubscriptionKey, type SubscriptionState } from '../../shared/market';
import type { ExchangeSettings, StreamingSettings } from '../../shared/settings';
import { backoffDelay } from '../../shared/backoff';
import { callUnWatch, callWatch, ExchangeClosedByUser, restDepth, UnsubscribeError, writeBook, writeTicker, writeTrades, type RowTarget } from './channel-calls';
import { CircuitBreaker } from './circuit-breaker';
import { errorMessage } from '../../shared/error-message';
import { classifyError, disconnectCause, isConnectionError, type DisconnectCause } from './errors';
import type { EventLog } from './event-log';
import { createStreamExchange, prepareExchange, type SocketHooks, type StreamExchange, type WsClientLike } from './instrumented-exchange';
import { LatencyRing } from './latency-ring';
import type { TickSink } from './tick-sink';

export interface SessionDeps {
  settings: ExchangeSettings;
  streaming: StreamingSettings;
  /** The session's owner: everything the session starts is registered under it. */
  owner: Owner;
  sink: TickSink;
  log: EventLog;
  changed: () => void;
  random?: () => number;
}

interface Sub extends RowTarget {
  id: string;
  key: SubscriptionKey;
  state: SubscriptionState;
  sourceName: DataSource;
  lastDataAt: number;
  /** When the current watch was issued while not yet live (the stale clock starts here). */
  armedAt: number;
  /** Gate epoch under which the current watch was issued. */
  epoch: number;
  url: string | undefined;
  error: { class: ErrorClass; message: string } | undefined;
  owner: Owner;
  lastTradeTs: number;
  malformedStreak: number;
}

interface OpenOutage {
  outage: Outage;
  affected: Set<string>;
  restored: Set<string>;
}

const ABORTED = Symbol('aborted');
const noop = () => undefined;
let outageSeq = 0;

export class ExchangeSession {
  readonly id: string;
  private readonly settings: ExchangeSettings;
  private readonly streaming: StreamingSettings;
  private readonly owner: Owner;
  private readonly sink: TickSink;
  private readonly log: EventLog;
  private readonly changed: () => void;
  private readonly random: () => number;

  private readonly subs = new Map<string, Sub>();
  private exchange: StreamExchange | undefined;
  private markets: { markets: unknown; currencies: unknown } | undefined;
  /** Owner of the running machinery; exists while there are subscriptions. */
  private active: Owner | undefined;
  private ops: Promise<void> = Promise.resolve();
  private circuit: CircuitBreaker;

  // Reconnect gate: loops run while it is open; an outage closes it until the backoff elapses.
  private gateOpen = true;
  private gateWaiters = new Set<() => void>();
  private epoch = 0;
  private retryTimer: Registration | undefined;
  private attempt = 0;
  private outage: OpenOutage | undefined;
  private pendingCause: DisconnectCause | undefined;

  private rotation: Promise<void> | undefined;
  private pollers: Owner | undefined;
  private probeTimer: Registration | undefined;
  private probing = false;
  private closing = false;
  private readonly sockets = new Map<WsClientLike, Registration>();

  // Figures for ExchangeStatus.
  private reconnects = 0;
  private messages = 0;
  private rateMark = { at: now(), count: 0, perSec: 0 };
  private readonly errors = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<ErrorClass, number>;
  private lastError: ExchangeStatus['lastError'];
  private readonly exchangeLatency = new LatencyRing(1024);
  private readonly processingLatency = new LatencyRing(1024);

  constructor(deps: SessionDeps) {
    this.settings = deps.settings;
    this.id = deps.settings.id;
    this.streaming = deps.streaming;
    this.owner = deps.owner;
    this.sink = deps.sink;
    this.log = deps.log;
    this.changed = deps.changed;
    this.random = deps.random ?? Math.random;
    this.circuit = this.newCircuit();
  }

  // ---- public API ------------------------------------------------------------

  subscribe(keys: SubscriptionKey[]): Promise<void> {
    return this.enqueue(async () => {
      if (this.closing) return;
      const fresh = keys.filter((k) => !this.subs.has(subscriptionId(k)));
      if (!fresh.length) return;
      await this.activate();
      for (const key of fresh) this.startSub(key);
      this.changed();
    });
  }

  unsubscribe(keys: SubscriptionKey[]): Promise<void> {
    return this.enqueue(() => this.removeSubs(keys));
  }

  /**
   * Stops accepting work, unsubscribes every subscription locally and closes every
   * socket. No UNSUBSCRIBE is sent: closing a connection ends its subscriptions at
   * the exchange, and ccxt paces unsubscribe messages (Binance allows 5 per second
   * per connection), which made 100 subscriptions take half a second to quit.
   */
  close(): Promise<void> {
    this.closing = true;
    return this.enqueue(async () => {
      await this.removeSubs([...this.subs.values()].map((s) => s.key));
      await this.deactivate();
    });
  }

  status(): ExchangeStatus {
    const t = now();
    const dt = t - this.rateMark.at;
    if (dt >= 200) this.rateMark = { at: t, count: this.messages, perSec: ((this.messages - this.rateMark.count) * 1000) / dt };
    const s: ExchangeStatus = {
      exchange: this.id,
      state: this.connectionState(),
      mode: this.circuit.mode,
      reconnects: this.reconnects,
      attempt: this.attempt,
      connections: this.sockets.size,
      messagesPerSec: Math.max(0, this.rateMark.perSec),
      exchangeLatencyMs: this.exchangeLatency.percentiles(),
      processingLatencyMs: this.processingLatency.percentiles(),
      errors: { ...this.errors },
    };
    if (this.lastError) s.lastError = { ...this.lastError };
    return s;
  }

  subscriptionStatuses(): SubscriptionStatus[] {
    const out: SubscriptionStatus[] = [];
    for (const s of this.subs.values()) {
      const st: SubscriptionStatus = { id: s.id, exchange: s.key.exchange, symbol: s.key.symbol, channel: s.key.channel, state: s.state, source: s.sourceName };
      if (s.lastDataAt) st.lastDataAt = s.lastDataAt;
      if (s.error) st.error = { ...s.error };
      out.push(st);
    }
    return out;
  }

  // ---- activation ------------------------------------------------------------

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.ops.then(op);
    this.ops = run.catch(noop);
    return run;
  }

  private async activate(): Promise<void> {
    if (this.exchange) return;
    this.active = this.owner.child('active');
    this.circuit = this.newCircuit();
    this.gateOpen = true;
    this.attempt = 0;
    this.exchange = await this.newInstance();
    const stale = this.streaming.staleAfterMs;
    const tick = Math.max(25, Math.min(1000, Math.min(stale.ticker, stale.trades, stale.book) / 4));
    this.active.setInterval(() => this.watchdog(), tick, 'watchdog');
  }

  private async deactivate(): Promise<void> {
    const ex = this.exchange;
    if (!ex) return;
    this.exchange = undefined;
    await bounded(ex.close(), 2000);
    this.active?.dispose();
    this.active = undefined;
    this.pollers = undefined;
    this.probeTimer = undefined;
    this.retryTimer = undefined;
    for (const reg of this.sockets.values()) reg.release();
    this.sockets.clear();
    this.outage = undefined;
    this.openGate(false);
    this.changed();
  }

  private newCircuit(): CircuitBreaker {
    return new CircuitBreaker(this.streaming.circuit.failureThreshold, this.streaming.backoff.maxAttempts);
  }

  private async newInstance(): Promise<StreamExchange> {
    const ex = createStreamExchange(this.settings, this.streaming, this.hooks);
    await prepareExchange(ex, this.settings);
    if (this.markets) ex.setMarkets(this.markets.markets as never, this.markets.currencies as never);
    else {
      try {
        await ex.loadMarkets();
        this.markets = { markets: ex.markets, currencies: ex.currencies };
      } catch (e) {
        // The watch loops load markets themselves and go through the reconnect path.
        this.countError(e);
      }
    }
    return ex;
  }

  // ---- subscriptions -----------------------------------------------------------

  private startSub(key: SubscriptionKey): void {
    const id = subscriptionId(key);
    const sub: Sub = {
      id,
      key,
      instrument: instrumentId(key.exchange, key.symbol),
      sink: this.sink,
      source: SOURCE_WS,
      exchangeLatency: this.exchangeLatency,
      processingLatency: this.processingLatency,
      bookDepth: this.streaming.bookDepth,
      state: 'subscribing',
      sourceName: 'ws',
      lastDataAt: 0,
      armedAt: now(),
      epoch: this.epoch,
      url: undefined,
      error: undefined,
      owner: this.active!.child(id),
      lastTradeTs: -Infinity,
      malformedStreak: 0,
    };
    this.subs.set(id, sub);
    this.event('SUBSCRIBING', sub);
    void sub.owner.run('watch-loop', (signal) => this.watchLoop(sub, signal));
    if (this.circuit.mode !== 'live') {
      sub.state = 'polling';
      this.startPoller(key.symbol);
    }
  }

  private async removeSubs(keys: SubscriptionKey[]): Promise<void> {
    const removed: Sub[] = [];
    for (const key of keys) {
      const sub = this.subs.get(subscriptionId(key));
      if (!sub) continue;
      this.subs.delete(sub.id);
      const wasLive = sub.state === 'live';
      sub.state = 'unsubscribed';
      sub.owner.dispose();
      if (wasLive) removed.push(sub);
      this.event('UNSUBSCRIBED', sub);
      if (this.outage) {
        this.outage.affected.delete(sub.id);
        this.maybeCompleteOutage();
      }
    }
    const ex = this.exchange;
    if (ex && this.circuit.mode === 'live' && removed.length && !this.closing) {
      // Best effort and bounded: a dead socket must not hold up unsubscribing.
      const acks = removed.map((s) => {
        try {
          const p = callUnWatch(ex, s.key);
          return p ? bounded(p, 2000) : undefined;
        } catch {
          return undefined;
        }
      });
      await Promise.all(acks);
    }
    this.closeIdleSockets();
    if (this.subs.size === 0) await this.deactivate();
    this.changed();
  }

  /** Closes sockets no remaining subscription uses (ccxt keeps them open after unWatch). */
  private closeIdleSockets(): void {
    const ex = this.exchange;
    if (!ex) return;
    const used = new Set<string | undefined>();
    for (const s of this.subs.values()) used.add(s.url);
    for (const [url, client] of Object.entries(ex.clients)) {
      if (used.has(url)) continue;
      client.error = new ExchangeClosedByUser('no subscriptions left on this socket');
      delete ex.clients[url];
      void client.close()?.catch(noop);
    }
  }

  // ---- the watch loop ------------------------------------------------------------

  private async watchLoop(sub: Sub, signal: AbortSignal): Promise<void> {
    // One abort listener for the loop's life, not one per tick: EventTarget add/remove
    // per resolved watch showed up in the streaming process's profile.
    const abortable = new AbortableWait(signal);
    while (!signal.aborted) {
      if (!this.gateOpen || !this.exchange) {
        await this.waitForGate(signal);
        continue;
      }
      const ex = this.exchange;
      const epoch = this.epoch;
      let pending: Promise<unknown>;
      try {
        ex.lastWatchUrl = undefined;
        pending = callWatch(ex, sub.key);
      } catch (e) {
        if (!(await this.loopFailed(sub, e, ex, epoch, signal))) return;
        continue;
      }
      pending.catch(noop);
      if (ex.lastWatchUrl) sub.url = ex.lastWatchUrl;
      sub.epoch = epoch;
      if (sub.state !== 'live') sub.armedAt = now();
      try {
        const result = await abortable.wait(pending);
        if (result === ABORTED) return;
        this.deliver(sub, result, ex);
      } catch (e) {
        if (signal.aborted) return;
        if (!(await this.loopFailed(sub, e, ex, epoch, signal))) return;
      }
    }
  }

  /** Handles a failed watch; resolves false when the loop should end. */
  private async loopFailed(sub: Sub, e: unknown, ex: StreamExchange, epoch: number, signal: AbortSignal): Promise<boolean> {
    if (e instanceof UnsubscribeError) return !signal.aborted && this.subs.has(sub.id);
    if (ex !== this.exchange) return true; // rotated away: continue on the new instance
    if (this.rotation) {
      // The old connection went while its replacement warms up: wait for the switch.
      await this.rotation;
      return true;
    }
    if (e instanceof ExchangeClosedByUser) {
      if (this.closing) return false;
      if (this.circuit.mode !== 'live') return true; // closed for polling: wait on the gate
    }
    const cls = classifyError(e);
    if (isConnectionError(e) || e instanceof ExchangeClosedByUser) {
      this.countError(e);
      this.connectionLost(sub, e, epoch);
      return true;
    }
    this.countError(e);
    if (cls === 'malformed' && ++sub.malformedStreak < 5) {
      // A corrupt update (e.g. order book sequence gap): ccxt resyncs on the next watch.
      await sleep(50, signal);
      return true;
    }
    // Bad symbol, rejected subscription, exchange error: only this subscription fails.
    sub.state = 'failed';
    sub.error = { class: cls, message: errorMessage(e) };
    this.event('FAILED', sub, { errorClass: cls, message: sub.error.message });
    if (this.outage) {
      this.outage.affected.delete(sub.id);
      this.maybeCompleteOutage();
    }
    this.changed();
    return false;
  }

  private deliver(sub: Sub, result: unknown, ex: StreamExchange): void {
    let rx: number;
    switch (sub.key.channel) {
      case 'ticker': {
        // A watch future settles with the first ticker of a burst; when ccxt handles
        // several frames in one socket read, the newest is in its cache, not in the
        // resolved value. Tickers coalesce to the newest, never to the first.
        const cached = (ex as unknown as { tickers?: Record<string, Ticker> }).tickers?.[sub.key.symbol];
        rx = writeTicker(sub, cached ?? (result as Ticker), ex.lastReceivedAt);
        break;
      }
      case 'trades': {
        const r = writeTrades(sub, result as Trade[], ex.lastReceivedAt);
        rx = r.rx;
        break;
      }
      case 'book':
        rx = writeBook(sub, result as OrderBook, ex.lastReceivedAt);
        break;
    }
    if (Number.isNaN(rx)) {
      if (sub.key.channel === 'ticker') this.countClass('malformed', `${sub.id}: ticker without a price`);
      return;
    }
    sub.lastDataAt = rx;
    sub.malformedStreak = 0;
    if (sub.state !== 'live') this.becameLive(sub);
  }

  private becameLive(sub: Sub): void {
    const was = sub.state;
    sub.state = 'live';
    sub.sourceName = 'ws';
    sub.source = SOURCE_WS;
    sub.error = undefined;
    if (was === 'subscribing') this.event('SUBSCRIBED', sub);
    if (sub.epoch === this.epoch) {
      this.attempt = 0;
      this.circuit.connectSucceeded();
    }
    if (this.outage?.affected.has(sub.id)) {
      this.outage.restored.add(sub.id);
      this.maybeCompleteOutage();
    }
    this.changed();
  }

  // ---- reconnect gate ------------------------------------------------------------

  private waitForGate(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.gateWaiters.delete(done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.gateWaiters.add(done);
    });
  }

  private openGate(countAttempt = true): void {
    this.retryTimer = undefined;
    if (countAttempt) {
      this.epoch++;
      this.reconnects++;
      this.event('CONNECTING', undefined, { attempt: this.attempt + 1 });
    }
    this.gateOpen = true;
    for (const w of [...this.gateWaiters]) w();
    this.changed();
  }

  /** A loop saw its connection go. One outage, one backoff, however many loops report it. */
  private connectionLost(sub: Sub, e: unknown, epoch: number): void {
    if (sub.state !== 'failed') sub.state = 'reconnecting';
    if (this.circuit.mode !== 'live' || !this.active) return;
    if (!this.outage) {
      const cause = this.pendingCause ?? disconnectCause(e);
      this.pendingCause = undefined;
      this.openOutage(cause);
      this.outage!.affected.add(sub.id);
      this.scheduleRetry();
      return;
    }
    this.outage.affected.add(sub.id);
    if (this.gateOpen && epoch === this.epoch) {
      // The retry this loop made under the current attempt failed.
      this.attempt++;
      if (this.circuit.connectFailed() === 'opened') this.openCircuit(e);
      else this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (!this.active || this.retryTimer) return;
    this.gateOpen = false;
    const delay = backoffDelay(this.streaming.backoff, this.attempt + 1, this.random);
    this.event('RECONNECTING', undefined, { attempt: this.attempt + 1, delayMs: Math.round(delay) });
    this.retryTimer = this.active.setTimeout(() => this.openGate(), delay, 'backoff');
    this.changed();
  }

  private openOutage(cause: DisconnectCause): void {
    const outage: Outage = { id: `${this.id}-${++outageSeq}`, exchange: this.id, startedAt: now(), reason: cause.reason, message: cause.message, restored: [] };
    if (cause.code !== undefined) outage.code = cause.code;
    this.outage = { outage, affected: new Set(), restored: new Set() };
    this.log.outage(outage);
  }

  private maybeCompleteOutage(): void {
    const o = this.outage;
    if (!o) return;
    for (const id of o.affected) if (!o.restored.has(id)) return;
    this.outage = undefined;
    o.outage.downMs = now() - o.outage.startedAt;
    o.outage.restored = [...o.restored];
    this.log.outage(o.outage);
  }

  // ---- watchdog: silence and connection age -------------------------------------

  private watchdog(): void {
    const ex = this.exchange;
    if (!ex || this.circuit.mode !== 'live' || !this.gateOpen) return;
    const t = now();
    const stale = this.streaming.staleAfterMs;
    for (const sub of this.subs.values()) {
      if (sub.state !== 'live' && sub.state !== 'subscribing' && sub.state !== 'reconnecting') continue;
      const since = sub.state === 'live' ? sub.lastDataAt : Math.max(sub.lastDataAt, sub.armedAt);
      if (t - since > stale[sub.key.channel]) this.declareStale(sub, ex, t - since);
    }
    const rotateAfter = this.streaming.rotateAfterMs;
    if (rotateAfter > 0 && !this.outage && !this.rotation && t - ex.createdAt > rotateAfter) this.rotate('rotation');
  }

  /** No data for too long: report it and force its socket to reconnect. */
  private declareStale(sub: Sub, ex: StreamExchange, silentMs: number): void {
    sub.state = 'stale';
    this.event('STALE', sub, { message: `no data for ${Math.round(silentMs)} ms` });
    this.changed();
    const client = sub.url ? ex.clients[sub.url] : undefined;
    const err = new ccxt.NetworkError(`${sub.id}: no data for ${Math.round(silentMs)} ms`);
    if (!this.outage) this.pendingCause = { reason: 'stale', message: err.message };
    if (client) {
      client.onError(err); // rejects every watch on this socket; ccxt forgets the client
      void client.close()?.catch(noop);
    } else {
      // No socket to blame (never connected): fail the loop through the normal path.
      this.connectionLost(sub, err, sub.epoch);
    }
  }

  // ---- rotation: make before break ----------------------------------------------

  private rotate(reason: DisconnectReason): void {
    const old = this.exchange;
    if (!old || this.rotation || this.circuit.mode !== 'live' || !this.active) return;
    this.event('ROTATING', undefined, { reason });
    this.rotation = (async () => {
      let next: StreamExchange | undefined;
      try {
        next = await this.newInstance();
        const live = [...this.subs.values()].filter((s) => s.state !== 'failed');
        const warm = live.map((s) => {
          const p = callWatch(next!, s.key);
          p.catch(noop);
          const url = next!.lastWatchUrl;
          return p.then((r) => ({ s, r, url }));
        });
        const stale = this.streaming.staleAfterMs;
        const results = await withTimeout(Promise.all(warm), Math.max(stale.ticker, stale.book, 2000));
        if (this.exchange !== old) throw new Error('session changed during rotation');
        // Switch: loops pick up the new instance on their next call; the old one closes after.
        this.exchange = next;
        this.epoch++;
        for (const { s, r, url } of results) {
          if (!this.subs.has(s.id)) continue;
          if (url) s.url = url;
          this.deliver(s, r, next);
        }
        this.log.record('info', 'connection', 'rotation complete', { exchange: this.id, reason, subscriptions: results.length });
        await bounded(old.close(), 2000);
      } catch (e) {
        this.countError(e);
        this.log.record('warn', 'connection', 'rotation failed; keeping the current connection', { exchange: this.id, error: errorMessage(e) });
        if (next && next !== this.exchange) await bounded(next.close(), 2000);
      } finally {
        this.rotation = undefined;
        this.changed();
      }
    })();
  }

  // ---- circuit breaker: REST polling and WebSocket probe -------------------------

  private openCircuit(e: unknown): void {
    const active = this.active;
    const ex = this.exchange;
    if (!active || !ex) return;
    this.retryTimer?.dispose();
    this.retryTimer = undefined;
    this.gateOpen = false;
    this.event('FALLBACK', undefined, { attempt: this.attempt, errorClass: classifyError(e), message: errorMessage(e) });
    // Drop whatever sockets are left: polling replaces them until a probe gets data.
    void bounded(ex.close(), 2000);
    for (const s of this.subs.values()) if (s.state !== 'failed') s.state = 'polling';
    this.pollers = active.child('polling');
    for (const symbol of new Set([...this.subs.values()].map((s) => s.key.symbol))) this.startPoller(symbol);
    this.probeTimer = active.setInterval(() => void this.probe(), this.streaming.circuit.probeIntervalMs, 'probe');
    this.changed();
  }

  private startPoller(symbol: string): void {
    if (!this.pollers || this.pollers.isDisposed) return;
    // One poller per symbol: never more than one REST request in flight for it.
    if (this.polledSymbols.has(symbol)) return;
    this.polledSymbols.add(symbol);
    void this.pollers.run('poller', async (signal) => {
      try {
        await this.pollLoop(symbol, signal);
      } finally {
        this.polledSymbols.delete(symbol);
      }
    });
  }
  private readonly polledSymbols = new Set<string>();

  private async pollLoop(symbol: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted && this.circuit.mode !== 'live') {
      const ex = this.exchange;
      const subs = [...this.subs.values()].filter((s) => s.key.symbol === symbol && s.state !== 'failed');
      if (!ex || !subs.length) return;
      let ok = true;
      for (const s of subs) {
        try {
          await this.pollOnce(ex, s);
        } catch (e) {
          if (signal.aborted) return;
          ok = false;
          this.countError(e);
          s.error = { class: classifyError(e), message: errorMessage(e) };
        }
        if (signal.aborted) return;
      }
      if (ok) {
        failures = 0;
        if (this.circuit.restSucceeded() === 'rest-up') {
          this.log.record('info', 'connection', 'REST polling works again', { exchange: this.id });
          this.changed();
        }
        await sleep(this.streaming.circuit.pollIntervalMs, signal);
      } else {
        failures++;
        if (this.circuit.restFailed() === 'rest-down') {
          this.event('FAILED', undefined, { message: 'REST polling failing too: exchange down', errorClass: subs[0]?.error?.class });
          this.changed();
        }
        await sleep(Math.max(this.streaming.circuit.pollIntervalMs, backoffDelay(this.streaming.backoff, failures, this.random)), signal);
      }
    }
  }

  private async pollOnce(ex: StreamExchange, s: Sub): Promise<void> {
    let rx = NaN;
    s.source = SOURCE_REST;
    switch (s.key.channel) {
      case 'ticker': {
        const t = await ex.fetchTicker(s.key.symbol);
        rx = writeTicker(s, t, now());
        break;
      }
      case 'book': {
        const ob = await ex.fetchOrderBook(s.key.symbol, restDepth(s.bookDepth));
        rx = writeBook(s, ob, now());
        break;
      }
      case 'trades': {
        const trades = await ex.fetchTrades(s.key.symbol, undefined, 100);
        const r = writeTrades(s, trades, now(), s.lastTradeTs);
        s.lastTradeTs = r.lastTs;
        rx = Number.isNaN(r.rx) ? now() : r.rx;
        break;
      }
    }
    if ((this.circuit.mode as string) === 'live' || !this.subs.has(s.id)) return;
    if (!Number.isNaN(rx)) s.lastDataAt = rx;
    s.error = undefined;
    if (s.state !== 'polling' || s.sourceName !== 'rest') {
      s.state = 'polling';
      s.sourceName = 'rest';
      this.changed();
    }
  }

  private async probe(): Promise<void> {
    const ex = this.exchange;
    if (this.probing || !ex || this.circuit.mode === 'live') return;
    const sub = [...this.subs.values()].find((s) => s.state !== 'failed');
    if (!sub) return;
    this.probing = true;
    try {
      const p = callWatch(ex, sub.key);
      p.catch(noop);
      const url = ex.lastWatchUrl;
      const stale = this.streaming.staleAfterMs;
      const r = await withTimeout(p, Math.min(this.streaming.circuit.probeIntervalMs, stale[sub.key.channel]));
      if (ex !== this.exchange || this.circuit.probeSucceeded() !== 'recovered') return;
      if (url) sub.url = url;
      this.recover();
      sub.epoch = this.epoch;
      this.deliver(sub, r, ex);
    } catch (e) {
      this.countError(e);
      // Leave no half-open probe socket behind; loops are parked on the closed gate.
      if (ex === this.exchange && (this.circuit.mode as string) !== 'live') await bounded(ex.close(), 2000);
    } finally {
      this.probing = false;
    }
  }

  private recover(): void {
    this.event('RECOVERED', undefined, {});
    this.probeTimer?.dispose();
    this.probeTimer = undefined;
    this.pollers?.dispose();
    this.pollers = undefined;
    this.attempt = 0;
    for (const s of this.subs.values()) {
      if (s.state === 'failed') continue;
      s.state = 'reconnecting';
      s.source = SOURCE_WS;
      s.sourceName = 'ws';
    }
    this.openGate();
  }

  // ---- socket hooks ------------------------------------------------------------------

  private readonly hooks: SocketHooks = {
    message: () => {
      this.messages++;
    },
    malformed: (_ex, client, error) => {
      this.countClass('malformed', error.message);
      this.log.record('debug', 'ws', 'malformed frame ignored', { exchange: this.id, url: client.url, error: error.message });
    },
    serverNotice: (ex) => {
      if (ex !== this.exchange) return;
      this.log.record('warn', 'connection', 'server announced shutdown; rotating', { exchange: this.id });
      this.rotate('server-notice');
    },
    connected: (_ex, client) => {
      if (!this.active || this.active.isDisposed) return;
      const reg = this.active.add('socket', () => void client.close()?.catch(noop));
      this.sockets.set(client, reg);
      this.event('CONNECTED', undefined, { url: client.url });
    },
    closed: (_ex, client, code) => {
      const reg = this.sockets.get(client);
      if (!reg) return;
      reg.release();
      this.sockets.delete(client);
      this.event('DISCONNECTED', undefined, { url: client.url, code, message: client.error ? errorMessage(client.error) : undefined });
      this.changed();
    },
    log: (level, message) => this.log.record(level, 'ccxt', message, { exchange: this.id }),
  };

  // ---- bookkeeping ---------------------------------------------------------------------

  private connectionState(): ExchangeStatus['state'] {
    if (this.closing && !this.exchange) return 'closed';
    if (!this.exchange) return 'idle';
    if (this.circuit.mode !== 'live') return 'down';
    if (this.outage || !this.gateOpen) return 'reconnecting';
    for (const s of this.subs.values()) if (s.state === 'stale') return 'stale';
    return this.sockets.size > 0 ? 'connected' : 'connecting';
  }

  private countError(e: unknown): void {
    this.countClass(classifyError(e), errorMessage(e));
  }

  private countClass(cls: ErrorClass, message: string): void {
    this.errors[cls]++;
    this.lastError = { class: cls, message, at: now() };
    this.changed();
  }

  private event(kind: Parameters<EventLog['event']>[0]['kind'], sub: Sub | undefined, extra: Partial<Parameters<EventLog['event']>[0]> = {}): void {
    this.log.event({ kind, exchange: this.id, ...(sub ? { symbol: sub.key.symbol, channel: sub.key.channel } : {}), ...extra });
  }
}

/** Awaits promises one after another, each cut short when the signal aborts. */
class AbortableWait {
  private wake: ((v: typeof ABORTED) => void) | undefined;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake?.(ABORTED), { once: true });
  }

  wait<T>(p: Promise<T>): Promise<T | typeof ABORTED> {
    if (this.signal.aborted) return Promise.resolve(ABORTED);
    return new Promise<T | typeof ABORTED>((resolve, reject) => {
      this.wake = resolve;
      p.then(resolve, reject);
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new ccxt.RequestTimeout(`no data within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

/** Waits for p at most ms; never throws. */
async function bounded(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!p) return;
  try {
    await withTimeout(p, ms);
  } catch {
    // best effort
  }
}
