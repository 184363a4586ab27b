// Aggregates the engine's health into EngineDiagnostics a few times a second and
// keeps the connection timeline. Never per tick: it reads counters on a timer.
import type { Component } from '../lifecycle/component';
import type { ComponentProgress, EngineDiagnostics, ToRenderer } from '../../../shared/contract/renderer-api';
import type { Outage } from '../../../shared/contract/status';
import { Owner } from '../../../shared/lifecycle/owner';
import { now } from '../../../shared/clock';
import type { StreamingSnapshotSource } from '../supervisor/streaming-snapshot';
import { ownedInterval, systemScheduler } from '../../../shared/lifecycle/timers';

export interface DiagnosticsSources {
  streaming: StreamingSnapshotSource;
  handlerCounts: () => Record<string, number>;
  components: () => ComponentProgress[];
  framesSent: () => number;
  broadcast: (message: ToRenderer) => void;
}

const TIMELINE_LIMIT = 200;

export class DiagnosticsReporter implements Component {
  readonly name = 'diagnostics';
  private owner: Owner | undefined;
  private readonly outages: Outage[] = [];
  private last = { at: now(), batches: 0, frames: 0, ticks: 0 };
  latest: EngineDiagnostics | undefined;

  constructor(
    private readonly sources: DiagnosticsSources,
    readonly dependsOn: readonly string[] = [],
    private readonly periodMs = 250,
    /** Owner whose tree counts the reporter's timer (the engine's root); by default its own root. */
    private readonly parent?: Owner,
  ) {}

  async start(): Promise<void> {
    this.owner = this.parent?.child('diagnostics') ?? new Owner('diagnostics');
    ownedInterval(systemScheduler, this.owner, () => this.publish(), this.periodMs, 'diagnostics-timer');
  }

  async stop(): Promise<void> {
    this.owner?.dispose();
    this.owner = undefined;
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
    const t = now();
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
    };
    this.last = { at: t, batches: s.batchesIn, frames: this.sources.framesSent(), ticks: s.ticksIn };
    return d;
  }

  private publish(): void {
    this.latest = this.snapshot();
    this.sources.broadcast({ type: 'diagnostics', diagnostics: this.latest });
  }
}
