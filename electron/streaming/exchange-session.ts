// One exchange's streaming session: its ccxt instance, the subscription table, and
// the recipe that composes the parts, each in its own module: the reconnect gate,
// outage record, circuit breaker and REST fallback (fallback-host, ws-probe), rotation
// (rotation-host), the watch loops (watch-loop), the watchdog (silence-watchdog,
// stale-sweep, silent-stream-check), sockets (socket-watch), markets
// (market-loader), books and tape (book/book-recovery, trades/tape-recovery), load
// (session-load), and what it reports (session-report, session-stats). ccxt does not
// reconnect by itself: a dropped socket rejects the pending watches and the next watch
// call dials again and resubscribes.
import type { ExchangeStatus, SubscriptionStatus } from '../../shared/contract/status';
import { errorMessage } from '../../shared/error-message';
import type { Owner } from '../../shared/lifecycle/owner';
import { boundedWait, ownedInterval, systemScheduler, type Scheduler } from '../../shared/lifecycle/timers';
import type { DisconnectReason, SubscriptionKey } from '../../shared/market';
import type { StreamingSettings } from '../../shared/settings';
import { callUnWatch, ExchangeClosedByUser, writeTicker, writeWatchResult } from './channel-calls';
import { CircuitBreaker } from './circuit-breaker';
import { classifyError } from './errors';
import { createStreamExchange, type StreamExchange, type WsClientLike } from './instrumented-exchange';
import { SocketWatch } from './socket-watch';
import { MarketLoader } from './market-loader';
import { MarketCacheFile } from './market-cache';
import { OutageTracker } from './outage-tracker';
import { ReconnectGate } from './reconnect-gate';
import { RestFallback } from './rest-fallback';
import { fallbackHost } from './fallback-host';
import { Rotation } from './rotation';
import { rotationHost, type Warmed } from './rotation-host';
import { SessionStats } from './session-stats';
import { SessionReport } from './session-report';
import { SilenceWatchdog } from './silence-watchdog';
import { useSource, type Subscription } from './subscription';
import { BookRecovery } from './book/book-recovery';
import { isTickerStreamOf, isTradeStreamOf, streamMarketId } from './stream-names';
import { TickerSeeds } from './ticker-seeds';
import { catchUpAfterReconnect, recoverTapeHole, type TapeRecoveryHost } from './trades/tape-recovery';
import { SilentStreamCheck } from './silent-stream-check';
import { RestLane, STREAM_REST_SLOTS } from './rest-lane';
import type { KnownMarkets, MarketSession, SessionDeps } from './adapters/adapter';
import { SessionTable } from './adapters/session-table';
import { systemTurnClock, TurnYield } from './turn-yield';
import { SessionLoad } from './session-load';
import { runWatchLoop, type WatchLoopHost } from './watch-loop';
import type { ProbeHost } from './ws-probe';
import { sweepStale, type StaleSweepHost } from './stale-sweep';
import { takeUndelivered } from './undelivered-updates';

export type { SessionDeps } from './adapters/adapter';

const CLOSE_WITHIN_MS = 2000;
/** Sockets one exchange may cut for silence per second (and at once). */
const STALE_CLOSES_PER_SEC = 50;
/** A macrotask turn longer than this ends at the next resolved watch (see turn-yield.ts). */
export const TURN_BUDGET_MS = 20;
const noop = () => undefined;

/** The ccxt implementation of the adapter contract (see adapters/adapter.ts). */
export class ExchangeSession implements MarketSession {
  readonly id: string;
  private readonly streaming: StreamingSettings;
  private readonly owner: Owner;
  private readonly changed: () => void;
  private readonly scheduler: Scheduler;

  private readonly subs: SessionTable;
  private exchange: StreamExchange | undefined;
  /** Owner of the running machinery; exists while there are subscriptions. */
  private active: Owner | undefined;
  private closing = false;

