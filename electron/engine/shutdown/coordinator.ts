// The one shutdown path. Window close, menu Quit, Ctrl+Q, before-quit, signals,
// OS session end and the renderer's "quit" all call request(); the first call
// starts the run and every later call joins the same promise (VS Code's pending
// quit). A second request while running, or force:true ("Quit now"), skips to the
// force phase. Phases:
//   signal   → onSignal participants stop accepting new work
//   graceful → components stop in reverse dependency order, each within its budget
//   force    → what is still stopping is aborted and forceStop()ped
//   kill     → kill hooks (e.g. the streaming supervisor's hard kill) get the time left
//   done     → what the components started is closed (closeTasks: leftovers make it
//              unclean), one report record is logged, beforeExit hooks flush, exit(code)
// Time: one overall deadline from the request. Graceful stopping must end
// `escalationReserveMs` before it, so force and kill always have time left.
import type { ShutdownProgress } from '../../../shared/contract/renderer-api';
import { SHUTDOWN_PHASES, type ShutdownPhase } from '../../../shared/engine-states';
import { Owner, type Disposable } from '../../../shared/lifecycle/owner';
import { errorMessage } from '../../../shared/error-message';
import type { ComponentHost, ComponentStopRecord } from '../lifecycle/component-host';
import { isFinalState } from '../lifecycle/component';
import { settleWithin } from '../../../shared/lifecycle/timers';
import { ownedTimer, systemScheduler, type Scheduler } from '../lifecycle/scheduler';

export type { ShutdownPhase };


export interface ShutdownLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ShutdownResult {
  clean: boolean;
  exitCode: 0 | 1;
  trigger: string;
  durationMs: number;
  components: ComponentStopRecord[];
  escalations: string[];
  /** Tasks still registered in the engine's owner tree when the report is made (empty when clean). */
  leftoverTasks: Record<string, number>;
}

export interface ShutdownRequestOptions {
  /** Skip straight to the force phase ("Quit now"). */
  force?: boolean;
}

/** What the coordinator needs from the component host (ComponentHost provides it). */
export type ShutdownComponents = Pick<ComponentHost, 'stopAll' | 'forceAll' | 'snapshot' | 'stopRecords' | 'hasUnfinished' | 'onChange'>;

export interface ShutdownCoordinatorOptions {
  components: ShutdownComponents;
  logger: ShutdownLogger;
  /** Ends the process (process.exit, or the quit policy's exit in Electron). */
  exit: (code: 0 | 1) => void;
  /** Overall deadline from the request, in ms. Default 3000. */
  deadlineMs?: number;
  /** Part of the deadline kept for the force and kill phases. Default: a quarter of it. */
  escalationReserveMs?: number;
  /** Upper bound for each beforeExit hook. Default 1000. */
  beforeExitTimeoutMs?: number;
  scheduler?: Scheduler;
  /** Owner whose tree counts the coordinator's timers (the engine's root); by default its own root. */
  parent?: Owner;
  /**
   * Closes what the components started (the engine's owner tree, all but the
   * coordinator's own) once they are stopped, within `withinMs`, and returns what
   * was still running by category, as the streaming process does with its root.
   * Anything left makes the shutdown unclean.
   */
  closeTasks?: (withinMs: number) => Promise<Record<string, number>>;
}

export type KillHook = (remainingMs: number) => void | Promise<void>;

interface Labelled<F> {
  label: string;
  fn: F;
}

export class ShutdownCoordinator {
  private readonly components: ShutdownComponents;
  private readonly logger: ShutdownLogger;
  private readonly exit: (code: 0 | 1) => void;
  private readonly scheduler: Scheduler;
  private readonly owner: Owner;
  private readonly closeTasks: (withinMs: number) => Promise<Record<string, number>>;
  private readonly beforeExitTimeoutMs: number;
  private deadlineMs: number;
  private reserveMs: number;

  private readonly signalParticipants = new Set<Labelled<() => void | Promise<void>>>();
  private readonly killHooks = new Set<Labelled<KillHook>>();
  private readonly beforeExitHooks = new Set<Labelled<() => void | Promise<void>>>();
  private readonly progressListeners = new Set<(progress: ShutdownProgress) => void>();

  private run: Promise<ShutdownResult> | undefined;
  private phase: ShutdownPhase | undefined;
  private trigger = '';
  private startedAt = 0;
  private readonly escalations: string[] = [];
  private forceRequested = false;
  private wakeForce: () => void = () => undefined;
  private lastProgress: ShutdownProgress | undefined;
  private finalResult: ShutdownResult | undefined;
  private exitCalled = false;

