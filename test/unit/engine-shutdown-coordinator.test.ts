import { describe, expect, it, vi } from 'vitest';
import type { ShutdownProgress } from '../../shared/contract/renderer-api';
import { ShutdownProgressSchema } from '../../shared/contract/renderer-api';
import type { Component } from '../../electron/engine/lifecycle/component';
import { ComponentHost } from '../../electron/engine/lifecycle/component-host';
import { fakeScheduler } from '../support/fake-scheduler';
import { ShutdownCoordinator, type ShutdownCoordinatorOptions } from '../../electron/engine/shutdown/coordinator';
import { Owner } from '../../shared/lifecycle/owner';
import { fakeTimersInEachTest } from '../support/fake-timers';

interface Behaviour {
  stopMs?: number;
  hangStop?: boolean;
  failStop?: string;
  stopBudgetMs?: number;
}

function component(name: string, dependsOn: string[], events: string[], b: Behaviour = {}): Component & { stopSignal?: AbortSignal } {
  const c: Component & { stopSignal?: AbortSignal } = {
    name,
    dependsOn,
    ...(b.stopBudgetMs !== undefined ? { stopBudgetMs: b.stopBudgetMs } : {}),
    start: async () => undefined,
    stop: async (signal) => {
      c.stopSignal = signal;
      events.push(`stop:${name}@${Date.now() - T0}`);
      if (b.hangStop) return new Promise<void>(() => undefined);
      await new Promise((r) => setTimeout(r, b.stopMs ?? 0));
      if (b.failStop) throw new Error(b.failStop);
      events.push(`stopped:${name}@${Date.now() - T0}`);
    },
    forceStop: () => void events.push(`force:${name}@${Date.now() - T0}`),
  };
  return c;
}

let T0 = 0;

interface Rig {
  coordinator: ShutdownCoordinator;
  host: ComponentHost;
  events: string[];
  progress: ShutdownProgress[];
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  exits: number[];
}

async function rig(components: (events: string[]) => Component[], options: Partial<ShutdownCoordinatorOptions> = {}): Promise<Rig> {
  const events: string[] = [];
  const host = new ComponentHost({ scheduler: fakeScheduler, forceStopTimeoutMs: 100 });
  for (const c of components(events)) host.add(c);
  const started = host.startAll();
  await vi.runAllTimersAsync();
  await started;
  T0 = Date.now();
  const logs: Rig['logs'] = [];
  const exits: number[] = [];
  const logger = {
    info: (message: string, fields?: Record<string, unknown>) => logs.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message: string, fields?: Record<string, unknown>) => logs.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message: string, fields?: Record<string, unknown>) => logs.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
  const coordinator = new ShutdownCoordinator({
    components: host,
    logger,
    exit: (code) => {
      events.push(`exit:${code}@${Date.now() - T0}`);
      exits.push(code);
    },
    scheduler: fakeScheduler,
    ...options,
  });
  const progress: ShutdownProgress[] = [];
  coordinator.onProgress((p) => progress.push(p));
  return { coordinator, host, events, progress, logs, exits };
}

/** Phases in the order they were first reported. */
function phases(progress: ShutdownProgress[]): string[] {
  return progress.map((p) => p.phase).filter((p, i, all) => all.indexOf(p) === i);
}

fakeTimersInEachTest();

