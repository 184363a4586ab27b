// Supervises the streaming process: spawns it, configures it, keeps the desired
// subscriptions in it, watches that it makes progress (HangPolicy: busy is not
// hung), restarts it with backoff after a crash or a hang (restoring every
// subscription), and stops it at shutdown: a polite shutdown message first, then
// terminate, then kill, then a last pid check. Its start can be aborted: a quit
// during start-up does not wait for the process to finish loading.
import type { Component } from '../lifecycle/component';
import type { Logger } from '../log/logger';
import { recordCost, SourceGate, SOURCE_LIMITS } from '../log/source-gate';
import { systemScheduler } from '../lifecycle/scheduler';
import { nextTurn, ownedInterval, ownedTimeout, settleWithin } from '../../../shared/lifecycle/timers';
import { backoffDelay } from '../../../shared/backoff';
import type { SpawnStreamingProcess, StreamingProcess, StreamingProcessExit } from './streaming-process';
import { pidAlive } from './streaming-process';
import { HangPolicy, type LoopReport } from './hang-policy';
import { Owner } from '../../../shared/lifecycle/owner';
import { parseCandleMessage, parseFromStreaming, type FromStreaming, type ShutdownReport, type ToStreaming } from '../../../shared/contract/streaming-protocol';
import type { ExchangeSettings, StreamingSettings } from '../../../shared/settings';
import { candleKeyId, type CandleDemand, type CandleMessage } from '../../../shared/contract/candles';
import type { ConnectionEvent, ExchangeStatus, Outage, ProcessVitals, SubscriptionStatus } from '../../../shared/contract/status';
import { TICKER_STRIDE, TRADE_STRIDE, type TickBatch } from '../../../shared/contract/tick-batch';
import type { StreamingState } from '../../../shared/engine-states';
import type { StreamingSnapshot, StreamingSnapshotSource } from './streaming-snapshot';
import type { ExchangeMarkets } from '../../../shared/contract/market-catalogue';
import { subscriptionId, type SubscriptionKey } from '../../../shared/market';
import { now } from '../../../shared/clock';

export interface StreamingSupervisorOptions {
  spawn: SpawnStreamingProcess;
  log: Logger;
  /** Exchanges with endpoints resolved (the simulator's URLs filled in). Read at every (re)start. */
  exchanges: () => ExchangeSettings[];
  streaming: () => StreamingSettings;
  heartbeatMs?: number;
  /**
   * Heartbeat periods of complete silence (nothing at all delivered, in our own
   * listening time) before the process counts as hung. Default 10 (5 s). Where its
   * CPU time is known, a silent process is hung only if it is stopped (no CPU) or
   * spinning (this much CPU without a word); one short of CPU is busy (HangPolicy).
   */
  missedHeartbeats?: number;
  readyTimeoutMs?: number;
  /** Restart backoff after crashes: base, doubling, capped. */
  restartBaseMs?: number;
  restartCapMs?: number;
  /** Time between terminate and kill when force-stopping. */
  killGraceMs?: number;
  /** Graceful stop budget of the whole component; default: derived from shutdownDeadlineMs. */
  stopBudgetMs?: number;
  /** settings.shutdown.deadlineMs, read at each stop (the settings may have changed). */
  shutdownDeadlineMs?: () => number;
  /** Deadline given to the streaming process for its own orderly exit; default: derived from the budget. */
  childShutdownMs?: number;
  /** Owner whose tree counts the supervisor's tasks (the engine's root); by default its own root. */
  parent?: Owner;
  /**
   * Tick batches the streaming process may have in flight before our acknowledgement
   * (credit window, see TickSink). An ack is sent at the end of a turn of ours once
   * half the window is applied and unacknowledged: a busy engine stops the flow
   * instead of queuing IPC.
   */
  ackWindow?: number;
}

/** 8 batches: a calm process has at most half of them unacknowledged; a storm coalesces in the process, not in IPC. */
export const DEFAULT_ACK_WINDOW = 8;