  private readonly circuit: CircuitBreaker;
  private readonly gate: ReconnectGate;
  private readonly outages: OutageTracker;
  private readonly fallback: RestFallback;
  private readonly rotation: Rotation<StreamExchange, Warmed>;
  private readonly stats: SessionStats;
  private readonly report: SessionReport;
  private readonly books: BookRecovery;
  private readonly tapeHost: TapeRecoveryHost;
  private readonly loopHost: WatchLoopHost;
  private readonly staleHost: StaleSweepHost;
  private readonly tickerSeeds: TickerSeeds;
  private readonly socketWatch: SocketWatch;
  private readonly marketLoader: MarketLoader;
  private readonly silence: SilenceWatchdog;
  private readonly load: SessionLoad;

  constructor(deps: SessionDeps) {
    const { settings, log } = deps;
    this.id = settings.id;
    this.streaming = deps.streaming;
    this.owner = deps.owner;
    this.changed = deps.changed;
    this.scheduler = deps.scheduler ?? systemScheduler;
    const turns = deps.turns ?? new TurnYield(TURN_BUDGET_MS, systemTurnClock(() => this.scheduler.now()));
    const random = deps.random ?? Math.random;
    const { backoff, circuit, staleAfterMs: stale } = this.streaming;
    this.circuit = new CircuitBreaker(circuit.failureThreshold, backoff.maxAttempts);
    this.gate = new ReconnectGate(backoff, this.scheduler, {
      connecting: (attempt) => this.report.event('CONNECTING', undefined, { attempt }),
      reconnecting: (attempt, delayMs) => this.report.event('RECONNECTING', undefined, { attempt, delayMs }),
      changed: () => this.changed(),
    }, random);
    this.outages = new OutageTracker(this.id, this.scheduler, (o) => log.outage(o));
    this.stats = new SessionStats(this.scheduler, deps.sink);
    this.subs = new SessionTable(this.id, deps.sink, this.stats, this.streaming.bookDepth, this.scheduler);
    this.report = new SessionReport(this.id, log, this.stats, this.changed);
    this.books = new BookRecovery(this.report, this.scheduler);
    this.socketWatch = new SocketWatch({
      active: () => this.active,
      exchange: () => this.exchange,
      closing: () => this.closing,
      rotate: (reason) => this.rotate(reason),
      message: () => this.stats.message(),
      subscribed: (client, streams) => this.subscribed(client, streams),
    }, turns, this.report);
    const cache = deps.marketCacheDir !== undefined && settings.ccxtId !== undefined ? new MarketCacheFile(deps.marketCacheDir, settings.id, settings.ccxtId, this.report) : undefined;
    this.marketLoader = new MarketLoader(settings, {
      create: () => createStreamExchange(settings, this.streaming, this.socketWatch.hooks),
      close: (ex) => this.closeBounded(ex),
      closing: () => this.closing,
      connected: () => this.exchange !== undefined,
      loaded: deps.markets ?? noop,
      refreshed: (markets, currencies) => this.exchange?.setMarkets(markets as never, currencies as never),
    }, this.owner, this.report, this.scheduler, cache);
    this.load = new SessionLoad(this.report, this.scheduler);
    const view = { exchange: () => this.exchange, subscriptions: () => this.subs.values(), has: (sub: Subscription) => this.subs.has(sub.id), live: () => this.circuit.isLive() };
    const use = (next: StreamExchange) => {
      this.exchange = next;
      this.gate.nextEpoch();
    };
    const rotating = { ...view, create: () => this.marketLoader.newInstance(), use, deliver: this.deliver.bind(this), close: this.closeBounded.bind(this), report: this.report };
    this.rotation = new Rotation(rotationHost(rotating), Math.max(stale.ticker, stale.book, 2000), this.scheduler, this.owner);
    this.loopHost = {
      ...view,
      gate: this.gate,
      turns,
      scheduler: this.scheduler,
      report: this.report,
      books: this.books,
      rotating: () => this.rotation.busy,
      rotationSettled: () => this.rotation.settled(),
      closing: () => this.closing,
      deliver: (sub, result, ex) => this.deliver(sub, result, ex),
      reissued: (sub, ex, pending) => {
        const client = sub.url === undefined ? undefined : ex.clients[sub.url];
        if (client) catchUpAfterReconnect(this.tapeHost, sub, client, pending);
      },
      connectionLost: (sub, e, epoch) => this.connectionLost(sub, e, epoch),
      failed: (sub) => this.outages.forget(sub.id),
    };
    const probeHost: ProbeHost = {
      ...view,
      candidate: () => [...this.subs.values()].find((s) => s.state !== 'failed'),
      windowMs: (sub) => Math.min(this.streaming.circuit.probeIntervalMs, this.streaming.staleAfterMs[sub.key.channel]),
      epoch: () => this.gate.epoch,
      deliver: (sub, result, ex) => this.deliver(sub, result, ex),
      close: (ex) => this.closeBounded(ex),
      report: this.report,
      scheduler: this.scheduler,
      owner: this.owner,
    };
    this.fallback = new RestFallback({ ...circuit, backoff }, this.circuit, this.scheduler, fallbackHost({ ...view, gate: this.gate, report: this.report, probe: probeHost }), random);
    const tickMs = Math.max(25, Math.min(1000, Math.min(stale.ticker, stale.trades, stale.book) / 4));
    this.silence = new SilenceWatchdog({ tickMs, closesPerSec: STALE_CLOSES_PER_SEC }, this.scheduler);
    const streamRest = new RestLane(STREAM_REST_SLOTS);
    this.staleHost = {
      ...view,
      silentStreams: new SilentStreamCheck({ exchange: () => this.exchange, clock: this.scheduler, restLane: streamRest, report: this.report, owner: this.owner, catchUp: (sub) => this.catchUp(sub) }),
      staleAfterMs: stale,
      silence: this.silence,
      outages: this.outages,
      report: this.report,
      connectionLost: (sub, e, epoch) => this.connectionLost(sub, e, epoch),
    };
    this.tapeHost = {
      exchange: () => this.exchange,
      clock: this.scheduler,
      report: this.report,
      restLane: streamRest,
      tapeCurrent: (sub) => {
        if (sub.state === 'reconnecting' && this.subs.get(sub.id) === sub) this.becameLive(sub);
      },
    };
    this.tickerSeeds = new TickerSeeds({
      exchange: () => this.exchange,
      scheduler: this.scheduler,
      restLane: streamRest,
      report: this.report,
      owner: this.owner,
      seeded: (sub, ticker) => {
        if (this.subs.get(sub.id) !== sub) return;
        const rx = writeTicker(sub.target, ticker, this.scheduler.now());
        if (Number.isNaN(rx)) return;
        sub.lastDataAt = rx;
        this.becameLive(sub);
      },
    });
  }

