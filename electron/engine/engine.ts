// The composition root of the engine: builds every component, declares their
// dependencies, wires the tick path and the control events, and hands the hosts
// one object to bind to their transports. Host-agnostic: the Electron shell and
// the headless host each pass a Host with their own process spawner and logger,
// through assembleEngine() (assemble-engine.ts), which builds the quit path first.
//
// Components and their order (start top-down, stop bottom-up):
//   log-flush                         nothing may stop after the logs are flushed
//   renderer-link  → log-flush        keeps showing shutdown progress to the end
//   settings       → renderer-link    saved atomically when stopping
//   sim-exchange   → settings
//   streaming      → settings, sim-exchange, renderer-link
//   diagnostics    → streaming, renderer-link
import type { ComponentHost } from './lifecycle/component-host';
import type { Component } from './lifecycle/component';
import { EventBus } from './bus/event-bus';
import type { ShutdownCoordinator, ShutdownResult } from './shutdown/coordinator';
import type { QuitPath } from './shutdown/quit-path';
import type { Logger } from './log/logger';
import { SourceGate, SOURCE_LIMITS } from './log/source-gate';
import { systemScheduler } from './lifecycle/scheduler';
import type { SpawnStreamingProcess } from './supervisor/streaming-process';
import { StreamingSupervisor } from './supervisor/streaming-supervisor';
import { MarketState } from './market/market-state';
import { FocusFeed } from './market/focus-feed';
import { RendererFocus } from './market/renderer-focus';
import { MarketCatalogue } from './market/market-catalogue';
import { SubscriptionRefs } from './market/subscription-refs';
import { RendererLink, type RendererClient, type RendererConnectionHandlers } from './renderer-link/renderer-link';
import { DiagnosticsReporter } from './diagnostics/diagnostics-reporter';
import { SimulatedExchange } from './simulated-exchange/simulated-exchange';
import { SettingsComponent, type SettingsSource } from './settings/settings-component';
import type { Owner, Registration } from '../../shared/lifecycle/owner';
import { ownedTimeout } from '../../shared/lifecycle/timers';
import type { DepthView, FromRenderer, TapeView, ToRenderer } from '../../shared/contract/renderer-api';
import type { ExchangeStatus, Outage, SubscriptionStatus } from '../../shared/contract/status';
import type { TickBatch } from '../../shared/contract/tick-batch';
import type { StreamingSnapshot } from './supervisor/streaming-snapshot';
import { instrumentId, type SubscriptionKey } from '../../shared/market';
import { addToWatchlist, removeFromWatchlist, type Focus, type Settings, type WatchlistEdit } from '../../shared/settings';
import { DEFAULT_LINK, withPopouts, type Link } from '../../shared/workspace';
import { redactSettings } from '../../shared/redact';
import type { HostKind } from '../../shared/engine-states';

/** The consumer id of the watchlist's subscriptions (renderers use their client ids). */
const WATCHLIST = 'watchlist';

export interface Host {
  kind: HostKind;
  log: Logger;
  settings: SettingsSource;
  spawnStreaming: SpawnStreamingProcess;
  /** Writes everything buffered to the log file (synchronous transports: usually a no-op). */
  flushLogs: () => void;
  /** Supervisor tuning (tests shorten heartbeats). */
  heartbeatMs?: number;
  /** Problems found while starting (e.g. a settings file kept aside): shown to every renderer. */
  startupWarnings?: string[];
  /** The desktop app's pop-out windows (host/popout-windows.ts); the headless host has none. */
  popouts?: { request(panelId: string): string | undefined };
}

/** What a renderer of the headless host hears when it asks for a pop-out window. */
export const NO_POPOUTS = 'Pop-out windows are a desktop-app feature; in the browser, drag the panel where you want it in the workspace.';

/** Control events between components. Ticks never travel through the bus. */
export interface EngineEvents extends Record<string, unknown> {
  /** From updateSettings (validated whole); watch/unwatch are applied incrementally without it. */
  'settings-changed': Settings;
  'status-changed': { exchanges: ExchangeStatus[]; subscriptions: SubscriptionStatus[] };
  outage: Outage;
}