/** Batches applied before a ticks-ack is due: half the window, so the process always has room to send into. */
export function ackEveryOf(window: number): number {
  return Math.max(1, Math.floor(window / 2));
}

export interface StreamingSink {
  ticks(batch: TickBatch): void;
  status(exchanges: ExchangeStatus[], subscriptions: SubscriptionStatus[]): void;
  outage(outage: Outage): void;
  connectionEvents(events: ConnectionEvent[]): void;
  /** One exchange's market catalogue (after its markets load). */
  markets?(catalogue: ExchangeMarkets): void;
  /** Candle history, live last candle and state of the series charts opened. */
  candles?(message: CandleMessage): void;
}

export type SupervisorState = StreamingState;

export class StreamingSupervisor implements Component, StreamingSnapshotSource {
  readonly name = 'streaming';
  readonly dependsOn: readonly string[];
  /** Most of the shutdown deadline belongs to the streaming process: it closes sockets. */
  get stopBudgetMs(): number {
    return this.opts.stopBudgetMs ?? streamingStopBudgetMs(this.opts.shutdownDeadlineMs?.());
  }

  private readonly opts: Required<Omit<StreamingSupervisorOptions, 'spawn' | 'log' | 'exchanges' | 'streaming' | 'parent' | 'stopBudgetMs' | 'childShutdownMs' | 'shutdownDeadlineMs'>> & StreamingSupervisorOptions;
  private readonly owner: Owner;
  private readonly forwardedLogs: SourceGate;
  private proc: StreamingProcess | undefined;
  /** Owner of everything tied to the current process instance. */
  private procOwner: Owner | undefined;
  private readonly desired = new Map<string, SubscriptionKey>();
  /** Candle series open per consumer: sent again to a restarted process. */
  private readonly candleDemands = new Map<string, CandleDemand>();
  private stopping = false;
  /** Created with the heartbeat period; reset at every ready. */
  private readonly hang: HangPolicy;
  private readonly hangWindowMs: number;
  /** A silence past the window that the policy judged busy has been logged. */
  private busyEpisode = false;
  private restartAttempt = 0;
  private exitWaiters: Array<() => void> = [];
  private shutdownReport: ShutdownReport | undefined;
  /** Set when the heartbeat watch killed the process, so its exit is reported as a hang. */
  private hungReason: string | undefined;

  state: SupervisorState = 'stopped';
  restarts = 0;
  lastRestartReason: string | undefined;
  vitals: ProcessVitals | undefined;
  /** Messages, batches and ticks received, and messages posted, for IPC diagnostics. */
  messagesIn = 0;
  batchesIn = 0;
  ticksIn = 0;
  messagesOut = 0;
  invalidMessages = 0;
  private lastBatchSeq = -1;
  lostBatches = 0;
  /** The newest batch consumed (applied, or refused as invalid): what the next ticks-ack says. */
  private ackSeq = -1;
  /** An acknowledgement of ackSeq is due at the end of this turn. */
  private ackDue = false;
  /** The seq the last ticks-ack said. */
  private postedAckSeq = -1;
  /** Batches applied before an ack is due: half the window. */
  private readonly ackEvery: number;