describe('ShutdownCoordinator', () => {
  it('runs signal → graceful → kill → done, logs one report, flushes, then exits 0', async () => {
    const r = await rig((ev) => [component('settings', [], ev, { stopMs: 20 }), component('streaming', ['settings'], ev, { stopMs: 100 })]);
    r.coordinator.onSignal('stop accepting work', () => void r.events.push(`signal@${Date.now() - T0}`));
    r.coordinator.addKillHook('streaming process', (remaining) => void r.events.push(`kill(${remaining})@${Date.now() - T0}`));
    r.coordinator.addBeforeExit('flush logs', () => void r.events.push(`flush:${r.logs.length}`));
    const done = r.coordinator.request('menu-quit');
    await vi.advanceTimersByTimeAsync(1000);
    const result = await done;

    expect(phases(r.progress)).toEqual(['signal', 'graceful', 'kill', 'done']);
    expect(r.events).toEqual([
      'signal@0',
      'stop:streaming@0',
      'stopped:streaming@100',
      'stop:settings@100',
      'stopped:settings@120',
      'kill(2880)@120', // 3000 ms deadline from the request
      'flush:1', // after the report record was written
      'exit:0@120',
    ]);
    expect(result).toEqual({
      clean: true,
      exitCode: 0,
      trigger: 'menu-quit',
      durationMs: 120,
      components: [
        { name: 'settings', outcome: 'finished', ms: 20 },
        { name: 'streaming', outcome: 'finished', ms: 100 },
      ],
      escalations: [],
      leftoverTasks: {},
    });
    expect(r.logs).toEqual([{ level: 'info', message: 'shutdown report', fields: { ...result } }]);
    expect(r.coordinator.state).toBe('done');
    for (const p of r.progress) expect(ShutdownProgressSchema.safeParse(p).success).toBe(true);
    expect(r.progress.at(-1)).toMatchObject({ phase: 'done', trigger: 'menu-quit', deadlineMs: 3000, startedAt: T0 });
  });

  it('emits the first progress synchronously inside request()', async () => {
    const r = await rig((ev) => [component('a', [], ev, { stopMs: 10 })]);
    const p = r.coordinator.request('window-close');
    expect(r.progress).toHaveLength(1);
    expect(r.progress[0]).toEqual({ phase: 'signal', trigger: 'window-close', startedAt: T0, deadlineMs: 3000, components: [{ name: 'a', state: 'running' }], escalations: [] });
    expect(r.coordinator.progress).toBe(r.progress[0]);
    await vi.runAllTimersAsync();
    await p;
  });

  it('joins every trigger into one run with one exit', async () => {
    const r = await rig((ev) => [component('a', [], ev, { stopMs: 10 })]);
    const first = r.coordinator.request('before-quit');
    const second = r.coordinator.request('window-all-closed');
    const third = r.coordinator.request('signal:SIGTERM');
    expect(second).toBe(first);
    expect(third).toBe(first);
    await vi.runAllTimersAsync();
    const result = await first;
    expect(result.trigger).toBe('before-quit');
    expect(r.exits).toEqual([1]); // the second request escalated (see next test)
    // After it finished, a request only returns the same result.
    expect(await r.coordinator.request('late')).toBe(result);
    expect(r.exits).toHaveLength(1);
    expect(r.logs.filter((l) => l.message === 'shutdown report')).toHaveLength(1);
  });

  it('skips to the force phase on a second request while running', async () => {
    const r = await rig((ev) => [component('feed', [], ev, { hangStop: true })]);
    const p = r.coordinator.request('ctrl+q');
    await vi.advanceTimersByTimeAsync(400);
    expect(r.coordinator.progress?.phase).toBe('graceful');
    void r.coordinator.request('ctrl+q');
    await vi.advanceTimersByTimeAsync(0);
    const result = await p;
    expect(phases(r.progress)).toEqual(['signal', 'graceful', 'force', 'kill', 'done']);
    expect(r.events).toEqual(['stop:feed@0', 'force:feed@400', 'exit:1@400']);
    expect(result.escalations).toEqual(['second quit request (ctrl+q) while shutting down']);
    expect(result.components).toEqual([{ name: 'feed', outcome: 'forced', ms: 400 }]);
    expect(result).toMatchObject({ clean: false, exitCode: 1, durationMs: 400 });
    expect(r.logs).toEqual([expect.objectContaining({ level: 'warn', message: 'shutdown report' })]);
  });

  it('force:true as the first request goes straight to force ("Quit now")', async () => {
    const r = await rig((ev) => [component('a', [], ev, { stopMs: 10 }), component('b', ['a'], ev, { stopMs: 10 })]);
    const signalled: string[] = [];
    r.coordinator.onSignal('x', () => void signalled.push('x'));
    const p = r.coordinator.request('renderer: quit now', { force: true });
    expect(r.progress[0]?.phase).toBe('force');
    await vi.runAllTimersAsync();
    const result = await p;
    expect(phases(r.progress)).toEqual(['force', 'kill', 'done']);
    expect(signalled).toEqual([]);
    expect(r.events.filter((e) => e.startsWith('stop:'))).toEqual([]);
    expect(r.events.filter((e) => e.startsWith('force:')).sort()).toEqual(['force:a@0', 'force:b@0']);
    expect(result).toMatchObject({ exitCode: 1, escalations: ['quit now requested (renderer: quit now)'] });
  });

  it('force:true while running escalates the running shutdown', async () => {
    const r = await rig((ev) => [component('feed', [], ev, { hangStop: true })]);
    const p = r.coordinator.request('window-close');
    await vi.advanceTimersByTimeAsync(1500);
    void r.coordinator.request('renderer: quit now', { force: true });
    await vi.advanceTimersByTimeAsync(0);
    const result = await p;
    expect(result.escalations).toEqual(['quit now requested (renderer: quit now)']);
    expect(result.durationMs).toBe(1500);
    expect(r.events).toContain('force:feed@1500');
  });

  it('escalates to force when the graceful window of the overall deadline runs out, then kills with the time left', async () => {
    let feed!: ReturnType<typeof component>;
    const r = await rig((ev) => [(feed = component('feed', [], ev, { hangStop: true, stopBudgetMs: 60_000 }))], { deadlineMs: 1000 });
    const killed: number[] = [];
    r.coordinator.addKillHook('streaming process', (remaining) => void killed.push(remaining));
    const p = r.coordinator.request('SIGTERM');
    await vi.advanceTimersByTimeAsync(749);
    expect(r.coordinator.progress?.phase).toBe('graceful');
    expect(feed.stopSignal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // 1000 ms deadline, a quarter kept for force and kill: graceful ends at 750.
    expect(feed.stopSignal?.aborted).toBe(true);
    const result = await p;
    expect(phases(r.progress)).toEqual(['signal', 'graceful', 'force', 'kill', 'done']);
    expect(killed).toEqual([250]);
    expect(result.escalations).toEqual(['graceful phase ran out after 750 ms; still stopping: feed']);
    expect(result.components).toEqual([{ name: 'feed', outcome: 'forced', ms: 750 }]);
    expect(result.exitCode).toBe(1);
  });

  it('never waits past the overall deadline: a hung forceStop and a hung kill hook are abandoned', async () => {
    const events: string[] = [];
    const stuck: Component = {
      name: 'stuck',
      dependsOn: [],
      start: async () => undefined,
      stop: () => new Promise<void>(() => undefined),
      forceStop: () => new Promise<void>(() => undefined),
    };
    const r = await rig(() => [stuck], { deadlineMs: 2000 });
    r.coordinator.addKillHook('hung', () => new Promise<void>(() => undefined));
    r.coordinator.addBeforeExit('flush', () => void events.push(`flush@${Date.now() - T0}`));
    const p = r.coordinator.request('session-end');
    await vi.advanceTimersByTimeAsync(2000);
    const result = await p;
    expect(result.durationMs).toBe(2000);
    expect(result.escalations).toEqual([
      'graceful phase ran out after 1500 ms; still stopping: stuck',
      'kill hooks still running at the deadline: hung',
    ]);
    expect(result.components).toEqual([{ name: 'stuck', outcome: 'forced', ms: 1600, error: 'forceStop did not return within 100 ms' }]);
    expect(events).toEqual(['flush@2000']);
    expect(r.exits).toEqual([1]);
  });

  it('keeps per-component budgets inside the graceful phase and records failures', async () => {
    const r = await rig((ev) => [
      component('settings', [], ev, { stopMs: 10 }),
      component('feed', ['settings'], ev, { hangStop: true, stopBudgetMs: 200 }),
      component('link', ['settings'], ev, { failStop: 'already closed' }),
    ]);
    const p = r.coordinator.request('window-all-closed');
    await vi.advanceTimersByTimeAsync(500);
    const result = await p;
    // Forced on its own budget while the run stayed graceful: no overall force phase.
    expect(phases(r.progress)).toEqual(['signal', 'graceful', 'kill', 'done']);
    expect(r.events.indexOf('force:feed@200')).toBeLessThan(r.events.indexOf('stop:settings@200'));
    expect(result.components).toEqual([
      { name: 'settings', outcome: 'finished', ms: 10 },
      { name: 'feed', outcome: 'forced', ms: 200 },
      { name: 'link', outcome: 'failed', ms: 0, error: 'already closed' },
    ]);
    expect(result.escalations).toEqual(['link: stop failed (already closed); forcing', 'feed: stop budget of 200 ms ran out; forcing']);
    expect(result).toMatchObject({ clean: false, exitCode: 1, durationMs: 210 });
  });

  it('reports every component change as progress during the graceful phase', async () => {
    const r = await rig((ev) => [component('a', [], ev, { stopMs: 50 })]);
    const p = r.coordinator.request('x');
    await vi.runAllTimersAsync();
    await p;
    const states = r.progress.map((q) => `${q.phase}:${q.components[0]!.state}`);
    expect(states).toEqual(['signal:running', 'graceful:running', 'graceful:stopping', 'graceful:stopped', 'kill:stopped', 'done:stopped']);
    expect(r.progress.at(-1)!.components[0]).toEqual({ name: 'a', state: 'stopped', elapsedMs: 50 });
  });

  it('does not let a hung beforeExit hook keep the process alive', async () => {
    const r = await rig(() => [], { beforeExitTimeoutMs: 300 });
    r.coordinator.addBeforeExit('hung flush', () => new Promise<void>(() => undefined));
    const p = r.coordinator.request('x');
    await vi.advanceTimersByTimeAsync(300);
    await p;
    expect(r.exits).toEqual([0]);
    expect(r.logs.map((l) => l.message)).toEqual(['shutdown report', 'beforeExit hook "hung flush" did not finish within 300 ms']);
  });

  it('closes the components\' owner tree at the report: what stopped is gone, what hangs is reported and makes it unclean', async () => {
    const tasks = new Owner('engine/tasks');
    const stopped: string[] = [];
    tasks.add('bus:status', () => void stopped.push('bus:status'));
    tasks.child('streaming-supervisor').add('heartbeat-watch', () => void stopped.push('heartbeat-watch'));
    tasks.add('socket', () => new Promise<void>(() => undefined)); // a close that never completes
    const closes: number[] = [];
    const r = await rig((ev) => [component('settings', [], ev, { stopMs: 20 })], {
      closeTasks: (withinMs) => {
        closes.push(withinMs);
        return tasks.close(withinMs, fakeScheduler);
      },
    });
    r.coordinator.addBeforeExit('flush logs', () => void r.events.push(`flush@${Date.now() - T0}`));
    const done = r.coordinator.request('menu-quit');
    await vi.advanceTimersByTimeAsync(5000);
    const result = await done;
    expect(closes).toEqual([2980]); // the time left to the 3000 ms deadline
    expect(stopped).toEqual(['heartbeat-watch', 'bus:status']); // children first, then newest first
    expect(r.events).toEqual(['stop:settings@0', 'stopped:settings@20', 'flush@3000', 'exit:1@3000']);
    expect(result).toMatchObject({ clean: false, exitCode: 1, escalations: [], leftoverTasks: { socket: 1 } });
    expect(r.logs[0]).toMatchObject({ level: 'warn', message: 'shutdown report', fields: { leftoverTasks: { socket: 1 } } });
    expect(tasks.size()).toBe(0);
  });

  it('reports no leftovers when everything the components started has stopped', async () => {
    const tasks = new Owner('engine/tasks');
    tasks.add('timer', () => undefined);
    const r = await rig((ev) => [component('settings', [], ev)], { closeTasks: (withinMs) => tasks.close(withinMs, fakeScheduler) });
    const done = r.coordinator.request('menu-quit');
    await vi.advanceTimersByTimeAsync(100);
    expect(await done).toMatchObject({ clean: true, exitCode: 0, leftoverTasks: {} });
    expect(tasks.isDisposed).toBe(true);
    expect(r.exits).toEqual([0]);
  });
});