export class Engine {
  readonly components: ComponentHost;
  /** Everything the engine starts hangs under this owner (the quit path's root/tasks). */
  private readonly tasks: Owner;
  readonly bus: EventBus<EngineEvents>;
  readonly coordinator: ShutdownCoordinator;
  readonly market: MarketState;
  readonly catalogue: MarketCatalogue;
  readonly link: RendererLink;
  readonly supervisor: StreamingSupervisor;
  readonly simulated: SimulatedExchange;
  readonly diagnostics: DiagnosticsReporter;
  /** Depth and tape of the instruments renderers focus. */
  readonly feed = new FocusFeed();
  /** Subscriptions by consumer: the watchlist, and each renderer's focused books and trades (one consumer per link). */
  readonly refs = new SubscriptionRefs();
  /** What each renderer's links (colour groups, "none") focus, and where each is in the feed. */
  readonly focused = new RendererFocus(this.refs);
  /** The engine's own handlers and gates, disposed when the renderer link stops. */
  private readonly owner: Owner;
  private readonly log: Logger;
  private lastStatus: ToRenderer | undefined;
  private settingsBroadcast: Registration | undefined;
  /** Renderer log records and invalid-message notices: rate limited per client and for all clients. */
  private readonly rendererRecords: SourceGate;
  private readonly invalidMessages: SourceGate;
  /** Renderer messages refused as invalid since start (admitted to the log or not). */
  private invalidRendererMessages = 0;
  /** Called after each tick batch is applied (instrumentation); usually empty. */
  private readonly batchObservers: Array<(batch: TickBatch) => void> = [];

