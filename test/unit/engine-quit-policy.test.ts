import { describe, expect, it, vi } from 'vitest';
import { ComponentHost } from '../../electron/engine/lifecycle/component-host';
import type { Scheduler } from '../../electron/engine/lifecycle/scheduler';
import { ShutdownCoordinator, type ShutdownRequestOptions, type ShutdownResult } from '../../electron/engine/shutdown/coordinator';
import { QuitPolicy, type ShutdownRequester } from '../../electron/engine/shutdown/quit-policy';
import { fakeTimersInEachTest } from '../support/fake-timers';

/** Records requests; the test decides when the shutdown finishes (by calling policy.exit like the coordinator). */
class FakeShutdown implements ShutdownRequester {
  state: 'idle' | 'running' | 'done' = 'idle';
  readonly requests: string[] = [];
  private readonly run = new Promise<ShutdownResult>(() => undefined);
  request(trigger: string, options: ShutdownRequestOptions = {}): Promise<ShutdownResult> {
    this.requests.push(options.force ? `${trigger} (force)` : trigger);
    if (this.state === 'idle') this.state = 'running';
    return this.run;
  }
}

function setup(coalesceMs = 250) {
  const shutdown = new FakeShutdown();
  const exits: number[] = [];
  const deferred: (() => void)[] = [];
  let clock = 1000;
  const policy = new QuitPolicy({
    shutdown,
    exitApp: (code) => exits.push(code),
    defer: (fn) => deferred.push(fn),
    now: () => clock,
    coalesceMs,
  });
  const runDeferred = (): void => {
    for (const fn of deferred.splice(0)) fn();
  };
  return { shutdown, policy, exits, runDeferred, advance: (ms: number) => (clock += ms) };
}

describe('QuitPolicy', () => {
  it('before-quit: prevent and drain, prevent and force on a repeat, allow after the drain (no loop)', () => {
    const { shutdown, policy, exits, runDeferred, advance } = setup();
    expect(policy.onBeforeQuit()).toBe('prevent');
    expect(shutdown.requests).toEqual(['before-quit']);

    advance(1000);
    expect(policy.onBeforeQuit()).toBe('prevent'); // user pressed Cmd+Q again
    expect(shutdown.requests).toEqual(['before-quit', 'before-quit (force)']);

    // The coordinator finishes and calls the policy's exit...
    policy.exit(1);
    shutdown.state = 'done';
    // ...which must not call app.exit in the same tick.
    expect(exits).toEqual([]);
    // A prevented before-quit made Electron fire it again on the next app.quit(): now allowed.
    expect(policy.onBeforeQuit()).toBe('allow');
    expect(policy.onBeforeQuit()).toBe('allow');
    expect(shutdown.requests).toHaveLength(2);
    runDeferred();
    expect(exits).toEqual([1]);
    policy.exit(1);
    runDeferred();
    expect(exits).toEqual([1]); // once
  });

  it('treats a repeat within the coalescing window as the same intent (one Ctrl+C = SIGINT + before-quit)', () => {
    const { shutdown, policy, advance } = setup(250);
    policy.onSignal('SIGINT');
    advance(5);
    expect(policy.onBeforeQuit()).toBe('prevent');
    expect(shutdown.requests).toEqual(['signal:SIGINT']);
    advance(300);
    policy.onSignal('SIGINT');
    expect(shutdown.requests).toEqual(['signal:SIGINT', 'signal:SIGINT (force)']);
  });

  it('signals: the first drains, the second forces, none after the drain', () => {
    const { shutdown, policy, advance } = setup();
    policy.onSignal('SIGTERM');
    advance(500);
    policy.onSignal('SIGTERM');
    expect(shutdown.requests).toEqual(['signal:SIGTERM', 'signal:SIGTERM (force)']);
    policy.exit(0);
    policy.onSignal('SIGHUP');
    expect(shutdown.requests).toHaveLength(2);
  });

  it('window-all-closed starts the drain but never escalates one (windows close during shutdown)', () => {
    const { shutdown, policy, advance } = setup();
    policy.onWindowAllClosed();
    advance(1000);
    policy.onWindowAllClosed();
    expect(shutdown.requests).toEqual(['window-all-closed']);
    advance(1000);
    expect(policy.onBeforeQuit()).toBe('prevent');
    expect(shutdown.requests).toEqual(['window-all-closed', 'before-quit (force)']);
  });

  it('query-session-end delays the session end while the same drain runs, and allows it afterwards', () => {
    const { shutdown, policy, advance } = setup();
    expect(policy.onQuerySessionEnd()).toBe('prevent');
    advance(1000);
    expect(policy.onQuerySessionEnd()).toBe('prevent');
    expect(shutdown.requests).toEqual(['session-end']);
    policy.exit(0);
    expect(policy.onQuerySessionEnd()).toBe('allow');
  });

  it('request(trigger, {force}) is the renderer/menu entry: force goes straight to force', () => {
    const { shutdown, policy } = setup();
    policy.request('renderer: quit now', { force: true });
    expect(shutdown.requests).toEqual(['renderer: quit now (force)']);
  });

  it('joins a shutdown started elsewhere without escalating on the first event it sees', () => {
    const { shutdown, policy, advance } = setup();
    void shutdown.request('renderer: quit');
    expect(policy.onBeforeQuit()).toBe('prevent');
    expect(shutdown.requests).toEqual(['renderer: quit']);
    advance(1000);
    expect(policy.onBeforeQuit()).toBe('prevent');
    expect(shutdown.requests).toEqual(['renderer: quit', 'before-quit (force)']);
  });
});

describe('QuitPolicy with the real coordinator', () => {
  fakeTimersInEachTest();

  it('before-quit drains, app.exit comes from a later tick with the exit code, re-fired before-quit is allowed', async () => {
    const scheduler: Scheduler = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        const h = setTimeout(fn, ms);
        return () => clearTimeout(h);
      },
    };
    const host = new ComponentHost({ scheduler });
    const stops: string[] = [];
    host.add({ name: 'feed', dependsOn: [], start: async () => undefined, stop: async () => void stops.push('feed') });
    await host.startAll();
    const appExits: number[] = [];
    const ticks: (() => void)[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    // The coordinator's exit goes through the policy (created right after it), as in electron/main.
    const exitVia: { policy?: QuitPolicy } = {};
    const coordinator = new ShutdownCoordinator({ components: host, logger: log, scheduler, exit: (code) => exitVia.policy!.exit(code) });
    const policy = (exitVia.policy = new QuitPolicy({ shutdown: coordinator, exitApp: (code) => appExits.push(code), defer: (fn) => ticks.push(fn) }));

    expect(policy.onBeforeQuit()).toBe('prevent');
    expect(coordinator.state).toBe('running');
    await vi.runAllTimersAsync();
    expect(stops).toEqual(['feed']);
    expect(coordinator.state).toBe('done');
    expect(appExits).toEqual([]); // not from inside the coordinator's tick
    expect(policy.onBeforeQuit()).toBe('allow');
    for (const fn of ticks.splice(0)) fn();
    expect(appExits).toEqual([0]);
  });
});
