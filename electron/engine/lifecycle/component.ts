// A component is one long-lived part of the engine (the streaming supervisor, the
// renderer link, the settings store...). Its lifecycle is a small state machine in
// the style of NautilusTrader's component FSM: only legal transitions happen, so
// "stopped twice" or "running after failed" is a bug that throws at the source
// instead of a state nobody can explain later.

import type { ComponentState } from '../../../shared/engine-states';

export type { ComponentState };

export interface Component {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** Own graceful-stop budget in ms (default: share of the overall deadline). */
  readonly stopBudgetMs?: number;
  start(signal: AbortSignal): Promise<void>;
  /**
   * Graceful stop. `signal` aborts when the component's budget or the overall deadline
   * runs out; `budgetMs` is that budget, for components that hand part of it on.
   */
  stop(signal: AbortSignal, budgetMs?: number): Promise<void>;
  /** Last resort when graceful stop failed or ran out of time: abort/kill what is left. Quick. */
  forceStop?(): Promise<void> | void;
}

/**
 * Legal transitions. `created → stopped` is "never started, nothing to stop";
 * `starting → stopping` is a shutdown that arrives during startup; `running →
 * failed` is a fault reported while running. stopped, failed and forced are final.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<ComponentState, readonly ComponentState[]>> = {
  created: ['starting', 'stopped'],
  starting: ['running', 'failed', 'stopping'],
  running: ['stopping', 'failed'],
  stopping: ['stopped', 'failed', 'forced'],
  stopped: [],
  failed: [],
  forced: [],
};

export function isFinalState(state: ComponentState): boolean {
  return LEGAL_TRANSITIONS[state].length === 0;
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly component: string,
    readonly from: ComponentState,
    readonly to: ComponentState,
  ) {
    super(`component "${component}": illegal transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export interface StateChange {
  component: string;
  from: ComponentState;
  to: ComponentState;
}

export type TransitionListener = (change: StateChange) => void;

export class ComponentStateMachine {
  private current: ComponentState = 'created';
  private readonly listeners = new Set<TransitionListener>();

  constructor(readonly component: string) {}

  get state(): ComponentState {
    return this.current;
  }

  get isFinal(): boolean {
    return isFinalState(this.current);
  }

  can(to: ComponentState): boolean {
    return LEGAL_TRANSITIONS[this.current].includes(to);
  }

  /** Moves to `to` or throws IllegalTransitionError; listeners run after the move. */
  transition(to: ComponentState): void {
    const from = this.current;
    if (!this.can(to)) throw new IllegalTransitionError(this.component, from, to);
    this.current = to;
    for (const listener of [...this.listeners]) listener({ component: this.component, from, to });
  }

  /** Returns the unsubscribe function. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