  /**
   * `quit`: the host's way out, built before the engine (createQuitPath); the engine
   * registers its components with it and sends a renderer's Quit through its policy,
   * so that Quit is decided like the host's other triggers (duplicates coalesced).
   */
  constructor(
    private readonly host: Host,
    private readonly quit: QuitPath,
  ) {
    this.components = quit.components;
    this.coordinator = quit.coordinator;
    this.tasks = quit.tasks;
    this.owner = this.tasks.child('wiring');
    this.log = host.log.scope('engine');
    this.bus = new EventBus<EngineEvents>({
      onHandlerError: (f) => this.log.error('event handler failed', { type: f.type, error: String(f.error) }),
    });
    const settings = host.settings;

    this.rendererRecords = new SourceGate({ what: 'renderer log records', log: this.log, scheduler: systemScheduler, ...SOURCE_LIMITS.rendererRecords });
    this.invalidMessages = new SourceGate({ what: 'invalid renderer messages', log: this.log, scheduler: systemScheduler, ...SOURCE_LIMITS.invalidMessages });
    this.owner.add('log-gate', () => {
      this.rendererRecords.dispose();
      this.invalidMessages.dispose();
    });
    // The link before the market: the market reports changed rows to a link that
    // already exists. The link reads rows back only for an attached renderer, and a
    // renderer can attach only through `renderers`, once this constructor has returned.
    const link = (this.link = new RendererLink({
      rows: (key) => this.market.row(key),
      allKeys: () => this.market.keys(),
      onFrameTrouble: (client, e) => {
        if (e.phase === 'began') this.log.warn(`renderer frame ${e.kind === 'nack' ? 'refused' : 'unanswered'}; resending every row`, { client: client.id, seq: e.seq, reason: e.reason });
        else this.log.info('renderer acks frames again', { client: client.id, nacks: e.nacks, timeouts: e.timeouts });
      },
      greet: () => this.greeting(),
      focus: {
        frame: (clientId, dirty) => {
          let depths: DepthView[] | undefined;
          let tapes: TapeView[] | undefined;
          for (const cursor of this.focused.cursors(clientId)) {
            if (!dirty.has(cursor.key)) continue;
            const read = this.feed.read(cursor);
            if (read.depth) (depths ??= []).push(read.depth);
            if (read.tape) (tapes ??= []).push(read.tape);
          }
          return depths || tapes ? { depths, tapes } : undefined;
        },
        resend: (clientId) => this.focused.resend(clientId),
      },
      onRequest: (client, request) => this.onRendererRequest(client, request),
      onInvalid: (client, error) => {
        this.invalidRendererMessages++;
        // Both the log line and the notice are rate limited: a flood of bad messages floods neither.
        if (!this.invalidMessages.admit(client.id, error.length)) return;
        this.log.warn('invalid message from renderer refused', { client: client.id, error });
        client.send({ type: 'notice', level: 'error', message: `Request refused: ${error}` });
      },
    }));
    this.market = new MarketState(
      (key) => link.markDirty(key),
      (e) => {
        if (e.phase === 'began') this.log.warn('malformed market data refused', { instrument: e.key, kind: e.kind, reason: e.reason });
        else this.log.info('market data valid again', { instrument: e.key, refused: e.refused });
      },
      this.feed,
    );
    this.catalogue = new MarketCatalogue(() => new Set(settings.get().exchanges.filter((e) => e.enabled).map((e) => e.id)));
    this.simulated = new SimulatedExchange(() => settings.get(), host.log.scope('sim'), ['settings']);
    this.supervisor = new StreamingSupervisor(
      {
        spawn: host.spawnStreaming,
        log: host.log.scope('streaming'),
        exchanges: () => this.simulated.resolve(settings.get().exchanges.filter((e) => e.enabled)),
        streaming: () => settings.get().streaming,
        shutdownDeadlineMs: () => settings.get().shutdown.deadlineMs,
        ...(host.heartbeatMs ? { heartbeatMs: host.heartbeatMs } : {}),
        parent: this.tasks,
      },
      {
        ticks: (batch) => {
          this.market.apply(batch);
          // Indexed: no iterator on the tick path.
          for (let i = 0; i < this.batchObservers.length; i++) this.batchObservers[i]!(batch);
        },
        status: (exchanges, subscriptions) => this.bus.emit('status-changed', { exchanges, subscriptions }),
        outage: (outage) => this.bus.emit('outage', outage),
        connectionEvents: () => undefined, // already written to the log by the streaming process
        markets: (catalogue) => this.catalogue.set(catalogue),
        // Each series sends at most one update per frame (coalesced in the streaming process); renderers keep the keys they opened.
        candles: (m) => this.link.sendWithFrame(m),
      },
      ['settings', 'sim-exchange', 'renderer-link'],
    );
    this.diagnostics = new DiagnosticsReporter(
      {
        streaming: this.supervisor,
        handlerCounts: () => this.bus.handlerCounts(),
        components: () => this.components.snapshot(),
        framesSent: () => this.link.framesSent,
        broadcast: (m) => this.link.broadcast(m),
        exchanges: () => (this.lastStatus?.type === 'status' ? this.lastStatus.exchanges : []),
        refused: () => ({
          marketEntries: this.market.entriesRefused,
          rendererMessages: this.invalidRendererMessages,
          frameNacks: this.link.frameNacks,
          ackTimeouts: this.link.ackTimeouts,
        }),
      },
      ['streaming', 'renderer-link'],
      undefined,
      this.tasks,
    );

    for (const c of this.buildComponents()) this.components.add(c);

    this.bus.on('status-changed', (s) => {
      this.lastStatus = { type: 'status', ...s };
      this.link.broadcast(this.lastStatus);
    }, this.owner);
    this.bus.on('outage', (o) => this.diagnostics.recordOutage(o), this.owner);
    this.bus.on('settings-changed', (s) => {
      this.applyWatchlist(s);
      this.scheduleSettingsBroadcast();
    }, this.owner);

    this.coordinator.onSignal('renderer-link: stop accepting work', () => {
      this.link.acceptingWork = false;
    });
    this.coordinator.onProgress((progress) => this.link.broadcast({ type: 'shutdown', progress }));
    this.coordinator.addKillHook('streaming process', () => this.supervisor.forceStop());
    this.coordinator.addBeforeExit('flush logs', () => host.flushLogs());
  }