  constructor(
    options: StreamingSupervisorOptions,
    private readonly sink: StreamingSink,
    dependsOn: readonly string[] = [],
  ) {
    this.dependsOn = dependsOn;
    this.owner = options.parent?.child('streaming-supervisor') ?? new Owner('streaming-supervisor');
    // Forwarded records are rate limited (the process aggregates repeats at the source).
    this.forwardedLogs = new SourceGate({ what: 'log records', log: options.log, scheduler: systemScheduler, ...SOURCE_LIMITS.streamingRecords });
    this.owner.add('log-gate', () => this.forwardedLogs.dispose());
    this.opts = {
      heartbeatMs: 500,
      missedHeartbeats: 10,
      readyTimeoutMs: 15_000,
      restartBaseMs: 250,
      restartCapMs: 10_000,
      killGraceMs: 100,
      ackWindow: DEFAULT_ACK_WINDOW,
      ...options,
    };
    this.ackEvery = ackEveryOf(this.opts.ackWindow);
    this.hangWindowMs = this.opts.heartbeatMs * this.opts.missedHeartbeats;
    this.hang = new HangPolicy({ windowMs: this.hangWindowMs, checkEveryMs: this.opts.heartbeatMs }, now());
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  snapshot(): StreamingSnapshot {
    return {
      state: this.state,
      pid: this.pid,
      restarts: this.restarts,
      lastRestartReason: this.lastRestartReason,
      vitals: this.vitals,
      messagesIn: this.messagesIn,
      batchesIn: this.batchesIn,
      ticksIn: this.ticksIn,
      messagesOut: this.messagesOut,
      lostBatches: this.lostBatches,
      invalidMessages: this.invalidMessages,
      loopLagMs: this.hang.last?.lagMs,
    };
  }

  /** The process's last heartbeat: its loop's progress and how far behind it was. */
  get loop(): LoopReport | undefined {
    return this.hang.last;
  }

  get lastShutdownReport(): ShutdownReport | undefined {
    return this.shutdownReport;
  }

  /**
   * Spawns the process and resolves once it is ready. An abort (a quit during
   * start-up) rejects at once: the process may still be loading, and stop() or
   * forceStop() ends it without waiting for it to finish.
   */
  async start(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.stopping = false;
    this.state = 'starting';
    const ready = this.launch();
    // Once aborted nobody awaits it; stopping disposes its timeout, but never leave a rejection unhandled.
    ready.catch(() => undefined);
    if (signal) await raceAbort(ready, signal);
    else await ready;
    ownedInterval(systemScheduler, this.owner, () => this.checkHeartbeat(), this.opts.heartbeatMs, 'heartbeat-watch');
  }

  /** Sets the complete desired subscription set; only the difference is sent. */
  setSubscriptions(keys: SubscriptionKey[]): void {
    const next = new Map(keys.map((k) => [subscriptionId(k), k]));
    const added = [...next].filter(([id]) => !this.desired.has(id)).map(([, k]) => k);
    const removed = [...this.desired].filter(([id]) => !next.has(id)).map(([, k]) => k);
    this.changeSubscriptions(added, removed);
  }

  /** Adds and removes single subscriptions (a watchlist edit) without touching the rest. */
  changeSubscriptions(add: readonly SubscriptionKey[], remove: readonly SubscriptionKey[]): void {
    const removed = remove.filter((k) => this.desired.delete(subscriptionId(k)));
    const added = add.filter((k) => {
      const id = subscriptionId(k);
      if (this.desired.has(id)) return false;
      this.desired.set(id, k);
      return true;
    });
    if (removed.length) this.post({ type: 'unsubscribe', subs: removed });
    if (added.length) this.post({ type: 'subscribe', subs: added });
  }

  /** A chart opens or closes a candle series (kept and replayed across process restarts). */
  candleDemand(d: CandleDemand): void {
    const id = `${candleKeyId(d.key)}|${d.consumer}`;
    if (d.type === 'candles-open') {
      if (this.candleDemands.has(id)) return;
      this.candleDemands.set(id, d);
    } else if (!this.candleDemands.delete(id)) return;
    this.post(d);
  }

  /** Closes every series opened by consumers whose name starts with `prefix` (a renderer that went away). */
  releaseCandleConsumers(prefix: string): void {
    for (const d of [...this.candleDemands.values()]) {
      if (d.consumer.startsWith(prefix)) this.candleDemand({ ...d, type: 'candles-close' });
    }
  }

  get subscriptions(): SubscriptionKey[] {
    return [...this.desired.values()];
  }

  async stop(signal: AbortSignal, budgetMs?: number): Promise<void> {
    this.stopping = true;
    const proc = this.proc;
    if (!proc || proc.pid === undefined) {
      this.finishStop();
      return;
    }
    // Not ready yet: it is still loading and holds no sockets, so there is nothing
    // to close in order; a polite message would only be read once loading is done.
    if (this.state !== 'running') return this.forceStop();
    const exited = this.waitForExit();
    try {
      this.postTo(proc, { type: 'shutdown', deadlineMs: childShutdownMs(this.opts.childShutdownMs, budgetMs ?? this.stopBudgetMs) });
    } catch {
      // The channel is already closed: the exit wait below settles it.
    }
    await Promise.race([exited, abortPromise(signal)]);
    if (this.proc) throw new Error('streaming process did not exit in time');
    this.finishStop();
  }

  /** Terminate, then kill outright, then check the pid once more. */
  async forceStop(): Promise<void> {
    this.stopping = true;
    const proc = this.proc;
    if (!proc) return this.finishStop();
    const pid = proc.pid;
    const exited = this.waitForExit();
    proc.terminate();
    await settleWithin(exited, this.opts.killGraceMs, systemScheduler, this.owner);
    if (this.proc) {
      this.opts.log.warn('streaming process ignored terminate; killing', { pid });
      proc.kill();
      await settleWithin(exited, this.opts.killGraceMs, systemScheduler, this.owner);
    }
    if (pidAlive(pid)) {
      // The handle may report exit before the OS has torn the process down, or a
      // kill was lost: probe the pid directly once more.
      try {
        process.kill(pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    this.finishStop();
  }

  private finishStop(): void {
    this.owner.dispose();
    this.procOwner?.dispose();
    this.procOwner = undefined;
    this.state = 'stopped';
  }

  private post(message: ToStreaming): void {
    // Until it is ready the process reads nothing but configure: configure() then
    // replays the desired subscriptions and candle series (a subscribe posted while it
    // loaded reached it first and was refused, an error record at every start-up).
    if (!this.proc || this.state !== 'running') return;
    try {
      this.postTo(this.proc, message);
    } catch (e) {
      this.opts.log.warn('could not post to streaming process', { error: String(e) });
    }
  }

  /** Every message to the process goes through here, so messagesOut counts them all. */
  private postTo(proc: StreamingProcess, message: ToStreaming): void {
    proc.post(message);
    this.messagesOut++;
  }

  private launch(): Promise<void> {
    const proc = this.opts.spawn();
    this.proc = proc;
    const procOwner = this.owner.child('process');
    this.procOwner = procOwner;
    this.lastBatchSeq = -1;
    this.ackSeq = -1;
    this.postedAckSeq = -1;
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    const readyTimer = ownedTimeout(
      systemScheduler,
      procOwner,
      () => readyReject(new Error(`streaming process not ready within ${this.opts.readyTimeoutMs} ms`)),
      this.opts.readyTimeoutMs,
      'ready-timeout',
    );
    procOwner.add('handler', proc.onMessage((raw) => {
      if (this.proc !== proc) return;
      // Anything at all, even invalid, is the child's loop making progress.
      this.hang.delivered();
      this.messagesIn++;
      const parsed = parseFromStreaming(raw);
      if (!parsed.ok) {
        this.invalidMessages++;
        this.opts.log.warn('invalid message from streaming process dropped', { error: parsed.error });
        // A refused batch is consumed too: its credit must come back, or refusals could close the window for good.
        const seq = refusedBatchSeq(raw);
        if (seq !== undefined) this.consumed(seq);
        return;
      }
      const m = parsed.value;
      if (m.type === 'ready') {
        readyTimer.dispose();
        this.hang.reset(now());
        this.busyEpisode = false;
        this.configure();
        this.state = 'running';
        this.opts.log.info('streaming process ready', { pid: m.pid });
        readyResolve();
        return;
      }
      this.handle(m);
    }));
    // Not owned by procOwner: an exit that comes after a forced stop must still clear
    // the handle. It fires once and is then gone with the process.
    proc.onExit((exit) => {
      // Never post from inside an exit listener; schedule all follow-up work.
      nextTurn(() => this.onProcessExit(proc, exit));
    });
    this.opts.log.info('streaming process spawned', { pid: proc.pid });
    return ready;
  }

  private configure(): void {
    const proc = this.proc!;
    this.postTo(proc, {
      type: 'configure',
      exchanges: this.opts.exchanges(),
      streaming: this.opts.streaming(),
      parentPid: process.pid,
      heartbeatMs: this.opts.heartbeatMs,
      ackWindow: this.opts.ackWindow,
    });
    if (this.desired.size) this.postTo(proc, { type: 'subscribe', subs: [...this.desired.values()] });
    for (const d of this.candleDemands.values()) this.postTo(proc, d);
  }

  private handle(m: FromStreaming): void {
    switch (m.type) {
      case 'ticks': {
        this.batchesIn++;
        this.ticksIn += m.tickers.length / TICKER_STRIDE + m.trades.length / TRADE_STRIDE + m.books.length;
        if (this.lastBatchSeq >= 0 && m.seq !== this.lastBatchSeq + 1) this.lostBatches += m.seq - this.lastBatchSeq - 1;
        this.lastBatchSeq = m.seq;
        this.sink.ticks(m);
        if (m.candles.length) this.candleMessages(m.candles);
        this.consumed(m.seq);
        return;
      }
      case 'heartbeat':
        this.hang.heartbeat({ progress: m.progress, lagMs: m.lagMs });
        this.vitals = m.vitals;
        return;
      case 'status':
        this.sink.status(m.exchanges, m.subscriptions);
        return;
      case 'outage':
        this.sink.outage(m.outage);
        return;
      case 'connection-events':
        this.sink.connectionEvents(m.events);
        return;
      case 'markets':
        this.sink.markets?.(m.catalogue);
        return;
      case 'log':
        for (const r of m.records) {
          if (this.forwardedLogs.admit('the streaming process', recordCost(r.message, r.fields))) this.opts.log.write(r.level, `streaming:${r.scope}`, r.message, r.fields);
        }
        return;
      case 'shutdown-report':
        this.shutdownReport = m.report;
        this.opts.log.info('streaming process shutdown report', { ...m.report });
        return;
      case 'ready':
        return;
    }
  }

  /** A batch's candle messages, each validated on its own: a bad one is refused, the rest applied. */
  private candleMessages(candles: readonly unknown[]): void {
    for (const raw of candles) {
      const parsed = parseCandleMessage(raw);
      if (parsed.ok) this.sink.candles?.(parsed.value);
      else {
        this.invalidMessages++;
        this.opts.log.warn('invalid candle message from streaming process dropped', { error: parsed.error });
      }
    }
  }

  /**
   * Batch `seq` was applied or refused. Once half the window is unacknowledged, one
   * ticks-ack at the end of the turn covers every batch so far. The process still has
   * the other half to send into, so it never waits on an engine that keeps up, and a
   * calm terminal wakes it for an ack every few batches instead of after each one.
   */
  private consumed(seq: number): void {
    if (seq > this.ackSeq) this.ackSeq = seq;
    if (this.ackDue || this.ackSeq - this.postedAckSeq < this.ackEvery) return;
    this.ackDue = true;
    const proc = this.proc;
    nextTurn(() => {
      this.ackDue = false;
      if (this.proc !== proc || this.ackSeq <= this.postedAckSeq) return;
      this.postedAckSeq = this.ackSeq;
      this.post({ type: 'ticks-ack', seq: this.ackSeq });
    });
  }

  private checkHeartbeat(): void {
    if (this.state !== 'running' || this.stopping || !this.proc) return;
    // The child's CPU time is read only while it is silent: the common case costs nothing.
    const verdict = this.hang.check(now(), this.hang.silent ? this.proc.cpuTimeMs?.() : undefined);
    const silentForMs = Math.round(verdict.silentMs);
    const cpuMs = verdict.cpuMs === undefined ? undefined : Math.round(verdict.cpuMs);
    if (!verdict.hung) {
      // Silent past the window, yet short of CPU: busy on a starved machine. Said once per episode.
      if (silentForMs > this.hangWindowMs && !this.busyEpisode) {
        this.busyEpisode = true;
        this.opts.log.warn('streaming process busy: nothing received, but it has had little CPU; not killing it', { pid: this.proc.pid, silentForMs, cpuMs });
      } else if (silentForMs === 0) this.busyEpisode = false;
      return;
    }
    this.hungReason = `hung (${verdict.cause}): nothing received for ${silentForMs} ms`;
    this.opts.log.error('streaming process is hung; killing it', {
      pid: this.proc.pid,
      cause: verdict.cause,
      silentForMs,
      cpuMs,
      lastProgress: verdict.last?.progress,
      lastLagMs: verdict.last === undefined ? undefined : Math.round(verdict.last.lagMs),
    });
    this.state = 'restarting';
    this.proc.kill();
  }

  private waitForExit(): Promise<void> {
    if (!this.proc) return Promise.resolve();
    return new Promise((r) => this.exitWaiters.push(r));
  }

  private onProcessExit(proc: StreamingProcess, exit: StreamingProcessExit): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    this.procOwner?.dispose();
    this.procOwner = undefined;
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const w of waiters) w();
    if (this.stopping) {
      this.opts.log.info('streaming process exited', { ...exit });
      return;
    }
    this.lastRestartReason = this.hungReason ?? `crashed: code ${exit.code} signal ${exit.signal}${exit.reason ? ` (${exit.reason})` : ''}`;
    this.hungReason = undefined;
    this.state = 'restarting';
    const wait = backoffDelay({ baseMs: this.opts.restartBaseMs, capMs: this.opts.restartCapMs, factor: 2, jitter: 0 }, this.restartAttempt + 1);
    this.restartAttempt++;
    this.opts.log.error('streaming process exited unexpectedly; restarting', { ...exit, reason: this.lastRestartReason, inMs: wait });
    ownedTimeout(systemScheduler, this.owner, () => void this.restart(), wait, 'restart');
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    this.restarts++;
    try {
      await this.launch();
      // A process that stays up for a while resets the backoff.
      ownedTimeout(systemScheduler, this.owner, () => (this.restartAttempt = 0), 30_000, 'restart-backoff-reset');
    } catch (e) {
      this.opts.log.error('streaming process restart failed', { error: String(e) });
      this.proc?.kill();
    }
  }
}

/** The seq of a tick batch refused as invalid, when it has a usable one. */
function refusedBatchSeq(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as { type?: unknown; seq?: unknown };
  return m.type === 'ticks' && Number.isSafeInteger(m.seq) && (m.seq as number) >= 0 ? (m.seq as number) : undefined;
}

/** Settles like `work`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

function abortPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((r) => signal.addEventListener('abort', () => r(), { once: true }));
}

/** The coordinator's default deadline (3000 ms) gives the 2000 ms this budget always was. */
const DEFAULT_SHUTDOWN_DEADLINE_MS = 3000;
/** Left in the graceful phase for the components that stop after streaming. */
const OTHERS_MS = 250;

/**
 * The streaming component's share of the shutdown deadline: the graceful phase (the
 * coordinator keeps a quarter for force and kill) less a little for the components
 * stopping after it.
 */
export function streamingStopBudgetMs(deadlineMs = DEFAULT_SHUTDOWN_DEADLINE_MS): number {
  return Math.max(100, Math.round((deadlineMs * 3) / 4 - OTHERS_MS));
}

/**
 * The streaming process's own deadline inside the component's budget: it must
 * report and exit before the budget runs out, so a quarter of the budget (at most
 * 250 ms) is kept for its report and exit to reach us.
 */
export function childShutdownMs(configured: number | undefined, budgetMs: number | undefined): number {
  if (configured !== undefined) return configured;
  const budget = budgetMs ?? streamingStopBudgetMs();
  return Math.max(50, Math.round(budget - Math.min(250, budget / 4)));
}
