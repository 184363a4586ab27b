import { describe, expect, it, vi } from 'vitest';
import { ComponentStateMachine, IllegalTransitionError, type Component, type StateChange } from '../../electron/engine/lifecycle/component';
import { DependencyCycleError, topologicalOrder, UnknownDependencyError } from '../../electron/engine/lifecycle/dependency-graph';
import { ComponentHost, ComponentStartError } from '../../electron/engine/lifecycle/component-host';
import { fakeScheduler } from '../support/fake-scheduler';
import { fakeTimersInEachTest } from '../support/fake-timers';

interface Behaviour {
  startMs?: number;
  stopMs?: number;
  failStart?: string;
  failStop?: string;
  /** stop() never settles on its own (ignores its signal). */
  hangStop?: boolean;
  stopBudgetMs?: number;
  /** start() gives up with its signal's reason as soon as the signal aborts. */
  abortableStart?: boolean;
}

/** A component that records what happens to it in `log` as "<event>:<name>". */
function component(name: string, dependsOn: string[], log: string[], b: Behaviour = {}): Component & { signals: { start?: AbortSignal; stop?: AbortSignal } } {
  const signals: { start?: AbortSignal; stop?: AbortSignal } = {};
  const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  return {
    name,
    dependsOn,
    ...(b.stopBudgetMs !== undefined ? { stopBudgetMs: b.stopBudgetMs } : {}),
    signals,
    async start(signal) {
      signals.start = signal;
      log.push(`start:${name}`);
      if (b.abortableStart) {
        await Promise.race([
          wait(b.startMs ?? 0),
          new Promise((_, reject) => signal.addEventListener('abort', () => (log.push(`start-aborted:${name}`), reject(signal.reason)), { once: true })),
        ]);
      } else await wait(b.startMs ?? 0);
      if (b.failStart) throw new Error(b.failStart);
      log.push(`started:${name}`);
    },
    async stop(signal) {
      signals.stop = signal;
      log.push(`stop:${name}`);
      if (b.hangStop) return new Promise<void>(() => undefined);
      await wait(b.stopMs ?? 0);
      if (b.failStop) throw new Error(b.failStop);
      log.push(`stopped:${name}`);
    },
    forceStop() {
      log.push(`force:${name}`);
    },
  };
}

fakeTimersInEachTest();

describe('ComponentStateMachine', () => {
  it('follows the legal lifecycle and tells listeners about each transition', () => {
    const m = new ComponentStateMachine('feed');
    const seen: StateChange[] = [];
    m.onTransition((c) => seen.push(c));
    for (const s of ['starting', 'running', 'stopping', 'stopped'] as const) m.transition(s);
    expect(m.state).toBe('stopped');
    expect(m.isFinal).toBe(true);
    expect(seen.map((c) => `${c.from}→${c.to}`)).toEqual(['created→starting', 'starting→running', 'running→stopping', 'stopping→stopped']);
  });

  it('throws on illegal transitions and keeps its state', () => {
    const m = new ComponentStateMachine('feed');
    expect(() => m.transition('running')).toThrow(IllegalTransitionError);
    expect(() => m.transition('running')).toThrow('component "feed": illegal transition created → running');
    expect(m.state).toBe('created');
    m.transition('starting');
    m.transition('failed');
    for (const to of ['starting', 'running', 'stopping', 'stopped', 'forced'] as const) expect(() => m.transition(to)).toThrow(IllegalTransitionError);
    expect(m.state).toBe('failed');
  });

  it('allows stopping during startup and forcing a stop, but never leaving a final state', () => {
    const m = new ComponentStateMachine('x');
    m.transition('starting');
    m.transition('stopping');
    m.transition('forced');
    expect(() => m.transition('stopped')).toThrow(IllegalTransitionError);
    const never = new ComponentStateMachine('y');
    never.transition('stopped'); // never started: nothing to stop
    expect(() => never.transition('starting')).toThrow(IllegalTransitionError);
  });
});