  private buildComponents(): Component[] {
    const host = this.host;
    const logFlush: Component = {
      name: 'log-flush',
      dependsOn: [],
      start: async () => undefined,
      stop: async () => host.flushLogs(),
    };
    const rendererLink: Component = {
      name: 'renderer-link',
      dependsOn: ['log-flush'],
      start: async () => undefined,
      stop: async () => {
        this.link.close();
        this.owner.dispose();
      },
    };
    const settings = new SettingsComponent(host.settings, ['renderer-link']);
    return [logFlush, rendererLink, settings, this.simulated, this.supervisor, this.diagnostics];
  }

  async start(): Promise<void> {
    this.applyWatchlist(this.host.settings.get());
    await this.components.startAll();
    this.log.info('engine started', { host: this.host.kind, subscriptions: this.supervisor.subscriptions.length });
  }

  /**
   * Hooks for measurement (the benchmark's host): what it observes goes through
   * these, never by patching the engine's parts or reading their private fields.
   */
  readonly instrumentation = {
    /** `listener` runs after each tick batch has been applied to the market state; returns its disposer. */
    onBatchApplied: (listener: (batch: TickBatch) => void): (() => void) => {
      this.batchObservers.push(listener);
      return () => {
        const i = this.batchObservers.indexOf(listener);
        if (i >= 0) this.batchObservers.splice(i, 1);
      };
    },
    /** Rows waiting for renderers and renderers with a frame in flight. */
    rendererQueues: (): { dirty: number; awaiting: number } => this.link.queueDepths(),
    /** The streaming supervisor's state and counters. */
    streaming: (): StreamingSnapshot => this.supervisor.snapshot(),
  };

  /** Every quit path ends here; see ShutdownCoordinator. */
  shutdown(trigger: string, force = false): Promise<ShutdownResult> {
    return this.coordinator.request(trigger, { force });
  }

  // ---- renderer transport entry points (RendererSocketServer / RendererIpc) ----

  readonly renderers: RendererConnectionHandlers = {
    attach: (client: RendererClient): void => this.link.attach(client),
    detach: (clientId: string): void => {
      this.catalogue.forget(clientId);
      this.link.detach(clientId);
      this.releaseFocus(clientId);
      this.diagnostics.setWatching(clientId, false);
      this.supervisor.releaseCandleConsumers(`${clientId}:`); // its charts are gone with it
    },
    receive: (clientId: string, message: unknown): void => this.link.receive(clientId, message),
  };

  private greeting(): ToRenderer[] {
    const out: ToRenderer[] = [
      { type: 'hello', host: this.host.kind, settings: redactSettings(this.host.settings.get()), rows: this.market.allRows() },
      this.diagnostics.timelineMessage(),
    ];
    for (const message of this.host.startupWarnings ?? []) out.push({ type: 'notice', level: 'warn', message });
    if (this.lastStatus) out.push(this.lastStatus);
    if (this.diagnostics.latest) out.push({ type: 'diagnostics', diagnostics: this.diagnostics.latest });
    const progress = this.coordinator.progress;
    if (progress) out.push({ type: 'shutdown', progress });
    return out;
  }

