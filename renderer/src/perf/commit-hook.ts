// Counts React commits for the benchmark (?perf=1) through the hook that React DOM
// calls in every build, the production one included: the global object React
// DevTools installs (__REACT_DEVTOOLS_GLOBAL_HOOK__). React's <Profiler> reports only
// in its profiling build: benchmark pages ran that other react-dom (with profiling
// timers on), not the one traders run.

export const DEVTOOLS_HOOK = '__REACT_DEVTOOLS_GLOBAL_HOOK__';

/** The part of React DevTools' hook that React DOM reads (react-reconciler's ReactFiberDevToolsHook). */
export interface CommitHook {
  supportsFiber: true;
  isDisabled: false;
  /** React DOM registers itself once, when its module loads; the id comes back with every commit. */
  inject(internals: unknown): number;
  onCommitFiberRoot(rendererId: number, root: unknown, priority?: unknown, didError?: boolean): void;
  onCommitFiberUnmount(rendererId: number, fiber: unknown): void;
  onPostCommitFiberRoot(rendererId: number, root: unknown): void;
  checkDCE(fn: unknown): void;
}

/**
 * Puts a hook on `target` that calls `onCommit` for every commit of every root. React
 * DOM reads the hook once, when its module is evaluated: install it before that. A hook
 * already there (React DevTools attached) is left alone; returns whether one was installed.
 */
export function installCommitHook(target: Record<string, unknown>, onCommit: () => void): boolean {
  if (target[DEVTOOLS_HOOK] !== undefined) return false;
  const hook: CommitHook = {
    supportsFiber: true,
    isDisabled: false,
    inject: () => 1,
    onCommitFiberRoot: () => onCommit(),
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    checkDCE: () => undefined,
  };
  target[DEVTOOLS_HOOK] = hook;
  return true;
}
