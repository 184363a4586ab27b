// Ownership of everything that starts something: loops, timers, sockets, handlers,
// child owners. Whoever starts a thing registers its stopper with an Owner; disposing
// the owner stops all of it, newest first. Counts by category let shutdown and leak
// tests prove that nothing is left. Pure TypeScript so both the engine and the
// streaming process use the same mechanism. Timers are owned through
// ownedTimeout/ownedInterval (shared/lifecycle/timers.ts), which take the Scheduler.
import { systemScheduler, type Scheduler } from './timers';

export interface Disposable {
  dispose(): void;
}

export type TaskCategory = string;

interface Entry {
  category: TaskCategory;
  stop: () => void | Promise<void>;
}

let nextId = 1;

export class Owner implements Disposable {
  readonly name: string;
  private readonly controller = new AbortController();
  private readonly entries = new Map<number, Entry>();
  private readonly children = new Set<Owner>();
  private parent: Owner | undefined;
  private disposed = false;

  constructor(name: string, parent?: Owner) {
    this.name = name;
    if (parent) {
      this.parent = parent;
      parent.children.add(this);
    }
  }

  /** Aborted when the owner is disposed; pass it to everything the owner starts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** A child owner, disposed with this one (or on its own, earlier). */
  child(name: string): Owner {
    this.assertLive(name);
    return new Owner(`${this.name}/${name}`, this);
  }

  /** Registers a stopper; returns a handle that unregisters it (after stopping it if asked). */
  add(category: TaskCategory, stop: () => void | Promise<void>): Registration {
    this.assertLive(category);
    const id = nextId++;
    this.entries.set(id, { category, stop });
    return {
      release: () => {
        this.entries.delete(id);
      },
      dispose: () => {
        const e = this.entries.get(id);
        if (!e) return;
        this.entries.delete(id);
        void runStop(e.stop);
      },
    };
  }

  /** Runs an async loop owned by this owner; it is counted until it settles. */
  run(category: TaskCategory, loop: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const child = this.child(category);
    const reg = this.add(category, () => child.dispose());
    const p = (async () => {
      try {
        await loop(child.signal);
      } finally {
        reg.release();
        child.dispose();
      }
    })();
    return p;
  }

  /** Running registrations by category, including all descendants. */
  counts(into: Record<string, number> = {}): Record<string, number> {
    for (const e of this.entries.values()) into[e.category] = (into[e.category] ?? 0) + 1;
    for (const c of this.children) c.counts(into);
    return into;
  }

  /** Total registrations including descendants. */
  size(): number {
    let n = this.entries.size;
    for (const c of this.children) n += c.size();
    return n;
  }

  /** Stops everything this owner and its children started, newest first. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller.abort(new Error(`${this.name} disposed`));
    for (const c of [...this.children].reverse()) c.dispose();
    const entries = [...this.entries.values()].reverse();
    this.entries.clear();
    for (const e of entries) void runStop(e.stop);
    this.parent?.children.delete(this);
    this.parent = undefined;
  }

  /**
   * Disposes and waits for async stoppers, at most `deadlineMs`. Resolves with
   * what was still running at the deadline by category (empty when all stopped).
   */
  async close(deadlineMs: number, scheduler: Scheduler = systemScheduler): Promise<Record<string, number>> {
    if (this.disposed) return {};
    const pending: Promise<void>[] = [];
    const late: Record<string, number> = {};
    this.collectStops(pending, late);
    this.dispose();
    // Not settleWithin: that registers its timer with an owner, and this one is disposed.
    let cancel: () => void = () => undefined;
    const outcome = await Promise.race([
      Promise.all(pending).then(() => 'done' as const),
      new Promise<'late'>((r) => (cancel = scheduler.setTimeout(() => r('late'), deadlineMs))),
    ]);
    cancel();
    return outcome === 'done' ? {} : { ...late };
  }

  /** Moves every stopper (own and descendants') into `into`, counting unfinished ones in `late`. */
  private collectStops(into: Promise<void>[], late: Record<string, number>): void {
    for (const c of this.children) c.collectStops(into, late);
    for (const e of this.entries.values()) {
      const { category, stop } = e;
      late[category] = (late[category] ?? 0) + 1;
      e.stop = () => undefined;
      into.push(
        runStop(stop).then(() => {
          if (--late[category]! === 0) delete late[category];
        }),
      );
    }
  }

  private assertLive(what: string): void {
    if (this.disposed) throw new Error(`owner ${this.name} is disposed; cannot start ${what}`);
  }
}

export interface Registration extends Disposable {
  /** Forget the registration without stopping (the thing ended by itself). */
  release(): void;
}

async function runStop(stop: () => void | Promise<void>): Promise<void> {
  try {
    await stop();
  } catch {
    // A failing stopper must not keep the others from running; callers that care
    // about the error stop their resource themselves before disposing.
  }
}