  private onRendererRequest(client: RendererClient, request: Exclude<FromRenderer, { type: 'frame-ack' }>): void {
    switch (request.type) {
      case 'quit': {
        const trigger = request.force ? 'renderer: quit now' : 'renderer: quit';
        this.quit.policy.request(trigger, { force: request.force });
        return;
      }
      case 'watch': {
        const entry = { exchange: request.exchange, symbol: request.symbol, channels: request.channels };
        return this.editWatchlist(client, addToWatchlist(this.host.settings.get(), entry));
      }
      case 'unwatch':
        return this.editWatchlist(client, removeFromWatchlist(this.host.settings.get(), request.exchange, request.symbol));
      case 'markets':
        this.catalogue.request(client.id, (catalogues) => client.send({ type: 'markets', catalogues }));
        return;
      case 'set-ui':
        this.updateSettings((cur) => ({ ...cur, ui: { ...cur.ui, showDiagnostics: request.showDiagnostics } }));
        return;
      case 'focus':
        return this.focus(client, request.group, request.focus);
      case 'unfocus':
        return this.unfocus(client.id, request.group);
      case 'set-workspaces':
        // Validated by the message schema; the settings schema checks it again as part of the whole.
        // Which panels are popped out is the host's to say (its windows), not a renderer's.
        this.updateSettings((cur) => ({ ...cur, ui: { ...cur.ui, workspaces: withPopouts(request.workspaces, cur.ui.workspaces.popouts) } }));
        return;
      case 'popout': {
        const refusal = this.host.popouts ? this.host.popouts.request(request.panel) : NO_POPOUTS;
        if (refusal) client.send({ type: 'notice', level: 'info', message: refusal });
        return;
      }
      case 'set-panels':
        this.updateSettings((cur) => ({ ...cur, ui: { ...cur.ui, ...(request.ladder ? { ladder: request.ladder } : {}), ...(request.tape ? { tape: request.tape } : {}) } }));
        return;
      case 'diagnostics-visible':
        this.diagnostics.setWatching(client.id, request.visible);
        return;
      case 'sim-fault':
        this.injectFault(client, `Simulator fault: ${request.fault.kind}`, () => this.simulated.fault(request.fault));
        return;
      case 'broker-fault':
        this.injectFault(client, `Simulated ${request.fault.broker === 'ib' ? 'TWS' : 'OpenD'} fault: ${request.fault.fault.kind}`, () => this.simulated.brokerFault(request.fault));
        return;
      case 'candles-open':
      case 'candles-close':
        // Consumers are per renderer client, so two windows' charts count separately.
        this.supervisor.candleDemand({ ...request, consumer: `${client.id}:${request.consumer}`.slice(0, 128) });
        return;
      case 'log':
        if (this.rendererRecords.admit(client.id, request.message.length)) this.host.log.write(request.level, `renderer:${client.id}`, request.message);
        return;
    }
  }

  /** A developer-menu fault: refused with a notice unless ui.devMenu is on; the simulator's refusal is the notice otherwise. */
  private injectFault(client: RendererClient, done: string, inject: () => void): void {
    if (!this.host.settings.get().ui.devMenu) {
      client.send({ type: 'notice', level: 'error', message: 'The developer menu is disabled in settings (ui.devMenu).' });
      return;
    }
    try {
      inject();
      client.send({ type: 'notice', level: 'info', message: done });
    } catch (e) {
      client.send({ type: 'notice', level: 'error', message: (e as Error).message });
    }
  }

  /**
   * The ladder and tape of one link of a renderer follow `f` (a watchlist row): its book
   * and trades are subscribed for that renderer and link (reference-counted with the
   * watchlist, the renderer's other links and other renderers) and the renderer's next
   * frame carries the whole depth and recent tape. The default group's focus is
   * remembered in settings (where a new session starts).
   */
  private focus(client: RendererClient, link: Link, f: Focus): void {
    const key = instrumentId(f.exchange, f.symbol);
    if (!this.market.row(key)) {
      client.send({ type: 'notice', level: 'error', message: `${f.symbol} (${f.exchange}) is not on the watchlist` });
      return;
    }
    const change = this.focused.focus(client.id, link, f);
    if (change.added.length || change.removed.length) this.supervisor.changeSubscriptions(change.added, change.removed);
    this.feed.retain(this.focused.keys());
    this.link.markDirtyFor(client.id, key);
    const saved = this.host.settings.get().ui.focus;
    if (link === DEFAULT_LINK && (saved?.exchange !== f.exchange || saved.symbol !== f.symbol)) this.updateSettings((cur) => ({ ...cur, ui: { ...cur.ui, focus: { exchange: f.exchange, symbol: f.symbol } } }));
  }

