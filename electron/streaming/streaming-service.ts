// The streaming process's brain, independent of how it talks to its parent:
// validates every message from the engine, runs one ExchangeSession per
// exchange, funnels all ticks into one TickSink, and reports status, events,
// heartbeats and the shutdown report through the ParentPort.
import { getHeapStatistics } from 'node:v8';
import { now } from '../../shared/clock';
import type { ExchangeStatus, SubscriptionStatus } from '../../shared/contract/status';
import { parseToStreaming, type ShutdownReport, type ToStreaming } from '../../shared/contract/streaming-protocol';
import { Owner, type Registration } from '../../shared/lifecycle/owner';
import { ownedInterval, ownedTimeout, settleWithin, systemScheduler, type Scheduler } from '../../shared/lifecycle/timers';
import type { SubscriptionKey } from '../../shared/market';
import type { CandleDemand } from '../../shared/contract/candles';
import type { ExchangeSettings, StreamingSettings } from '../../shared/settings';
import { errorMessage } from '../../shared/error-message';
import type { MarketSession } from './adapters/adapter';
import { createMarketSession } from './adapters/sessions';
import { EventLog } from './event-log';
import { marketList } from './market-list';
import { TURN_BUDGET_MS } from './exchange-session';
import { CandleService } from './candles/candle-service';
import { DEFAULT_FEED_OPTIONS, type OhlcvSource } from './candles/candle-feed';
import { ohlcvSourceOf, readyForSymbol, type CcxtCandleExchange } from './candles/ohlcv-source';
import { ASK_AT_LIMIT } from './stale-sweep';
import { createStreamExchange, isSupportedExchange, prepareExchange, type SocketHooks, type StreamExchange } from './instrumented-exchange';
import type { ParentPort } from './parent-port';
import { watchParent } from './parent-watch';
import { TickSink } from './tick-sink';
import { systemTurnClock, TurnYield } from './turn-yield';
import { HeartbeatClock, VitalsSampler } from './vitals';
import { StatusCadence } from './status-cadence';
import { StartupTimeline } from './startup-timeline';
import { IdleMemoryTrim, type MemoryProbe } from './idle-memory-trim';
import { collectForLowMemory, youngGenerationBytes } from './v8-low-memory';

/** The candle instances report nothing per socket: a candle feed's own failures say it all. */
const QUIET_HOOKS: SocketHooks = { message: () => undefined, malformed: () => undefined, serverNotice: () => undefined, connected: () => undefined, closed: () => undefined, log: () => undefined };

export interface StreamingServiceOptions {
  port: ParentPort;
  /** Ends the process (entry.ts) or records the code (tests). Called once, after the report is sent. */
  exit: (code: number) => void;
  /** Whether a pid exists (tests fake a parent that is gone). */
  isProcessAlive?: (pid: number) => boolean;
  random?: () => number;
  scheduler?: Scheduler;
  /** Start-up phases stamped so far (entry.ts: from the process's start); logged once, after the first batch. */
  startup?: StartupTimeline;
  /** Where each exchange's markets are kept between starts (the --market-cache argument); absent: not kept. */
  marketCacheDir?: string;
  /** V8 flags the process set at run time (entry.ts: wasm-tiering.ts), logged with its Node options. */
  v8Flags?: string;
  /** The process's memory as IdleMemoryTrim sees it (tests: a fake that counts collections); default: V8's. */
  memory?: MemoryProbe;
}

const V8_MEMORY: MemoryProbe = { youngBytes: youngGenerationBytes, rssBytes: () => process.memoryUsage.rss(), collect: collectForLowMemory };