  // ---- public API ------------------------------------------------------------

  subscribe(keys: SubscriptionKey[]): Promise<void> {
    return this.subs.enqueue(async () => {
      if (this.closing) return;
      const fresh = this.subs.fresh(keys);
      if (!fresh.length) return;
      const symbols = fresh.map((k) => k.symbol);
      const active = await this.activate(symbols);
      if (this.exchange) await this.marketLoader.cover(this.exchange, symbols);
      if (this.closing) return;
      for (const key of fresh) this.startSub(key, active);
      this.changed();
    });
  }

  unsubscribe(keys: SubscriptionKey[]): Promise<void> {
    return this.subs.enqueue(() => this.removeSubs(keys));
  }

  /**
   * Stops accepting work, unsubscribes every subscription locally and closes every
   * socket. No UNSUBSCRIBE is sent: closing a connection ends its subscriptions at
   * the exchange, and ccxt paces unsubscribe messages (Binance allows 5 per second
   * per connection), which made 100 subscriptions take half a second to quit.
   */
  close(): Promise<void> {
    this.closing = true;
    return this.subs.enqueue(async () => {
      await this.removeSubs([...this.subs.values()].map((s) => s.key));
      await this.deactivate();
    });
  }

  /**
   * Loads the exchange's markets without subscribing anything, so the symbol search
   * lists every enabled exchange. Not queued with subscribe/close: an unreachable
   * exchange must not hold them up.
   */
  loadMarkets(): void {
    this.marketLoader.loadIdle();
  }

  /** The markets once a load in flight is over: the candle instance takes them instead of loading its own. */
  knownMarkets(): Promise<KnownMarkets | undefined> {
    return this.marketLoader.known();
  }