  constructor(options: ShutdownCoordinatorOptions) {
    this.components = options.components;
    this.logger = options.logger;
    this.exit = options.exit;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.owner = options.parent?.child('shutdown') ?? new Owner('shutdown');
    this.closeTasks = options.closeTasks ?? (async () => ({}));
    this.beforeExitTimeoutMs = options.beforeExitTimeoutMs ?? 1000;
    this.deadlineMs = options.deadlineMs ?? 3000;
    this.reserveMs = options.escalationReserveMs ?? this.deadlineMs / 4;
  }

  /** 'done' once exit() has been called (the report and beforeExit hooks are behind it). */
  get state(): 'idle' | 'running' | 'done' {
    return this.run === undefined ? 'idle' : this.exitCalled ? 'done' : 'running';
  }

  /** The latest progress, once a shutdown has been requested. */
  get progress(): ShutdownProgress | undefined {
    return this.lastProgress;
  }

  get result(): ShutdownResult | undefined {
    return this.finalResult;
  }

  /** Applies settings.shutdown.deadlineMs; only before the first request. */
  setDeadline(deadlineMs: number, escalationReserveMs = deadlineMs / 4): void {
    if (this.run) throw new Error('the shutdown deadline cannot change once shutdown has begun');
    this.deadlineMs = deadlineMs;
    this.reserveMs = escalationReserveMs;
  }

  /** Called first on shutdown: stop accepting new work (quick; awaited within the graceful window). */
  onSignal(label: string, fn: () => void | Promise<void>, owner?: Owner): Disposable {
    return register(this.signalParticipants, { label, fn }, owner);
  }

  /** Runs in the kill phase of every shutdown with the ms left before the deadline; must be idempotent. */
  addKillHook(label: string, fn: KillHook, owner?: Owner): Disposable {
    return register(this.killHooks, { label, fn }, owner);
  }

  /** Runs after the report is logged, in registration order, just before exit (flush logs). */
  addBeforeExit(label: string, fn: () => void | Promise<void>, owner?: Owner): Disposable {
    return register(this.beforeExitHooks, { label, fn }, owner);
  }

  /** Every progress change; the first is emitted synchronously inside the first request(). */
  onProgress(listener: (progress: ShutdownProgress) => void, owner?: Owner): Disposable {
    return register(this.progressListeners, listener, owner);
  }

  request(trigger: string, options: ShutdownRequestOptions = {}): Promise<ShutdownResult> {
    if (this.run) {
      if (!this.exitCalled) {
        this.escalate(options.force ? `quit now requested (${trigger})` : `second quit request (${trigger}) while shutting down`);
      }
      return this.run;
    }
    this.trigger = trigger;
    this.startedAt = this.scheduler.now();
    const forceWanted = new Promise<'force'>((resolve) => (this.wakeForce = () => resolve('force')));
    if (options.force) {
      this.forceRequested = true;
      this.escalations.push(`quit now requested (${trigger})`);
    }
    this.phase = options.force ? 'force' : 'signal';
    this.emitProgress();
    this.run = this.execute(forceWanted);
    return this.run;
  }

  private async execute(forceWanted: Promise<'force'>): Promise<ShutdownResult> {
    const watch = this.components.onChange(() => this.emitProgress());
    const deadlineAt = this.startedAt + this.deadlineMs;
    const gracefulEndsAt = deadlineAt - this.reserveMs;
    try {
      if (!this.forceRequested) {
        const timer = ownedTimer(this.scheduler, this.owner, gracefulEndsAt - this.scheduler.now(), 'graceful-deadline');
        const outcome = await Promise.race([this.signalThenStop(gracefulEndsAt), forceWanted, timer.elapsed]);
        timer.cancel();
        if (outcome === 'timeout') {
          const pending = this.components.snapshot().filter((c) => !isFinalState(c.state));
          this.addEscalation(
            `graceful phase ran out after ${Math.round(this.deadlineMs - this.reserveMs)} ms` +
              (pending.length > 0 ? `; still stopping: ${pending.map((c) => c.name).join(', ')}` : ''),
          );
        }
      }
      if (this.forceRequested || this.components.hasUnfinished()) {
        this.setPhase('force');
        const budget = this.reserveMs / 2;
        const forced = await settleWithin(this.components.forceAll(this.forceRequested ? 'quit now' : 'shutdown deadline'), budget, this.scheduler, this.owner);
        if (forced.timedOut) this.addEscalation(`force phase did not finish within ${Math.round(budget)} ms`);
      }
      this.setPhase('kill');
      await this.runKillHooks(deadlineAt);
    } catch (error) {
      // A bug here must still end in an exit; it is reported, not swallowed.
      this.addEscalation(`shutdown error: ${errorMessage(error)}`);
    } finally {
      watch.dispose();
    }
    return this.finish();
  }