export class StreamingService {
  private readonly port: ParentPort;
  private readonly exitProcess: (code: number) => void;
  private readonly root = new Owner('streaming');
  /** Process plumbing: heartbeat (which also polls the parent), status timer, message handler. */
  private readonly plumbing = this.root.child('process');
  /** Everything that exists because of subscriptions. */
  private readonly work = this.root.child('sessions');
  private readonly sink: TickSink;
  /** One turn budget for every watch loop of the process. */
  private readonly turns: TurnYield;
  private readonly log: EventLog;
  private readonly vitals = new VitalsSampler();
  private readonly sessions = new Map<string, MarketSession>();
  private exchanges = new Map<string, ExchangeSettings>();
  private streaming: StreamingSettings | undefined;
  private configured = false;
  private heartbeat: Registration | undefined;
  private statusTimer: Registration | undefined;
  private readonly statusCadence = new StatusCadence();
  private shuttingDown: Promise<ShutdownReport> | undefined;
  private readonly isProcessAlive: ((pid: number) => boolean) | undefined;
  /** Polls the parent's pid: run on each heartbeat (no timer of its own). */
  private checkParent: () => void = () => undefined;
  private readonly random: (() => number) | undefined;
  private readonly scheduler: Scheduler;
  private candles: CandleService | undefined;
  /** One ccxt instance per exchange for candles: its sockets and rotations stay apart from the tick sessions'. */
  private readonly candleSources = new Map<string, OhlcvSource>();
  /** Their ccxt instances, which take each markets load of the exchange's tick session. */
  private readonly candleExchanges = new Map<string, StreamExchange>();
  private readonly startup: StartupTimeline;
  private readonly v8Flags: string;
  private readonly marketCacheDir: string | undefined;
  private readonly memoryTrim: IdleMemoryTrim;

  constructor(opts: StreamingServiceOptions) {
    this.marketCacheDir = opts.marketCacheDir;
    this.port = opts.port;
    this.exitProcess = opts.exit;
    this.isProcessAlive = opts.isProcessAlive;
    this.random = opts.random;
    this.scheduler = opts.scheduler ?? systemScheduler;
    this.startup = opts.startup ?? new StartupTimeline(now, performance.timeOrigin);
    this.v8Flags = opts.v8Flags ?? '';
    this.sink = new TickSink((batch) => {
      this.port.post(batch);
      if (this.sink.batchesOut === 0) this.firstBatchSent(); // counted after post: 0 is the first
    });
    this.turns = new TurnYield(TURN_BUDGET_MS, systemTurnClock(() => this.scheduler.now()));
    this.log = new EventLog((msg) => this.port.post(msg));
    this.memoryTrim = new IdleMemoryTrim(opts.memory ?? V8_MEMORY, this.plumbing, (level, message, fields) => this.log.record(level, 'memory', message, fields), () => this.scheduler.now());
  }

  /** Starts listening to the parent and announces readiness. */
  start(): void {
    const off = this.port.onMessage((m) => this.receive(m));
    this.plumbing.add('handler', off);
    this.port.post({ type: 'ready', pid: process.pid });
    this.startup.mark('ready');
  }

  /** Running tasks by category: subscriptions' machinery only (zero when nothing is subscribed). */
  workTasks(): Record<string, number> {
    return this.work.counts();
  }

  /** How often the turn budget cut a turn short (watch loops waited, socket reads paused). */
  turnStats(): { yields: number; pauses: number } {
    return { yields: this.turns.yields, pauses: this.turns.pauses };
  }

  /** Every running task of the process by category (what the heartbeat reports). */
  allTasks(): Record<string, number> {
    return this.root.counts();
  }

  receive(raw: unknown): void {
    const parsed = parseToStreaming(raw);
    if (!parsed.ok) {
      this.log.record('error', 'protocol', 'invalid message from the parent ignored', { error: parsed.error });
      return;
    }
    try {
      this.handle(parsed.value);
    } catch (e) {
      this.log.record('error', 'protocol', 'message handling failed', { type: parsed.value.type, error: errorMessage(e) });
    }
  }

  private handle(msg: ToStreaming): void {
    if (msg.type === 'configure' || msg.type === 'subscribe') this.startup.mark(msg.type);
    switch (msg.type) {
      case 'configure':
        return this.configure(msg);
      case 'ticks-ack':
        if (!this.sink.ack(msg.seq)) this.log.record('error', 'protocol', 'ticks-ack for a batch never sent ignored', { seq: msg.seq });
        return;
      case 'subscribe':
      case 'unsubscribe':
        return this.route(msg.type, msg.subs);
      case 'shutdown':
        void this.shutdown(msg.deadlineMs);
        return;
      case 'candles-open':
      case 'candles-close':
        return this.candleDemand(msg);
    }
  }

