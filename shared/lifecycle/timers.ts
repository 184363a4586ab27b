// Time as an injected dependency, and timers that belong to an Owner. Policy code
// takes a Scheduler so unit tests drive it with fake time; every timer it starts is
// registered with an Owner so disposing the owner stops it and leak tests count it.
// The one module that touches the runtime's timer globals in electron/ and shared/
// (eslint's no-restricted-globals enforces it).
// One convention for "wait at most ms": settleWithin says whether time ran out and
// never cancels the work (callers decide what a timeout means).
import { now } from '../clock';
import type { Owner, Registration } from './owner';

export interface Scheduler {
  /** Milliseconds; only differences matter. */
  now(): number;
  /** Runs `fn` once after `ms`; returns the cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemScheduler: Scheduler = {
  now,
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};

/** Like systemScheduler, but its timers never keep the process alive (unref'd): for summaries a close() flushes anyway. */
export const backgroundScheduler: Scheduler = {
  now,
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    (handle as { unref?: () => void }).unref?.();
    return () => clearTimeout(handle);
  },
};

// setImmediate is Node's (shared/ is also compiled for the browser, which lacks it).
const node = globalThis as unknown as { setImmediate?: (fn: () => void) => unknown; clearImmediate?: (handle: unknown) => void };

/**
 * Runs `fn` on this event-loop turn's check phase (Node's setImmediate: after the
 * turn's I/O callbacks), so work arriving in one turn is handled once; a browser
 * gets a 0 ms timeout. Returns the cancel function; whoever calls it owns the
 * callback until it runs (close() cancels it).
 */
export function nextTurn(fn: () => void): () => void {
  if (node.setImmediate && node.clearImmediate) {
    const handle = node.setImmediate(fn);
    const clear = node.clearImmediate;
    return () => clear(handle);
  }
  const handle = setTimeout(fn, 0);
  return () => clearTimeout(handle);
}

/** Runs `fn` once after `ms`, registered with `owner` until it fires. */
export function ownedTimeout(scheduler: Scheduler, owner: Owner, fn: () => void, ms: number, category = 'timer'): Registration {
  let cancel: () => void = () => undefined;
  const reg = owner.add(category, () => cancel());
  cancel = scheduler.setTimeout(() => {
    reg.release();
    fn();
  }, ms);
  return reg;
}

/** Runs `fn` every `ms` until the registration or its owner is disposed. */
export function ownedInterval(scheduler: Scheduler, owner: Owner, fn: () => void, ms: number, category = 'timer'): Registration {
  let cancel: () => void = () => undefined;
  const reg = owner.add(category, () => cancel());
  const arm = () => {
    cancel = scheduler.setTimeout(() => {
      arm(); // re-armed first: a throwing fn must not end the interval
      fn();
    }, ms);
  };
  arm();
  return reg;
}

/** Resolves after `ms`, or at once when `signal` aborts (the timer is cancelled then). */
export function sleep(scheduler: Scheduler, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = scheduler.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export type Settled<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * The work's value, or `{ timedOut: true }` after `ms`; a rejection passes through.
 * The timer is owned by `owner`: disposing the owner ends the wait as a timeout, so
 * nothing waits on a timer that no longer runs.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number, scheduler: Scheduler, owner: Owner): Promise<Settled<T>> {
  let reg: Registration | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    const fire = () => resolve({ timedOut: true });
    if (owner.isDisposed) return fire();
    let cancel: () => void = () => undefined;
    reg = owner.add('timeout', () => {
      cancel();
      fire();
    });
    cancel = scheduler.setTimeout(() => {
      reg?.release();
      fire();
    }, ms);
  });
  try {
    return await Promise.race([work.then((value): Settled<T> => ({ timedOut: false, value })), timeout]);
  } finally {
    reg?.dispose();
  }
}

/** Waits for `work` at most `ms` and never throws: for best-effort closes. */
export async function boundedWait(work: Promise<unknown> | undefined, ms: number, scheduler: Scheduler, owner: Owner): Promise<void> {
  if (!work) return;
  try {
    await settleWithin(work, ms, scheduler, owner);
  } catch {
    // best effort
  }
}
