import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Scheduler } from '../../electron/engine/lifecycle/scheduler';
import { bindProcessFaults, ProcessFaultPolicy } from '../../electron/engine/shutdown/fault-policy';

/** Timers the test fires by hand. */
class ManualScheduler implements Scheduler {
  readonly pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  now(): number {
    return 0;
  }
  setTimeout(fn: () => void, ms: number): () => void {
    const t = { fn, ms, cancelled: false };
    this.pending.push(t);
    return () => (t.cancelled = true);
  }
  fireAll(): void {
    for (const t of this.pending.splice(0)) if (!t.cancelled) t.fn();
  }
}

function setup(maxDistinct?: number) {
  const trace: string[] = [];
  const scheduler = new ManualScheduler();
  const policy = new ProcessFaultPolicy({
    log: {
      error: (m, f) => trace.push(`error ${m} ${JSON.stringify({ ...f, stack: undefined })}`),
      warn: (m, f) => trace.push(`warn ${m} ${JSON.stringify(f)}`),
    },
    shutdown: (trigger) => trace.push(`shutdown ${trigger}`),
    exitNow: (code) => trace.push(`exit ${code}`),
    scheduler,
    backstopMs: 5000,
    ...(maxDistinct === undefined ? {} : { maxDistinct }),
  });
  return { trace, scheduler, policy };
}

describe('ProcessFaultPolicy', () => {
  it('an uncaught exception is logged, then the coordinated shutdown runs once and the exit code is 1', () => {
    const { trace, scheduler, policy } = setup();
    expect(policy.exitCode(0)).toBe(0);
    policy.onUncaughtException(new URIError('URI malformed'));
    policy.onUncaughtException(new TypeError('x is undefined')); // during the drain: logged, no second request
    expect(trace).toEqual([
      'error uncaught exception: shutting down {"name":"URIError","message":"URI malformed"}',
      'shutdown uncaught-exception',
      'error uncaught exception: shutting down {"name":"TypeError","message":"x is undefined"}',
    ]);
    expect(policy.failed).toBe(true);
    expect(policy.exitCode(0)).toBe(1);
    expect(scheduler.pending.map((t) => t.ms)).toEqual([5000]);
  });

  it('exits with 1 from the backstop if the shutdown does not end the process, and not after dispose', () => {
    const a = setup();
    a.policy.onUncaughtException(new Error('boom'));
    a.scheduler.fireAll();
    expect(a.trace.slice(-1)).toEqual(['exit 1']);

    // The deadline may only be known later (Electron reads the settings after binding the policy).
    let deadline = 1000;
    const late = new ProcessFaultPolicy({ log: { error: () => undefined, warn: () => undefined }, shutdown: () => undefined, exitNow: () => undefined, scheduler: a.scheduler, backstopMs: () => deadline + 2000 });
    deadline = 7000;
    late.onUncaughtException(new Error('boom'));
    expect(a.scheduler.pending.map((t) => t.ms)).toEqual([9000]);

    const b = setup();
    b.policy.onUncaughtException(new Error('boom'));
    b.policy.dispose();
    b.scheduler.fireAll();
    expect(b.trace).not.toContain('exit 1');
  });

  it('an unhandled rejection is logged and the host carries on', () => {
    const { trace, scheduler, policy } = setup();
    policy.onUnhandledRejection(new Error('fetch failed'));
    policy.onUnhandledRejection('a bare string');
    expect(trace).toEqual([
      'error unhandled rejection (host carries on) {"name":"Error","message":"fetch failed"}',
      'error unhandled rejection (host carries on) {"name":"string","message":"a bare string"}',
    ]);
    expect(policy.failed).toBe(false);
    expect(policy.exitCode(0)).toBe(0);
    expect(scheduler.pending).toEqual([]);
  });

  it('a flood of identical faults logs the first, marks 10, 100, 1000 and lists the count at exit', () => {
    const { trace, policy } = setup();
    for (let i = 0; i < 2500; i++) policy.onUnhandledRejection(new Error('WebSocket is not open'));
    expect(trace).toEqual([
      'error unhandled rejection (host carries on) {"name":"Error","message":"WebSocket is not open"}',
      'warn uncaught fault repeated 10 times {"kind":"unhandled-rejection","name":"Error","message":"WebSocket is not open","count":10}',
      'warn uncaught fault repeated 100 times {"kind":"unhandled-rejection","name":"Error","message":"WebSocket is not open","count":100}',
      'warn uncaught fault repeated 1000 times {"kind":"unhandled-rejection","name":"Error","message":"WebSocket is not open","count":1000}',
    ]);
    trace.length = 0;
    policy.logSummary();
    expect(trace).toEqual([
      'warn uncaught faults at exit {"faults":[{"kind":"unhandled-rejection","name":"Error","message":"WebSocket is not open","count":2500}]}',
    ]);
  });

  it('past maxDistinct different faults, new ones share one counter instead of one line each', () => {
    const { trace, policy } = setup(3);
    for (let i = 0; i < 1000; i++) policy.onUnhandledRejection(new Error(`order ${i} failed`));
    expect(trace).toHaveLength(3 + 1 + 2); // three distinct, "too many", then 10 and 100 of the shared counter
    expect(trace[3]).toBe('error too many different uncaught faults: counting the rest {"name":"Error","message":"order 3 failed"}');
    expect(policy.seen.map((f) => f.count)).toEqual([1, 1, 1, 997]);
  });

  it('a logger that throws does not turn a handled fault into a crash', () => {
    const shutdowns: string[] = [];
    const policy = new ProcessFaultPolicy({
      log: {
        error: () => {
          throw new Error('disk full');
        },
        warn: () => undefined,
      },
      shutdown: (t) => shutdowns.push(t),
      exitNow: () => undefined,
      scheduler: new ManualScheduler(),
      backstopMs: 1,
    });
    expect(() => policy.onUncaughtException(new Error('boom'))).not.toThrow();
    expect(shutdowns).toEqual(['uncaught-exception']);
  });

  it('binds to a process-like emitter and unbinds on dispose', () => {
    const { trace, policy } = setup();
    const proc = new EventEmitter();
    const binding = bindProcessFaults(proc, policy);
    proc.emit('unhandledRejection', new Error('late'));
    expect(trace).toHaveLength(1);
    binding.dispose();
    expect(proc.listenerCount('uncaughtException') + proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
