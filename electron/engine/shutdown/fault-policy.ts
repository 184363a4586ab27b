// What a host does with a fault nobody caught, decided as plain code; both hosts
// only bind it (bindProcessFaults below):
//   process.on('uncaughtException', (e) => policy.onUncaughtException(e))
//   process.on('unhandledRejection', (r) => policy.onUnhandledRejection(r))
// The decisions (README, "When the host itself fails"):
// - An uncaught exception unwound some code halfway: the host's state is unknown,
//   and carrying on could act on it. It is logged, then the normal coordinated
//   shutdown runs once (pending settings saved, the streaming process stopped, the
//   log flushed) and the exit code is 1 whatever the drain reports. If that drain
//   cannot end the process (the fault may have broken it), a backstop exits with 1.
// - An unhandled rejection ended one promise chain that nobody awaited; nothing
//   else was interrupted. It is logged and the host carries on.
// - Floods: a repeat of the same fault (kind, name and message) is counted, not
//   logged; one line marks 10, 100, 1000... repeats and the summary lists every
//   count at exit. Past `maxDistinct` different faults, new ones share one counter,
//   so no fault storm turns into a log storm.
import { Owner, type Disposable } from '../../../shared/lifecycle/owner';
import type { Scheduler } from '../lifecycle/scheduler';

export type FaultKind = 'uncaught-exception' | 'unhandled-rejection';

export interface FaultLogger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface ProcessFaultPolicyOptions {
  log: FaultLogger;
  /** Starts the host's coordinated shutdown (its QuitPolicy.request). */
  shutdown: (trigger: string) => void;
  /** Ends the process now: the backstop when the coordinated shutdown cannot. */
  exitNow: (code: 1) => void;
  scheduler: Scheduler;
  /** How long the coordinated shutdown may take before the backstop exits (read when a fault starts it). */
  backstopMs: number | (() => number);
  /** Different faults tracked one by one; later ones share a counter. Default 50. */
  maxDistinct?: number;
}

export interface FaultCount {
  kind: FaultKind;
  name: string;
  message: string;
  count: number;
}

/** Longest message kept (and compared) per fault. */
const MAX_MESSAGE = 300;
const OTHER = 'other faults';

export class ProcessFaultPolicy implements Disposable {
  private readonly log: FaultLogger;
  private readonly shutdown: (trigger: string) => void;
  private readonly exitNow: (code: 1) => void;
  private readonly scheduler: Scheduler;
  private readonly backstopMs: number | (() => number);
  private readonly maxDistinct: number;
  private readonly owner = new Owner('fault-policy');
  private readonly counts = new Map<string, FaultCount>();
  private fatal = false;

  constructor(options: ProcessFaultPolicyOptions) {
    this.log = options.log;
    this.shutdown = options.shutdown;
    this.exitNow = options.exitNow;
    this.scheduler = options.scheduler;
    this.backstopMs = options.backstopMs;
    this.maxDistinct = options.maxDistinct ?? 50;
  }

  /** True once an uncaught exception has started the shutdown. */
  get failed(): boolean {
    return this.fatal;
  }

  /** The exit code for a drain that ended with `drainCode`: 1 after an uncaught exception. */
  exitCode(drainCode: number): number {
    return this.fatal ? 1 : drainCode;
  }

  onUncaughtException(error: unknown): void {
    this.record('uncaught-exception', error);
    if (this.fatal) return; // the shutdown is already running; the backstop covers it
    this.fatal = true;
    this.owner.add('backstop', this.scheduler.setTimeout(() => this.exitNow(1), typeof this.backstopMs === 'number' ? this.backstopMs : this.backstopMs()));
    this.shutdown('uncaught-exception');
  }

  onUnhandledRejection(reason: unknown): void {
    this.record('unhandled-rejection', reason);
  }

  /** Every fault seen, with how often (the summary logged at exit). */
  get seen(): FaultCount[] {
    return [...this.counts.values()];
  }

  /** One line with every count, if any fault repeated (a coordinator beforeExit hook). */
  logSummary(): void {
    const repeated = this.seen.filter((f) => f.count > 1);
    if (repeated.length > 0) this.safeLog('warn', 'uncaught faults at exit', { faults: repeated });
  }

  /** Cancels the backstop (tests, or a host that ends by other means). */
  dispose(): void {
    this.owner.dispose();
  }

  private record(kind: FaultKind, fault: unknown): void {
    const { name, message, stack } = describe(fault);
    const key = `${kind}\u0000${name}\u0000${message}`;
    let entry = this.counts.get(key);
    let shared = false;
    if (!entry && this.counts.size >= this.maxDistinct) {
      shared = true;
      entry = this.counts.get(OTHER);
      if (!entry) {
        entry = { kind, name: OTHER, message: `more than ${this.maxDistinct} different faults`, count: 0 };
        this.counts.set(OTHER, entry);
      }
    }
    if (!entry) {
      entry = { kind, name, message, count: 1 };
      this.counts.set(key, entry);
      this.safeLog('error', kind === 'uncaught-exception' ? 'uncaught exception: shutting down' : 'unhandled rejection (host carries on)', {
        name,
        message,
        stack,
      });
      return;
    }
    entry.count++;
    if (shared && entry.count === 1) this.safeLog('error', 'too many different uncaught faults: counting the rest', { name, message });
    // The count is part of the message: each milestone is its own line, not a repeat
    // for the log's repeat aggregation to fold away.
    else if (isPowerOfTen(entry.count)) this.safeLog('warn', `uncaught fault repeated ${entry.count} times`, { kind: entry.kind, name: entry.name, message: entry.message, count: entry.count });
  }

  /** A throwing logger must not turn a handled fault into a real crash. */
  private safeLog(level: 'error' | 'warn', message: string, fields: Record<string, unknown>): void {
    try {
      this.log[level](message, fields);
    } catch {
      // Nowhere left to report it; the fault itself is still handled.
    }
  }
}

function describe(fault: unknown): { name: string; message: string; stack: string | undefined } {
  if (fault instanceof Error) return { name: fault.name, message: fault.message.slice(0, MAX_MESSAGE), stack: fault.stack };
  let text: string;
  try {
    text = typeof fault === 'string' ? fault : String(fault);
  } catch {
    text = Object.prototype.toString.call(fault);
  }
  return { name: typeof fault, message: text.slice(0, MAX_MESSAGE), stack: undefined };
}

function isPowerOfTen(n: number): boolean {
  for (let p = 10; p <= n; p *= 10) if (p === n) return true;
  return false;
}

/** The part of `process` the policy is bound to. */
export interface ProcessFaultSource {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (fault: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (fault: unknown) => void): unknown;
}

/** Routes the process's uncaught faults to `policy`; dispose to unbind. */
export function bindProcessFaults(source: ProcessFaultSource, policy: ProcessFaultPolicy): Disposable {
  const onException = (e: unknown): void => policy.onUncaughtException(e);
  const onRejection = (r: unknown): void => policy.onUnhandledRejection(r);
  source.on('uncaughtException', onException);
  source.on('unhandledRejection', onRejection);
  return {
    dispose: () => {
      source.off('uncaughtException', onException);
      source.off('unhandledRejection', onRejection);
    },
  };
}