describe('dependency graph', () => {
  it('names an unknown dependency', () => {
    const err = (() => {
      try {
        topologicalOrder([{ name: 'streaming', dependsOn: ['setings'] }]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnknownDependencyError);
    expect((err as Error).message).toBe('component "streaming" depends on unknown component "setings"');
  });

  it('names the cycle', () => {
    const nodes = [
      { name: 'x', dependsOn: [] },
      { name: 'a', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['c', 'x'] },
      { name: 'c', dependsOn: ['a'] },
    ];
    expect(() => topologicalOrder(nodes)).toThrow(DependencyCycleError);
    expect(() => topologicalOrder(nodes)).toThrow('dependency cycle: a → b → c → a');
    expect(() => topologicalOrder([{ name: 'self', dependsOn: ['self'] }])).toThrow('dependency cycle: self → self');
  });

  it('orders every component after its dependencies', () => {
    const order = topologicalOrder([
      { name: 'streaming', dependsOn: ['settings', 'sim'] },
      { name: 'sim', dependsOn: ['settings'] },
      { name: 'settings', dependsOn: [] },
    ]);
    expect(order).toEqual(['settings', 'sim', 'streaming']);
  });

  it('is checked by the host before anything starts', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    host.add(component('a', ['b'], log));
    host.add(component('b', ['a'], log));
    await expect(host.startAll()).rejects.toThrow('dependency cycle: a → b → a');
    expect(log).toEqual([]);
  });
});

describe('ComponentHost', () => {
  it('starts in dependency order, independent components concurrently', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    host.add(component('app', ['feed', 'db'], log, { startMs: 10 }));
    host.add(component('feed', ['config'], log, { startMs: 100 }));
    host.add(component('db', ['config'], log, { startMs: 100 }));
    host.add(component('config', [], log, { startMs: 10 }));
    const started = host.startAll();
    await vi.advanceTimersByTimeAsync(10);
    // feed and db both started before either finished.
    expect(log).toEqual(['start:config', 'started:config', 'start:feed', 'start:db']);
    await vi.advanceTimersByTimeAsync(100);
    expect(host.state('app')).toBe('starting');
    await vi.advanceTimersByTimeAsync(10);
    await started;
    expect(log.slice(4)).toEqual(['started:feed', 'started:db', 'start:app', 'started:app']);
    expect(host.snapshot().map((c) => c.state)).toEqual(['running', 'running', 'running', 'running']);
  });

  it('stops in reverse dependency order: a component only after all its dependents', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    host.add(component('config', [], log, { stopMs: 10 }));
    host.add(component('feed', ['config'], log, { stopMs: 200 }));
    host.add(component('ui', ['config'], log, { stopMs: 50 }));
    host.add(component('app', ['feed', 'ui'], log, { stopMs: 10 }));
    const started = host.startAll();
    await vi.runAllTimersAsync();
    await started;
    log.length = 0;
    const stopped = host.stopAll({ deadlineAt: Date.now() + 10_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    const records = await stopped;
    expect(log).toEqual(['stop:app', 'stopped:app', 'stop:feed', 'stop:ui', 'stopped:ui', 'stopped:feed', 'stop:config', 'stopped:config']);
    expect(records).toEqual([
      { name: 'config', outcome: 'finished', ms: 10 },
      { name: 'feed', outcome: 'finished', ms: 200 },
      { name: 'ui', outcome: 'finished', ms: 50 },
      { name: 'app', outcome: 'finished', ms: 10 },
    ]);
    expect(host.hasUnfinished()).toBe(false);
  });

  it('rolls back on a start failure: stops what started in reverse, never starts the rest, rejects with the cause', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    const changes: string[] = [];
    host.onChange((c) => changes.push(`${c.component}:${c.to}`));
    host.add(component('config', [], log));
    host.add(component('db', ['config'], log, { startMs: 50, failStart: 'port 5432 refused' }));
    const slow = component('feed', ['config'], log, { startMs: 500 });
    host.add(slow);
    host.add(component('app', ['db', 'feed'], log));
    const started = host.startAll();
    const outcome = expect(started).rejects.toSatisfy((e: unknown) => {
      const err = e as ComponentStartError;
      return err instanceof ComponentStartError && err.component === 'db' && (err.cause as Error).message === 'port 5432 refused';
    });
    await vi.advanceTimersByTimeAsync(50);
    // The start still in flight is told to give up.
    expect(slow.signals.start?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
    expect(log).not.toContain('start:app');
    expect(log).toContain('force:db'); // the failed one releases what it half-acquired
    // feed finished starting, then stopped; config stopped only after feed.
    expect(log.indexOf('stopped:feed')).toBeLessThan(log.indexOf('stop:config'));
    expect(host.state('config')).toBe('stopped');
    expect(host.state('db')).toBe('failed');
    expect(host.state('feed')).toBe('stopped');
    expect(host.state('app')).toBe('stopped');
    expect(host.stopRecords().find((r) => r.name === 'app')?.outcome).toBe('skipped');
    expect(host.stopRecords().find((r) => r.name === 'db')).toMatchObject({ outcome: 'failed', error: 'port 5432 refused' });
    expect(changes).toContain('db:failed');
  });

  it('forces a component whose stop outlives its own budget, and goes on with the others', async () => {
    const log: string[] = [];
    const escalations: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    host.add(component('config', [], log, { stopMs: 10 }));
    const stuck = component('feed', ['config'], log, { hangStop: true, stopBudgetMs: 300 });
    host.add(stuck);
    const started = host.startAll();
    await vi.runAllTimersAsync();
    await started;
    const t0 = Date.now();
    const stopped = host.stopAll({ deadlineAt: t0 + 5000, onEscalation: (m) => escalations.push(m) });
    await vi.advanceTimersByTimeAsync(299);
    expect(host.state('feed')).toBe('stopping');
    expect(stuck.signals.stop?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(stuck.signals.stop?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(20);
    const records = await stopped;
    expect(escalations).toEqual(['feed: stop budget of 300 ms ran out; forcing']);
    expect(log).toEqual(expect.arrayContaining(['force:feed', 'stopped:config']));
    expect(log.indexOf('force:feed')).toBeLessThan(log.indexOf('stop:config'));
    expect(records).toEqual([
      { name: 'config', outcome: 'finished', ms: 10 },
      { name: 'feed', outcome: 'forced', ms: 300 },
    ]);
  });

  it('caps a budget at the time left and forces a stop that fails', async () => {
    const log: string[] = [];
    const escalations: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    const slow = component('slow', [], log, { hangStop: true, stopBudgetMs: 10_000 });
    host.add(slow);
    host.add(component('broken', [], log, { failStop: 'socket already closed' }));
    const started = host.startAll();
    await vi.runAllTimersAsync();
    await started;
    const stopped = host.stopAll({ deadlineAt: Date.now() + 700, onEscalation: (m) => escalations.push(m) });
    await vi.advanceTimersByTimeAsync(700);
    const records = await stopped;
    expect(records).toEqual([
      { name: 'slow', outcome: 'forced', ms: 700 },
      { name: 'broken', outcome: 'failed', ms: 0, error: 'socket already closed' },
    ]);
    expect(host.state('broken')).toBe('failed');
    expect(log).toEqual(expect.arrayContaining(['force:slow', 'force:broken']));
    expect(escalations).toEqual(['broken: stop failed (socket already closed); forcing', 'slow: stop budget of 700 ms ran out; forcing']);
  });

  it('shares the time left over the longest chain when a component has no budget of its own', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    host.add(component('a', [], log, { stopMs: 10 }));
    host.add(component('b', ['a'], log, { hangStop: true }));
    const started = host.startAll();
    await vi.runAllTimersAsync();
    await started;
    const stopped = host.stopAll({ deadlineAt: Date.now() + 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    const records = await stopped;
    // Two components in the chain: b gets half of the 1000 ms, a still has time to stop.
    expect(records).toEqual([
      { name: 'a', outcome: 'finished', ms: 10 },
      { name: 'b', outcome: 'forced', ms: 500 },
    ]);
  });

  it('forceAll aborts everything not final at once', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    const a = component('a', [], log, { hangStop: true });
    host.add(a);
    host.add(component('b', ['a'], log, { hangStop: true }));
    const started = host.startAll();
    await vi.runAllTimersAsync();
    await started;
    void host.stopAll({ deadlineAt: Date.now() + 10_000 });
    await vi.advanceTimersByTimeAsync(100);
    expect(log).toEqual(['start:a', 'started:a', 'start:b', 'started:b', 'stop:b']);
    await host.forceAll('quit now');
    expect(host.snapshot()).toEqual([
      { name: 'a', state: 'forced', elapsedMs: 0 },
      { name: 'b', state: 'forced', elapsedMs: 100 },
    ]);
    expect(log.slice(5).sort()).toEqual(['force:a', 'force:b']);
    // a never got its graceful stop: it was forced before b had finished.
    expect(log).not.toContain('stop:a');
  });

  it('a shutdown during startup aborts the start instead of waiting for it: it is skipped, not failed, and what started stops', async () => {
    const log: string[] = [];
    const host = new ComponentHost({ scheduler: fakeScheduler });
    host.add(component('config', [], log, { stopMs: 10 }));
    host.add(component('streaming', ['config'], log, { startMs: 5000, abortableStart: true }));
    host.add(component('ui', ['streaming'], log));
    const started = host.startAll();
    const outcome = expect(started).rejects.toThrow('startup interrupted by shutdown');
    await vi.advanceTimersByTimeAsync(100);
    expect(host.state('streaming')).toBe('starting');
    const t0 = Date.now();
    const stopped = host.stopAll({ deadlineAt: t0 + 3000 });
    await vi.advanceTimersByTimeAsync(10);
    const records = await stopped;
    await outcome;
    // Over in the 10 ms config takes to stop, not after the 4.9 s the start had left.
    expect(Date.now() - t0).toBe(10);
    expect(log).toEqual(['start:config', 'started:config', 'start:streaming', 'start-aborted:streaming', 'force:streaming', 'stop:config', 'stopped:config']);
    expect(records).toEqual([
      { name: 'config', outcome: 'finished', ms: 10 },
      { name: 'streaming', outcome: 'skipped', ms: 0 },
      { name: 'ui', outcome: 'skipped', ms: 0 },
    ]);
    expect(host.snapshot().map((c) => c.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });
});
