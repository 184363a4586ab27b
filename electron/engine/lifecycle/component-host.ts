// Runs the engine's components as one dependency graph: starts them in dependency
// order (independent ones concurrently), stops them in reverse (a component stops
// only after everything that depends on it has stopped), and escalates a stop that
// fails or runs out of time to forceStop(). The shutdown coordinator drives the
// stop side; startup failure rolls back what already started.
import type { ComponentProgress } from '../../../shared/contract/renderer-api';
import { Owner, type Disposable } from '../../../shared/lifecycle/owner';
import { errorMessage } from '../../../shared/error-message';
import { ComponentStateMachine, type Component, type ComponentState, type StateChange } from './component';
import { dependentsOf, longestChain, topologicalOrder } from './dependency-graph';
import { settleWithin } from '../../../shared/lifecycle/timers';
import { ownedTimer, systemScheduler, type Scheduler } from './scheduler';

export type StopOutcome = 'finished' | 'failed' | 'forced' | 'skipped';

export interface ComponentStopRecord {
  name: string;
  outcome: StopOutcome;
  /** Time from the start of stopping until the component reached its final state. */
  ms: number;
  error?: string;
}

export class ComponentStartError extends Error {
  constructor(
    readonly component: string,
    cause: unknown,
  ) {
    super(`component "${component}" failed to start: ${errorMessage(cause)}`, { cause });
    this.name = 'ComponentStartError';
  }
}

export interface ComponentHostOptions {
  scheduler?: Scheduler;
  /** Owner whose tree counts this host's timers (the engine's root); by default its own root. */
  parent?: Owner;
  /** How long one forceStop() may take before it is abandoned (they must be quick). */
  forceStopTimeoutMs?: number;
  /** Deadline for stopping what already started when startup fails. */
  rollbackDeadlineMs?: number;
}

export interface StopAllOptions {
  /** scheduler.now() value by which graceful stopping must be over. Default: now + 3000. */
  deadlineAt?: number;
  /** Told about every escalation (a budget ran out, a stop failed), as a readable line. */
  onEscalation?: (message: string) => void;
}

interface Entry {
  readonly component: Component;
  readonly machine: ComponentStateMachine;
  /** The start() call, kept so a stop that arrives during startup can wait for it. */
  startCall?: Promise<void>;
  stopController?: AbortController;
  stopStartedAt?: number;
  endedAt?: number;
  outcome?: StopOutcome;
  error?: string;
  /** Set synchronously when forcing begins, so a concurrently finishing stop() defers to it. */
  forcing?: Promise<void>;
}

type StopAttempt =
  | { kind: 'stopped' }
  | { kind: 'stop-failed'; error: unknown }
  | { kind: 'start-failed'; error: unknown }
  | { kind: 'aborted' };

class StopBudgetExceeded extends Error {}