  status(): ExchangeStatus {
    const sockets = this.socketWatch.size;
    const st = this.subs.status({ closing: this.closing, active: this.exchange !== undefined, mode: this.circuit.mode, sockets, connections: sockets }, this.gate, this.outages);
    st.behind = this.load.behind;
    st.tradesShed = this.load.tradesShed(this.subs.values());
    st.loopLagMs = this.load.loopLagMs;
    return st;
  }

  subscriptionStatuses(): SubscriptionStatus[] {
    return this.subs.statuses(this.load.behind);
  }

  /** One heartbeat's look at the load (see session-load.ts). */
  sampleLoad(loopLagMs: number, maxDelayMs: number): void {
    this.load.sample(loopLagMs, maxDelayMs, this.load.tradesShed(this.subs.values()), this.stats.loadRates());
  }

  // ---- activation ------------------------------------------------------------

  /** The running connection, made for `symbols` (its first subscriptions) if there is none. */
  private async activate(symbols: readonly string[]): Promise<Owner> {
    if (this.exchange && this.active) return this.active;
    const active = (this.active = this.owner.child('active'));
    this.circuit.reset();
    this.gate.reset();
    this.exchange = await this.marketLoader.newInstance(symbols);
    this.silence.restart();
    ownedInterval(this.scheduler, active, () => this.watchdog(), this.silence.tickMs, 'watchdog');
    return active;
  }

  private async deactivate(): Promise<void> {
    const ex = this.exchange;
    if (!ex) return;
    this.exchange = undefined;
    await this.closeBounded(ex);
    this.active?.dispose(); // stops polling, probe, retry and watchdog with it
    this.active = undefined;
    this.fallback.stop();
    this.socketWatch.releaseAll();
    this.outages.clear();
    this.gate.openNow(false);
    this.changed();
  }

  private closeBounded(ex: StreamExchange): Promise<void> {
    return boundedWait(ex.close(), CLOSE_WITHIN_MS, this.scheduler, this.owner);
  }

  // ---- subscriptions -----------------------------------------------------------

  private startSub(key: SubscriptionKey, active: Owner): void {
    const sub = this.subs.open(key, active, this.gate.epoch);
    if (sub.target.tape) sub.target.onHole = (hole, evicted) => recoverTapeHole(this.tapeHost, sub, hole, evicted);
    this.report.event('SUBSCRIBING', sub);
    void sub.owner.run('watch-loop', (signal) => runWatchLoop(this.loopHost, sub, signal));
    if (!this.circuit.isLive()) {
      sub.state = 'polling';
      this.fallback.poll(key.symbol);
    }
  }