  private configure(msg: Extract<ToStreaming, { type: 'configure' }>): void {
    if (this.shuttingDown) return;
    this.streaming = msg.streaming;
    this.sink.useAckWindow(msg.ackWindow ?? 0);
    this.exchanges = new Map(msg.exchanges.filter((e) => e.enabled).map((e) => [e.id, e]));
    // Exchanges removed or disabled by the new configuration stop now; running
    // sessions keep the settings they were started with.
    for (const [id, s] of this.sessions) {
      if (this.exchanges.has(id)) continue;
      this.sessions.delete(id);
      void s.close();
    }
    if (!this.configured) {
      this.configured = true;
      // The host's Node options (STREAMING_EXEC_ARGV), the V8 flags set at run time and the
      // heap bound V8 runs with: the young generation's share of it (3 semi-spaces) shows
      // whether the option took effect.
      this.log.record('info', 'streaming', 'node options', {
        execArgv: process.execArgv.join(' '),
        v8Flags: this.v8Flags,
        heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 1048576),
      });
      this.checkParent = watchParent(this.plumbing, this.port, msg.parentPid, (why) => this.parentGone(why), this.isProcessAlive);
    }
    this.heartbeat?.dispose();
    const clock = new HeartbeatClock(msg.heartbeatMs);
    this.heartbeat = ownedInterval(this.scheduler, this.plumbing, () => this.beat(clock), msg.heartbeatMs, 'heartbeat');
    // Every enabled exchange's markets, for the symbol search (sessions stay idle until subscribed).
    for (const [id, ex] of this.exchanges) {
      // IB is not asked: TWS has no call that lists every contract.
      const lists = ex.kind === 'futu' || (ex.kind === 'ccxt' && ex.ccxtId !== undefined && isSupportedExchange(ex.ccxtId));
      if (lists) this.sessionFor(id)?.loadMarkets?.();
    }
    this.log.record('info', 'streaming', 'configured', { exchanges: [...this.exchanges.keys()], heartbeatMs: msg.heartbeatMs });
    this.statusChanged();
  }

  private route(type: 'subscribe' | 'unsubscribe', subs: SubscriptionKey[]): void {
    if (this.shuttingDown) {
      this.log.record('warn', 'streaming', `${type} ignored: shutting down`, { count: subs.length });
      return;
    }
    if (!this.streaming) {
      this.log.record('error', 'protocol', `${type} before configure ignored`, { count: subs.length });
      return;
    }
    const byExchange = new Map<string, SubscriptionKey[]>();
    for (const k of subs) byExchange.set(k.exchange, [...(byExchange.get(k.exchange) ?? []), k]);
    for (const [exchange, keys] of byExchange) {
      const session = type === 'subscribe' ? this.sessionFor(exchange) : this.sessions.get(exchange);
      if (!session) continue;
      const op = type === 'subscribe' ? session.subscribe(keys) : session.unsubscribe(keys);
      op.catch((e: unknown) => this.log.record('error', 'streaming', `${type} failed`, { exchange, error: errorMessage(e) }));
    }
  }

  private candleDemand(msg: CandleDemand): void {
    if (this.shuttingDown || !this.streaming) {
      this.log.record('warn', 'streaming', `${msg.type} ignored: ${this.shuttingDown ? 'shutting down' : 'not configured'}`, {});
      return;
    }
    this.candles ??= new CandleService({
      owner: this.work.child('candles'),
      scheduler: this.scheduler,
      clock: now,
      sourceFor: (exchange) => this.candleSource(exchange),
      // Candle messages leave in the tick batch, and the service's flush runs as that batch leaves.
      post: (m) => this.sink.candle(m),
      nextTurn: (fn) => this.sink.atFlush(fn),
      // A chart is stale after staleAfterMs.trades of silence (the renderer's rule): asked about at half of it, as streams are.
      options: { ...DEFAULT_FEED_OPTIONS, askAfterMs: this.streaming.staleAfterMs.trades * ASK_AT_LIMIT },
    });
    if (msg.type === 'candles-close') return this.candles.closeFor(msg.key, msg.consumer);
    if (!this.candles.openFor(msg.key, msg.consumer)) {
      this.sink.candle({ type: 'candle-state', key: msg.key, state: 'error', error: 'unknown or disabled exchange' });
    }
  }

  private candleSource(exchange: string): OhlcvSource | undefined {
    const existing = this.candleSources.get(exchange);
    if (existing) return existing;
    const settings = this.exchanges.get(exchange);
    if (!settings || settings.kind !== 'ccxt' || !settings.ccxtId || !isSupportedExchange(settings.ccxtId)) return undefined;
    const ex = createStreamExchange(settings, this.streaming!, QUIET_HOOKS);
    // The tick session's markets (loaded, loading or cached), not a second load of its own:
    // at start-up a chart opens with the first rows, and two loads of every market were
    // on the path to the first tick. Later loads (the exchange's list replacing a cached
    // one) reach it through the session's `markets` callback.
    const session = this.sessionFor(exchange);
    const prepared = prepareExchange(ex, settings).then(async () => {
      const known = await session?.knownMarkets?.();
      if (known && !ex.markets) ex.setMarkets(known.markets as never, known.currencies as never);
    });
    const ready = readyForSymbol(ex as unknown as CcxtCandleExchange, prepared);
    this.candleExchanges.set(exchange, ex);
    this.work.add('candle-exchange', () => ex.close().then(() => undefined));
    // StreamExchange's Omit<Exchange, 'clients'> hides the class's methods from the type checker; they are there.
    const source = ohlcvSourceOf(ex as unknown as CcxtCandleExchange, ready, (symbol, sockets, why) =>
      this.log.record('warn', 'streaming', 'chart stream redialled', { exchange, symbol, sockets, reason: why.message }),
    );
    this.candleSources.set(exchange, source);
    return source;
  }

  private sessionFor(exchange: string): MarketSession | undefined {
    const existing = this.sessions.get(exchange);
    if (existing) return existing;
    const settings = this.exchanges.get(exchange);
    if (!settings) {
      this.log.record('error', 'streaming', 'subscribe for an unknown or disabled exchange ignored', { exchange });
      return undefined;
    }
    const created = createMarketSession({
      settings,
      streaming: this.streaming!,
      owner: this.work.child(exchange),
      sink: this.sink,
      log: this.log,
      changed: () => this.statusChanged(),
      markets: (markets, currencies) => {
        this.sendMarkets(exchange, markets);
        if (currencies !== undefined) this.candleExchanges.get(exchange)?.setMarkets(markets as never, currencies as never);
      },
      scheduler: this.scheduler,
      turns: this.turns,
      ...(this.random ? { random: this.random } : {}),
      ...(this.marketCacheDir !== undefined ? { marketCacheDir: this.marketCacheDir } : {}),
    });
    if (!created.ok) {
      this.log.record('error', 'streaming', created.error, { exchange, kind: settings.kind });
      return undefined;
    }
    this.sessions.set(exchange, created.session);
    return created.session;
  }

  private sendMarkets(exchange: string, markets: unknown): void {
    const list = marketList(markets);
    if (list.skipped) this.log.record('info', 'markets', 'markets left out of the catalogue', { exchange, skipped: list.skipped, kept: list.markets.length });
    this.port.post({ type: 'markets', catalogue: { exchange, markets: list.markets } });
  }

  /** The first batch is the end of start-up: where the time went, logged once. */
  private firstBatchSent(): void {
    this.startup.mark('firstBatch');
    const phases = this.startup.report();
    if (phases) this.log.record('info', 'streaming', 'start-up phases (ms from process start)', phases);
  }

  // ---- status and heartbeat ------------------------------------------------------

  /** Marks status dirty; sent when StatusCadence allows (a burst of changes is one message). */
  private statusChanged(): void {
    if (this.statusTimer || this.plumbing.isDisposed) return;
    const wait = this.statusCadence.delayForChange(this.scheduler.now());
    this.statusTimer = ownedTimeout(this.scheduler, this.plumbing, () => this.sendStatus(), wait, 'status');
  }

  private sendStatus(): void {
    this.statusTimer = undefined;
    this.statusCadence.sent(this.scheduler.now());
    this.port.post({ type: 'status', exchanges: this.exchangeStatuses(), subscriptions: this.subscriptionStatuses() });
  }

  exchangeStatuses(): ExchangeStatus[] {
    return [...this.sessions.values()].map((s) => s.status());
  }

  subscriptionStatuses(): SubscriptionStatus[] {
    return [...this.sessions.values()].flatMap((s) => s.subscriptionStatuses());
  }

  private beat(clock: HeartbeatClock): void {
    const { progress, lagMs } = clock.beat(now());
    const maxDelayMs = this.sink.takeMaxDelayMs();
    for (const s of this.sessions.values()) s.sampleLoad?.(lagMs, maxDelayMs);
    const vitals = this.vitals.sample(this.allTasks(), this.sink, lagMs);
    vitals.memoryTrims = this.memoryTrim.count;
    this.port.post({ type: 'heartbeat', vitals, progress, lagMs });
    this.memoryTrim.beat(this.scheduler.now(), this.sink.ticksIn);
    // Rates and latencies move without state changes: refreshed by the beat, at most
    // once a second, sent from this turn (a timer of its own would be one more wake-up).
    if (this.sessions.size && !this.statusTimer && this.statusCadence.refreshDue(this.scheduler.now())) this.sendStatus();
    this.checkParent();
  }

  // ---- shutdown --------------------------------------------------------------------

  private parentGone(why: string): void {
    this.log.record('warn', 'streaming', 'parent gone: exiting', { why });
    void this.shutdown(1000);
  }

  /** Stops everything within deadlineMs, sends the report, then exits (0 if clean). Idempotent. */
  shutdown(deadlineMs: number): Promise<ShutdownReport> {
    this.shuttingDown ??= this.runShutdown(deadlineMs);
    return this.shuttingDown;
  }

  private async runShutdown(deadlineMs: number): Promise<ShutdownReport> {
    const t0 = now();
    const steps: ShutdownReport['steps'] = [];
    const remaining = () => Math.max(50, deadlineMs - (now() - t0));
    const step = async (name: string, fn: () => Promise<boolean | void> | boolean | void) => {
      const s = now();
      try {
        const ok = await fn();
        steps.push({ name, ok: ok !== false, ms: now() - s });
      } catch (e) {
        steps.push({ name, ok: false, ms: now() - s, error: errorMessage(e) });
      }
    };
    this.log.record('info', 'streaming', 'shutting down', { deadlineMs });
    await step('close-sessions', async () => {
      const closing = Promise.all([...this.sessions.values()].map((s) => s.close()));
      return !(await settleWithin(closing, remaining() * 0.7, this.scheduler, this.plumbing)).timedOut;
    });
    let leftoverTasks: Record<string, number> = {};
    await step('dispose-owners', async () => {
      leftoverTasks = await this.root.close(remaining());
      return Object.keys(leftoverTasks).length === 0;
    });
    await step('flush', () => {
      this.sink.close();
      this.vitals.close();
    });
    const report: ShutdownReport = {
      clean: steps.every((s) => s.ok) && Object.keys(leftoverTasks).length === 0,
      durationMs: now() - t0,
      leftoverTasks,
      steps,
    };
    this.log.record(report.clean ? 'info' : 'warn', 'streaming', 'shutdown complete', { clean: report.clean, durationMs: Math.round(report.durationMs) });
    this.log.close();
    this.port.post({ type: 'shutdown-report', report });
    this.exitProcess(report.clean ? 0 : 1);
    return report;
  }
}