export class ComponentHost {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: StateChange) => void>();
  private readonly scheduler: Scheduler;
  private readonly owner: Owner;
  private readonly forceStopTimeoutMs: number;
  private readonly rollbackDeadlineMs: number;
  private startAbort: AbortController | undefined;
  private stopRequested = false;
  private stopRun: Promise<ComponentStopRecord[]> | undefined;

  constructor(options: ComponentHostOptions = {}) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.owner = options.parent?.child('component-host') ?? new Owner('component-host');
    this.forceStopTimeoutMs = options.forceStopTimeoutMs ?? 500;
    this.rollbackDeadlineMs = options.rollbackDeadlineMs ?? 3000;
  }

  add(component: Component): void {
    if (this.entries.has(component.name)) throw new Error(`component "${component.name}" is already added`);
    if (this.startAbort || this.stopRequested) throw new Error(`cannot add component "${component.name}" after startAll()/stopAll()`);
    const machine = new ComponentStateMachine(component.name);
    machine.onTransition((change) => {
      for (const listener of [...this.listeners]) {
        try {
          listener(change);
        } catch {
          // An observer (UI progress, logging) must not break the lifecycle it watches.
        }
      }
    });
    this.entries.set(component.name, { component, machine });
  }

  /** Checks the graph; returns the start order. Throws UnknownDependencyError / DependencyCycleError. */
  validate(): string[] {
    return topologicalOrder(this.components());
  }

  state(name: string): ComponentState {
    return this.entry(name).machine.state;
  }

  /** True while some component has not reached a final state. */
  hasUnfinished(): boolean {
    return [...this.entries.values()].some((e) => !e.machine.isFinal);
  }

  onChange(listener: (change: StateChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  snapshot(): ComponentProgress[] {
    const now = this.scheduler.now();
    return [...this.entries.values()].map((e) => {
      const p: ComponentProgress = { name: e.component.name, state: e.machine.state };
      if (e.stopStartedAt !== undefined) p.elapsedMs = Math.round((e.endedAt ?? now) - e.stopStartedAt);
      if (e.error !== undefined) p.error = e.error;
      return p;
    });
  }

  /**
   * Starts every component after its dependencies. If one fails, nothing new is
   * started, starts in flight see their signal abort, what is running is stopped
   * in reverse order, and this rejects with a ComponentStartError (cause = the error).
   */
  async startAll(): Promise<void> {
    if (this.startAbort) throw new Error('startAll() was already called');
    const order = this.validate();
    const abort = new AbortController();
    this.startAbort = abort;
    let failure: { name: string; error: unknown } | undefined;
    const tasks = new Map<string, Promise<boolean>>();

    const startOne = async (e: Entry): Promise<boolean> => {
      const depsRunning = await Promise.all(e.component.dependsOn.map(run));
      if (!depsRunning.every(Boolean) || failure || this.stopRequested) return false;
      e.machine.transition('starting');
      e.startCall = Promise.resolve().then(() => e.component.start(abort.signal));
      try {
        await e.startCall;
      } catch (error) {
        // A shutdown aborted the start (or took the component over meanwhile):
        // stopping deals with it; it is not a start failure.
        if (e.machine.state !== 'starting' || this.stopRequested) return false;
        this.markFailed(e, error);
        failure ??= { name: e.component.name, error };
        abort.abort(new Error(`startup failed: ${e.component.name}`));
        return false;
      }
      if (e.machine.state !== 'starting') return false;
      e.machine.transition('running');
      return true;
    };
    const run = (name: string): Promise<boolean> => {
      let task = tasks.get(name);
      if (!task) tasks.set(name, (task = startOne(this.entry(name))));
      return task;
    };

    // Roll back as soon as one fails: a start that ignores its aborted signal must
    // not hold the rollback (stopping waits for it only within its budget).
    await Promise.race([Promise.all(order.map(run)), new Promise((r) => abort.signal.addEventListener('abort', r, { once: true }))]);
    if (failure) {
      const failed = this.entry(failure.name);
      await this.cleanUpFailed(failed);
      await this.stopAll({ deadlineAt: this.scheduler.now() + this.rollbackDeadlineMs });
      throw new ComponentStartError(failure.name, failure.error);
    }
    if (this.stopRequested) throw new Error('startup interrupted by shutdown');
  }

  /**
   * Gracefully stops everything in reverse dependency order. Each component gets
   * min(its stopBudgetMs or a share of the time left, the time left); one that
   * fails or runs out is forced and the others carry on. Idempotent: later calls
   * join the first. Resolves when every component is final.
   */
  stopAll(options: StopAllOptions = {}): Promise<ComponentStopRecord[]> {
    this.stopRun ??= this.runStopAll(options);
    return this.stopRun;
  }

  /**
   * Aborts every component that is not final yet (stop signal aborted, then
   * forceStop()), all at once. Used when the overall deadline runs out or the
   * user asks to quit now. Resolves when they are all final.
   */
  async forceAll(reason: string): Promise<void> {
    this.stopRequested = true;
    this.startAbort?.abort(new Error(reason));
    await Promise.all([...this.entries.values()].map((e) => this.force(e, reason, 'forced')));
  }

  /** A running component reports a fault it cannot recover from; it is cleaned up with forceStop(). */
  reportFailure(name: string, error: unknown): boolean {
    const e = this.entry(name);
    if (e.machine.state !== 'running') return false;
    this.markFailed(e, error);
    void this.cleanUpFailed(e);
    return true;
  }

  /** How each component ended (or is ending): the shutdown report's component list. */
  stopRecords(): ComponentStopRecord[] {
    const now = this.scheduler.now();
    return [...this.entries.values()].map((e) => {
      const outcome: StopOutcome = e.outcome ?? (e.machine.state === 'failed' ? 'failed' : e.machine.isFinal ? 'finished' : 'forced');
      const ms = e.stopStartedAt === undefined ? 0 : Math.round((e.endedAt ?? now) - e.stopStartedAt);
      const record: ComponentStopRecord = { name: e.component.name, outcome, ms };
      const error = e.error ?? (e.machine.isFinal ? undefined : `still ${e.machine.state}`);
      if (error !== undefined) record.error = error;
      return record;
    });
  }

  private async runStopAll(options: StopAllOptions): Promise<ComponentStopRecord[]> {
    this.stopRequested = true;
    this.startAbort?.abort(new Error('shutdown'));
    const nodes = this.components();
    try {
      topologicalOrder(nodes);
    } catch {
      // An invalid graph never started anything: there is nothing to wait for.
      for (const e of this.entries.values()) if (e.machine.state === 'created') this.finish(e, 'stopped', 'skipped');
      return this.stopRecords();
    }
    const now = this.scheduler.now();
    const deadlineAt = options.deadlineAt ?? now + 3000;
    // Default budget: the time left split over the longest chain, so a chain of
    // components using their default budgets fits in the deadline.
    const share = Math.max(0, deadlineAt - now) / Math.max(1, longestChain(nodes));
    const dependents = dependentsOf(nodes);
    const tasks = new Map<string, Promise<void>>();
    const stopAfterDependents = (name: string): Promise<void> => {
      let task = tasks.get(name);
      if (!task) {
        task = Promise.all((dependents.get(name) ?? []).map(stopAfterDependents)).then(() =>
          this.stopOne(this.entry(name), share, deadlineAt, options.onEscalation),
        );
        tasks.set(name, task);
      }
      return task;
    };
    await Promise.all(nodes.map((n) => stopAfterDependents(n.name)));
    return this.stopRecords();
  }

  private async stopOne(e: Entry, share: number, deadlineAt: number, onEscalation?: (m: string) => void): Promise<void> {
    const { machine, component } = e;
    if (machine.state === 'created') return this.finish(e, 'stopped', 'skipped');
    if (machine.isFinal || e.forcing) return e.forcing;

    const startedAt = this.scheduler.now();
    const budget = Math.max(0, Math.min(component.stopBudgetMs ?? share, deadlineAt - startedAt));
    const wasStarting = machine.state === 'starting';
    const controller = new AbortController();
    e.stopController = controller;
    e.stopStartedAt = startedAt;
    machine.transition('stopping');

    const timer = ownedTimer(this.scheduler, this.owner, budget, 'stop-budget');
    void timer.elapsed.then(() => controller.abort(new StopBudgetExceeded(`stop budget of ${Math.round(budget)} ms ran out`)));
    const aborted = new Promise<StopAttempt>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve({ kind: 'aborted' }), { once: true }),
    );
    const attempt = (async (): Promise<StopAttempt> => {
      if (wasStarting) {
        try {
          await e.startCall;
        } catch (error) {
          return { kind: 'start-failed', error };
        }
      }
      try {
        await component.stop(controller.signal, budget);
        return { kind: 'stopped' };
      } catch (error) {
        return { kind: 'stop-failed', error };
      }
    })();
    const result = await Promise.race([attempt, aborted]);
    timer.cancel();

    if (e.forcing) return e.forcing;
    switch (result.kind) {
      case 'stopped':
        return this.finish(e, 'stopped', 'finished');
      case 'start-failed':
        // Shut down during startup and the start then failed, or gave up as the
        // shutdown asked (not an error): it never ran.
        if (!this.isStartAbort(result.error)) e.error = errorMessage(result.error);
        await this.runForceStop(e);
        return this.finish(e, 'stopped', 'skipped');
      case 'stop-failed':
        e.error = errorMessage(result.error);
        onEscalation?.(`${component.name}: stop failed (${e.error}); forcing`);
        return this.force(e, 'stop failed', 'failed');
      case 'aborted':
        onEscalation?.(`${component.name}: stop budget of ${Math.round(budget)} ms ran out; forcing`);
        return this.force(e, 'stop budget ran out', 'forced');
    }
  }

  private force(e: Entry, reason: string, finalState: 'forced' | 'failed'): Promise<void> {
    if (e.forcing) return e.forcing;
    if (e.machine.isFinal) return Promise.resolve();
    if (e.machine.state === 'created') {
      this.finish(e, 'stopped', 'skipped');
      return Promise.resolve();
    }
    let resolveForcing!: () => void;
    e.forcing = new Promise<void>((r) => (resolveForcing = r));
    if (e.machine.state !== 'stopping') {
      e.stopStartedAt = this.scheduler.now();
      e.machine.transition('stopping');
    }
    e.stopController?.abort(new Error(reason));
    void (async () => {
      const problem = await this.runForceStop(e);
      if (problem !== undefined) e.error ??= problem;
      this.finish(e, finalState, finalState);
      resolveForcing();
    })();
    return e.forcing;
  }

  /** Calls forceStop() if the component has one; returns a problem description, if any. */
  private async runForceStop(e: Entry): Promise<string | undefined> {
    const forceStop = e.component.forceStop?.bind(e.component);
    if (!forceStop) return undefined;
    try {
      const r = await settleWithin(Promise.resolve().then(forceStop), this.forceStopTimeoutMs, this.scheduler, this.owner);
      return r.timedOut ? `forceStop did not return within ${this.forceStopTimeoutMs} ms` : undefined;
    } catch (error) {
      return `forceStop failed: ${errorMessage(error)}`;
    }
  }

  /** The start rejected with the reason the host aborted it with: it did what it was told. */
  private isStartAbort(error: unknown): boolean {
    const signal = this.startAbort?.signal;
    return signal !== undefined && signal.aborted && error === signal.reason;
  }

  private markFailed(e: Entry, error: unknown): void {
    e.error = errorMessage(error);
    e.outcome = 'failed';
    e.machine.transition('failed');
  }

  /** A component that failed may hold half of what it acquired; forceStop releases it. */
  private async cleanUpFailed(e: Entry): Promise<void> {
    const problem = await this.runForceStop(e);
    if (problem !== undefined) e.error = `${e.error}; ${problem}`;
  }

  private finish(e: Entry, state: ComponentState, outcome: StopOutcome): void {
    e.endedAt = this.scheduler.now();
    e.outcome = outcome;
    e.machine.transition(state);
  }

  private components(): Component[] {
    return [...this.entries.values()].map((e) => e.component);
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`unknown component "${name}"`);
    return e;
  }
}
