// Time as an injected dependency: lifecycle and shutdown decisions depend on
// deadlines, and tests drive them with fake clocks instead of sleeping.
import type { Owner } from '../../../shared/lifecycle/owner';
import type { Scheduler } from '../../../shared/lifecycle/timers';

// One Scheduler for every process: its home is shared/lifecycle/timers.ts.
export { systemScheduler, type Scheduler } from '../../../shared/lifecycle/timers';

export interface OwnedTimer {
  /** Resolves when the time is up; never resolves if cancelled first (callers race it). */
  readonly elapsed: Promise<'timeout'>;
  cancel(): void;
}

/** A one-shot timer registered with `owner`, so disposing the owner cancels it too. */
export function ownedTimer(scheduler: Scheduler, owner: Owner, ms: number, category = 'timer'): OwnedTimer {
  let cancelTimer: () => void = () => undefined;
  let resolve!: (v: 'timeout') => void;
  const elapsed = new Promise<'timeout'>((r) => (resolve = r));
  const reg = owner.add(category, () => cancelTimer());
  cancelTimer = scheduler.setTimeout(() => {
    reg.release();
    resolve('timeout');
  }, ms);
  return { elapsed, cancel: () => reg.dispose() };
}
