// assembleEngine: the quit path is built first and the engine over it, so the
// coordinator's exit, a host's quit triggers and a renderer's Quit meet one policy.
import { describe, expect, it } from 'vitest';
import { assembleEngine } from '../../electron/engine/assemble-engine';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { defaultSettings, type Settings } from '../../shared/settings';
import { until } from '../support/until';
import { quietLogger } from '../support/loggers';

function assemble(loadProblem?: string) {
  const trace: string[] = [];
  const deferred: (() => void)[] = [];
  let settings: Settings = defaultSettings();
  const { engine, quit } = assembleEngine({
    kind: 'headless',
    log: quietLogger,
    settings: {
      get: () => settings,
      update: (change) => (settings = change(settings)),
      commitChecked: (next) => (settings = next),
      flush: async () => undefined,
      loadResult: loadProblem ? { problem: { message: loadProblem } } : undefined,
    },
    spawnStreaming: () => {
      throw new Error('not started in this test');
    },
    flushLogs: () => void trace.push('logs flushed'),
    exitApp: (code) => void trace.push(`exitApp(${code})`),
    defer: (fn) => {
      trace.push('deferred');
      deferred.push(fn);
    },
  });
  const runDeferred = (): void => {
    for (const fn of deferred.splice(0)) fn();
  };
  return { engine, quit, trace, runDeferred };
}

describe('assembleEngine', () => {
  it('the coordinator stops the components the engine registered and exits through the policy: on a later tick, once', async () => {
    const { engine, quit, trace, runDeferred } = assemble();
    const registered = engine.components.snapshot().map((c) => c.name);
    expect(registered).toEqual(expect.arrayContaining(['log-flush', 'renderer-link', 'settings', 'sim-exchange', 'streaming', 'diagnostics']));

    const result = await engine.shutdown('menu-quit');
    expect(result.components.map((c) => c.name).sort()).toEqual([...registered].sort());
    // The drain ran to its end (logs flushed before the exit); the policy holds the exit for a later tick.
    expect(trace).toEqual(['logs flushed', 'deferred']);
    expect(quit.finished).toBe(true);
    runDeferred();
    expect(trace.at(-1)).toBe('exitApp(0)');

    quit.request('menu-quit again');
    await engine.shutdown('menu-quit again');
    runDeferred();
    expect(trace.filter((t) => t.startsWith('exitApp'))).toEqual(['exitApp(0)']);
  });

  it("a renderer's Quit and a host's signal meet the same policy: the duplicate is coalesced, not escalated", async () => {
    const { engine, quit, trace, runDeferred } = assemble();
    engine.renderers.attach({ id: 'r1', send: () => undefined });
    engine.renderers.receive('r1', { type: 'quit', force: false });
    expect(engine.coordinator.state).toBe('running');
    quit.onSignal('SIGINT'); // Ctrl+C right after clicking Quit: the same intent

    await until(() => trace.includes('deferred'), 'the exit to be deferred');
    runDeferred();
    expect(engine.coordinator.result).toMatchObject({ trigger: 'renderer: quit', clean: true, escalations: [] });
    expect(trace.at(-1)).toBe('exitApp(0)');
  });

  it('a settings file kept aside at start-up is a warning every renderer is greeted with', () => {
    const { engine } = assemble('settings.json was invalid and has been kept aside');
    const received: ToRenderer[] = [];
    engine.renderers.attach({ id: 'r1', send: (m) => void received.push(m) });
    expect(received).toContainEqual({ type: 'notice', level: 'warn', message: 'settings.json was invalid and has been kept aside' });
  });
});