  private async signalThenStop(gracefulEndsAt: number): Promise<'done'> {
    await Promise.all(
      [...this.signalParticipants].map(async (p) => {
        try {
          await p.fn();
        } catch (error) {
          this.addEscalation(`signal participant "${p.label}" failed: ${errorMessage(error)}`);
        }
      }),
    );
    if (this.forceRequested) return 'done';
    this.setPhase('graceful');
    await this.components.stopAll({ deadlineAt: gracefulEndsAt, onEscalation: (m) => this.addEscalation(m) });
    return 'done';
  }

  private async runKillHooks(deadlineAt: number): Promise<void> {
    const remaining = Math.max(0, deadlineAt - this.scheduler.now());
    const pending = new Set<string>();
    const all = Promise.all(
      [...this.killHooks].map(async (hook) => {
        pending.add(hook.label);
        try {
          await hook.fn(remaining);
        } catch (error) {
          this.addEscalation(`kill hook "${hook.label}" failed: ${errorMessage(error)}`);
        } finally {
          pending.delete(hook.label);
        }
      }),
    );
    const r = await settleWithin(all, remaining, this.scheduler, this.owner);
    if (r.timedOut) this.addEscalation(`kill hooks still running at the deadline: ${[...pending].join(', ')}`);
  }

  private async finish(): Promise<ShutdownResult> {
    const components = this.components.stopRecords();
    const escalations = [...this.escalations];
    const leftoverTasks = await this.closeLeftovers();
    const clean =
      escalations.length === 0 && Object.keys(leftoverTasks).length === 0 && components.every((c) => c.outcome === 'finished' || c.outcome === 'skipped');
    const result: ShutdownResult = {
      clean,
      exitCode: clean ? 0 : 1,
      trigger: this.trigger,
      durationMs: Math.round(this.scheduler.now() - this.startedAt),
      components,
      escalations,
      leftoverTasks,
    };
    this.finalResult = result;
    this.setPhase('done');
    // One record with everything, so a single log line explains how the app ended.
    (clean ? this.logger.info : this.logger.warn).call(this.logger, 'shutdown report', { ...result });
    for (const hook of this.beforeExitHooks) {
      try {
        const r = await settleWithin(Promise.resolve().then(hook.fn), this.beforeExitTimeoutMs, this.scheduler, this.owner);
        if (r.timedOut) this.logger.warn(`beforeExit hook "${hook.label}" did not finish within ${this.beforeExitTimeoutMs} ms`);
      } catch (error) {
        this.logger.error(`beforeExit hook "${hook.label}" failed`, { error: errorMessage(error) });
      }
    }
    this.owner.dispose();
    this.exitCalled = true;
    this.exit(result.exitCode);
    return result;
  }

  /** Never throws: a failing close is reported as a leftover, and the exit still comes. */
  private async closeLeftovers(): Promise<Record<string, number>> {
    try {
      return await this.closeTasks(Math.max(0, this.startedAt + this.deadlineMs - this.scheduler.now()));
    } catch (error) {
      this.logger.error('closing leftover tasks failed', { error: errorMessage(error) });
      return { 'close-failed': 1 };
    }
  }

  private escalate(reason: string): void {
    if (this.forceRequested || (this.phase !== 'signal' && this.phase !== 'graceful')) return;
    this.forceRequested = true;
    this.addEscalation(reason);
    this.wakeForce();
  }

  private addEscalation(message: string): void {
    this.escalations.push(message);
    this.emitProgress();
  }

  /** Phases only move forward (a late graceful step must not move "force" back). */
  private setPhase(phase: ShutdownPhase): void {
    if (this.phase !== undefined && SHUTDOWN_PHASES.indexOf(phase) <= SHUTDOWN_PHASES.indexOf(this.phase)) return;
    this.phase = phase;
    this.emitProgress();
  }

  private emitProgress(): void {
    if (this.phase === undefined) return;
    const progress: ShutdownProgress = {
      phase: this.phase,
      trigger: this.trigger,
      startedAt: this.startedAt,
      deadlineMs: this.deadlineMs,
      components: this.components.snapshot(),
      escalations: [...this.escalations],
    };
    this.lastProgress = progress;
    for (const listener of [...this.progressListeners]) {
      try {
        listener(progress);
      } catch (error) {
        this.logger.error('shutdown progress listener failed', { error: errorMessage(error) });
      }
    }
  }
}

function register<T>(set: Set<T>, item: T, owner?: Owner): Disposable {
  set.add(item);
  const remove = (): void => void set.delete(item);
  return owner ? owner.add('shutdown-hook', remove) : { dispose: remove };
}