  private async removeSubs(keys: SubscriptionKey[]): Promise<void> {
    const removed: Subscription[] = [];
    for (const sub of this.subs.take(keys)) {
      this.load.removed(sub.target.tradesShed);
      const wasLive = sub.state === 'live';
      sub.state = 'unsubscribed';
      sub.owner.dispose();
      this.tickerSeeds.forget(sub);
      if (wasLive) removed.push(sub);
      this.report.event('UNSUBSCRIBED', sub);
      this.outages.forget(sub.id);
    }
    const ex = this.exchange;
    if (ex && this.circuit.isLive() && removed.length && !this.closing) {
      // Best effort and bounded: a dead socket must not hold up unsubscribing.
      const acks = removed.map((s) => {
        try {
          const p = callUnWatch(ex, s.key);
          return p ? boundedWait(p, CLOSE_WITHIN_MS, this.scheduler, this.owner) : undefined;
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

  private deliver(sub: Subscription, result: unknown, ex: StreamExchange): void {
    this.books.delivered(sub, result, ex);
    const rx = writeWatchResult(sub.target, sub.key, result, ex);
    if (Number.isNaN(rx)) {
      if (sub.key.channel === 'ticker') this.report.countClass('malformed', `${sub.id}: ticker without a price`);
      return;
    }
    sub.lastDataAt = rx;
    sub.malformedStreak = 0;
    if (sub.state !== 'live') this.becameLive(sub);
  }

  /** Delivers what ccxt cached for `sub` that its watch loop has not had yet (undelivered-updates.ts). */
  private catchUp(sub: Subscription): void {
    const ex = this.exchange;
    if (!ex || !this.gate.isOpen) return;
    const missed = takeUndelivered(ex, sub.key, sub.target.delivered);
    if (missed !== undefined) this.deliver(sub, missed, ex);
  }

  /**
   * The exchange confirmed a SUBSCRIBE: a new trade subscription among its streams is
   * live though its market has not traded yet (a quiet market's tape said
   * "subscribing" until its first trade); after a reconnect the tape's catch-up
   * decides instead (tape-recovery.ts): a confirmation says nothing about what the
   * outage missed. A ticker, new or reconnected, that gets no data soon is read over
   * REST (ticker-seeds.ts): a row has nothing to show before it. Books need neither:
   * ccxt resolves a new book with its REST snapshot.
   */
  private subscribed(client: WsClientLike, streams: readonly string[]): void {
    const markets = this.exchange?.markets;
    if (!markets) return;
    for (const sub of this.subs.values()) {
      if (sub.url !== client.url) continue;
      const { channel } = sub.key;
      const tape = channel === 'trades' && sub.state === 'subscribing';
      const row = channel === 'ticker' && (sub.state === 'subscribing' || sub.state === 'reconnecting');
      if (!tape && !row) continue;
      const id = streamMarketId(markets[sub.key.symbol]);
      if (id === undefined) continue;
      if (tape && streams.some((s) => isTradeStreamOf(s, id))) this.becameLive(sub);
      else if (row && streams.some((s) => isTickerStreamOf(s, id))) this.tickerSeeds.confirmed(sub);
    }
  }

  private becameLive(sub: Subscription): void {
    const was = sub.state;
    sub.state = 'live';
    useSource(sub, 'ws');
    sub.error = undefined;
    if (was === 'subscribing') this.report.event('SUBSCRIBED', sub);
    if (sub.epoch === this.gate.epoch) {
      this.gate.succeeded();
      this.circuit.connectSucceeded();
    }
    this.outages.restored(sub.id);
    this.changed();
  }

  /** A loop saw its connection go. One outage, one backoff, however many loops report it. */
  private connectionLost(sub: Subscription, e: unknown, epoch: number): void {
    if (sub.state !== 'failed') sub.state = 'reconnecting';
    this.books.resync(sub, 'reconnect', errorMessage(e));
    sub.target.tape?.interrupted(this.scheduler.now());
    const active = this.active;
    if (!this.circuit.isLive() || !active) return;
    if (this.outages.begin(sub.id, e)) this.gate.scheduleRetry(active);
    else if (this.gate.failed(epoch)) {
      // The retry this loop made under the current attempt failed.
      if (this.circuit.connectFailed() === 'opened') this.openCircuit(e, active);
      else this.gate.scheduleRetry(active);
    }
  }

  // ---- watchdog, rotation (make before break), circuit breaker (REST fallback) -----

  private watchdog(): void {
    if (!this.silence.onTime()) return; // we were busy, not the exchange: judge next tick
    const ex = this.exchange;
    if (!ex || !this.circuit.isLive() || !this.gate.isOpen) return;
    const t = this.scheduler.now();
    sweepStale(this.staleHost, ex, t);
    const rotateAfter = this.streaming.rotateAfterMs;
    if (rotateAfter > 0 && !this.outages.isOpen && !this.rotation.busy && t - ex.createdAt > rotateAfter) this.rotate('rotation');
  }

  private rotate(reason: DisconnectReason): void {
    if (!this.exchange || this.rotation.busy || !this.circuit.isLive() || !this.active) return;
    this.report.event('ROTATING', undefined, { reason });
    this.rotation.start(reason);
  }

  private openCircuit(e: unknown, active: Owner): void {
    const ex = this.exchange;
    if (!ex) return;
    this.gate.shut();
    this.report.event('FALLBACK', undefined, { attempt: this.gate.attempt, errorClass: classifyError(e), message: errorMessage(e) });
    // Drop whatever sockets are left: polling replaces them until a probe gets data.
    void this.closeBounded(ex);
    for (const s of this.subs.values()) if (s.state !== 'failed') s.state = 'polling';
    this.fallback.start(active, new Set([...this.subs.values()].map((s) => s.key.symbol)));
    this.changed();
  }
}
