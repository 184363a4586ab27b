// Aggregates the engine's health into EngineDiagnostics and keeps the connection
// timeline. Never per tick: it reads counters on a timer, and only as often as
// someone looks: twice a second while some renderer shows the diagnostics panel;
// otherwise once a second it checks the few fields the status bar shows (the
// streaming process's state and restarts, and which exchanges are behind) and sends
// them only when they changed. The same timer measures the host's own event-loop
// lag: how late it fires, the worst since the last report.
import type { Component } from '../lifecycle/component';
import type { ComponentProgress, EngineDiagnostics, RefusedInput, ToRenderer } from '../../../shared/contract/renderer-api';
import { terminalLoad, type ExchangeStatus, type Outage, type TerminalLoad } from '../../../shared/contract/status';
import { Owner, type Registration } from '../../../shared/lifecycle/owner';
import { ownedInterval, systemScheduler, type Scheduler } from '../../../shared/lifecycle/timers';
import type { StreamingSnapshotSource } from '../supervisor/streaming-snapshot';

/** Full diagnostics while the panel is shown (2 Hz). */
export const DIAGNOSTICS_VISIBLE_MS = 500;
/** Status-bar fields checked this often while no panel is shown. */
export const DIAGNOSTICS_HIDDEN_MS = 1000;

export interface DiagnosticsSources {
  streaming: StreamingSnapshotSource;
  handlerCounts: () => Record<string, number>;
  components: () => ComponentProgress[];
  framesSent: () => number;
  broadcast: (message: ToRenderer) => void;
  /** The exchanges' latest status (the terminal's load is their sum). */
  exchanges?: () => readonly ExchangeStatus[];
  /** What the engine itself refused since start (the streaming process's refused messages come with its snapshot). */
  refused?: () => Omit<RefusedInput, 'streamingMessages'>;
}

const TIMELINE_LIMIT = 200;

export class DiagnosticsReporter implements Component {
  readonly name = 'diagnostics';
  private owner: Owner | undefined;
  private timer: Registration | undefined;
  private readonly outages: Outage[] = [];
  private last: { at: number; batches: number; frames: number; ticks: number };
  /** Renderer clients showing the panel. */
  private readonly watchers = new Set<string>();
  /** When the timer should fire next, and the worst lateness since the last report. */
  private dueAt = 0;
  private worstLagMs = 0;
  latest: EngineDiagnostics | undefined;

  constructor(
    private readonly sources: DiagnosticsSources,
    readonly dependsOn: readonly string[] = [],
    private readonly scheduler: Scheduler = systemScheduler,
    /** Owner whose tree counts the reporter's timer (the engine's root); by default its own root. */
    private readonly parent?: Owner,
  ) {
    this.last = { at: scheduler.now(), batches: 0, frames: 0, ticks: 0 };
  }

  async start(): Promise<void> {
    this.owner = this.parent?.child('diagnostics') ?? new Owner('diagnostics');
    this.arm();
  }

  async stop(): Promise<void> {
    this.owner?.dispose();
    this.owner = undefined;
    this.timer = undefined;
  }

  /** A renderer shows (or hides, or lost) the panel; full diagnostics flow only while one shows it. */
  setWatching(clientId: string, watching: boolean): void {
    const before = this.watchers.size > 0;
    if (watching) this.watchers.add(clientId);
    else this.watchers.delete(clientId);
    if (before === this.watchers.size > 0) return;
    if (watching && this.owner) this.publish(); // the panel fills at once, not after a period
    this.arm();
  }

  get watched(): boolean {
    return this.watchers.size > 0;
  }

  private arm(): void {
    if (!this.owner) return;
    this.timer?.dispose();
    const period = this.watched ? DIAGNOSTICS_VISIBLE_MS : DIAGNOSTICS_HIDDEN_MS;
    this.dueAt = this.scheduler.now() + period;
    this.timer = ownedInterval(
      this.scheduler,
      this.owner,
      () => {
        this.noteLag(period);
        if (this.watched) this.publish();
        else this.publishIfStatusBarChanged();
      },
      period,
      'diagnostics-timer',
    );
  }

  /** How late this firing came: the host's event-loop lag, kept as the worst until reported. */
  private noteLag(period: number): void {
    const t = this.scheduler.now();
    this.worstLagMs = Math.max(this.worstLagMs, t - this.dueAt);
    this.dueAt = t + period;
  }

  /** The terminal's load now, with both processes' lags (the worst host lag is reported once, then reset). */
  private load(streamingLoopLagMs: number | undefined): TerminalLoad {
    const load = terminalLoad(this.sources.exchanges?.() ?? []);
    if (streamingLoopLagMs !== undefined) load.streamingLoopLagMs = Math.max(0, streamingLoopLagMs);
    load.hostLoopLagMs = Math.max(0, this.worstLagMs);
    this.worstLagMs = 0;
    return load;
  }

  /** Adds or completes an outage in the timeline. */
  recordOutage(outage: Outage): void {
    const i = this.outages.findIndex((o) => o.id === outage.id);
    if (i >= 0) this.outages[i] = outage;
    else {
      this.outages.push(outage);
      if (this.outages.length > TIMELINE_LIMIT) this.outages.shift();
    }
    this.sources.broadcast(this.timelineMessage());
  }

  timelineMessage(): ToRenderer {
    return { type: 'timeline', outages: [...this.outages] };
  }

  snapshot(): EngineDiagnostics {
    const s = this.sources.streaming.snapshot();
    const t = this.scheduler.now();
    const dt = Math.max(1, t - this.last.at) / 1000;
    const d: EngineDiagnostics = {
      at: t,
      streaming: {
        ...(s.vitals ? { vitals: s.vitals } : {}),
        restarts: s.restarts,
        state: s.state,
        ...(s.lastRestartReason ? { lastRestartReason: s.lastRestartReason } : {}),
      },
      handlers: this.sources.handlerCounts(),
      components: this.sources.components(),
      ipc: {
        batchesInPerSec: (s.batchesIn - this.last.batches) / dt,
        framesOutPerSec: (this.sources.framesSent() - this.last.frames) / dt,
        ticksInPerSec: (s.ticksIn - this.last.ticks) / dt,
      },
      load: this.load(s.loopLagMs),
      ...(this.sources.refused ? { refused: { ...this.sources.refused(), streamingMessages: s.invalidMessages } } : {}),
    };
    this.last = { at: t, batches: s.batchesIn, frames: this.sources.framesSent(), ticks: s.ticksIn };
    return d;
  }

  private publish(): void {
    this.latest = this.snapshot();
    this.sources.broadcast({ type: 'diagnostics', diagnostics: this.latest });
  }

  /** No panel shown: a message only when what the status bar shows changed (one small snapshot a second otherwise). */
  private publishIfStatusBarChanged(): void {
    const s = this.sources.streaming.snapshot();
    const shown = this.latest?.streaming;
    const behind = behindKey(this.sources.exchanges?.() ?? []);
    const shownBehind = this.latest?.load?.behind.join('\n') ?? '';
    if (shown && shown.state === s.state && shown.restarts === s.restarts && shown.lastRestartReason === s.lastRestartReason && behind === shownBehind) return;
    this.publish();
  }
}

/** The exchanges behind, as one comparable string ('' when none). */
function behindKey(exchanges: readonly ExchangeStatus[]): string {
  let key = '';
  for (const e of exchanges) if (e.behind) key += key ? `\n${e.exchange}` : e.exchange;
  return key;
}