  /** One link of a renderer shows no ladder or tape any more: what only it held is unsubscribed. */
  private unfocus(clientId: string, link: Link): void {
    const change = this.focused.unfocus(clientId, link);
    if (change.removed.length) this.supervisor.changeSubscriptions([], change.removed);
    this.feed.retain(this.focused.keys());
  }

  /** A renderer went away: what only its links held is unsubscribed. */
  private releaseFocus(clientId: string): void {
    const change = this.focused.release(clientId);
    if (change.removed.length) this.supervisor.changeSubscriptions([], change.removed);
    this.feed.retain(this.focused.keys());
  }

  /** Applies a settings change from inside the engine (renderer requests, window layout). */
  updateSettings(change: (current: Settings) => Settings): void {
    const next = this.host.settings.update(change);
    this.bus.emit('settings-changed', next);
  }

  /**
   * A watch or unwatch: only the entry is validated, only its rows and subscriptions
   * change, and renderers get one settings broadcast per turn however many arrive.
   */
  private editWatchlist(client: RendererClient, edit: WatchlistEdit): void {
    if (!edit.ok) return client.send({ type: 'notice', level: edit.level, message: edit.message });
    const s = this.host.settings.commitChecked(edit.settings);
    const enabled = (exchange: string): boolean => s.exchanges.some((e) => e.id === exchange && e.enabled);
    const subscribe: SubscriptionKey[] = [];
    const unsubscribe: SubscriptionKey[] = [];
    for (const w of edit.added) {
      if (!enabled(w.exchange)) continue;
      this.market.ensureRow(w.exchange, w.symbol);
      for (const channel of w.channels) subscribe.push({ exchange: w.exchange, symbol: w.symbol, channel });
    }
    for (const w of edit.removed) {
      if (!enabled(w.exchange)) continue;
      for (const channel of w.channels) unsubscribe.push({ exchange: w.exchange, symbol: w.symbol, channel });
    }
    // MarketState drops rows only by keeping a set; a Map pass, no validation or I/O.
    if (unsubscribe.length) this.market.retain(this.watchedRows(s));
    // A subscription a renderer's panel also holds stays until that renderer lets go.
    const added = this.refs.add(WATCHLIST, subscribe).added;
    const removed = this.refs.remove(WATCHLIST, unsubscribe).removed;
    this.supervisor.changeSubscriptions(added, removed);
    this.scheduleSettingsBroadcast();
  }

  /** Coalesced: a burst of changes in one event-loop turn is one broadcast of the latest settings. */
  private scheduleSettingsBroadcast(): void {
    if (this.settingsBroadcast || this.owner.isDisposed) return;
    this.settingsBroadcast = ownedTimeout(
      systemScheduler,
      this.owner,
      () => {
        this.settingsBroadcast = undefined;
        this.link.broadcast({ type: 'settings', settings: redactSettings(this.host.settings.get()) });
      },
      0,
      'settings-broadcast',
    );
  }

  private watchedRows(s: Settings): Set<string> {
    const enabled = new Set(s.exchanges.filter((e) => e.enabled).map((e) => e.id));
    const rows = new Set<string>();
    for (const w of s.watchlist) if (enabled.has(w.exchange)) rows.add(instrumentId(w.exchange, w.symbol));
    return rows;
  }

  /** Rows and subscriptions follow the watchlist. */
  private applyWatchlist(s: Settings): void {
    const enabled = new Set(s.exchanges.filter((e) => e.enabled).map((e) => e.id));
    const keys: SubscriptionKey[] = [];
    const rows = new Set<string>();
    for (const w of s.watchlist) {
      if (!enabled.has(w.exchange)) continue;
      rows.add(instrumentId(w.exchange, w.symbol));
      this.market.ensureRow(w.exchange, w.symbol);
      for (const channel of w.channels) keys.push({ exchange: w.exchange, symbol: w.symbol, channel });
    }
    this.market.retain(rows);
    this.refs.set(WATCHLIST, keys);
    this.supervisor.setSubscriptions(this.refs.keys());
  }
}
