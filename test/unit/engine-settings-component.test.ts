// The settings save at quit is not cut short by the default share of the shutdown
// deadline: a slow atomic write (a busy disk) still finishes, and the quit stays clean.
import { describe, expect, it, vi } from 'vitest';
import { ComponentHost } from '../../electron/engine/lifecycle/component-host';
import { SettingsComponent, SETTINGS_STOP_BUDGET_MS, type SettingsSource } from '../../electron/engine/settings/settings-component';
import type { Component } from '../../electron/engine/lifecycle/component';
import { defaultSettings } from '../../shared/settings';
import { fakeScheduler } from '../support/fake-scheduler';
import { fakeTimersInEachTest } from '../support/fake-timers';

fakeTimersInEachTest();

const instant = (name: string, dependsOn: string[]): Component => ({ name, dependsOn, start: async () => undefined, stop: async () => undefined });

describe('SettingsComponent at quit', () => {
  it('a save slower than the default share of the deadline finishes, within its own budget', async () => {
    const log: string[] = [];
    const settings = defaultSettings();
    const source: SettingsSource = {
      get: () => settings,
      update: () => settings,
      commitChecked: () => settings,
      flush: () => new Promise<void>((r) => setTimeout(() => (log.push('saved'), r()), 800)),
    };
    const host = new ComponentHost({ scheduler: fakeScheduler });
    // the engine's chain: settings, then the renderer link, then the log flush
    host.add(instant('log-flush', []));
    host.add(instant('renderer-link', ['log-flush']));
    host.add(new SettingsComponent(source, ['renderer-link']));
    const started = host.startAll();
    await vi.runAllTimersAsync();
    await started;
    const escalations: string[] = [];
    // 1,200 ms over a chain of 3: a default share of 400 ms, half the save's 800
    const stopped = host.stopAll({ deadlineAt: Date.now() + 1200, onEscalation: (m) => escalations.push(m) });
    await vi.advanceTimersByTimeAsync(1200);
    const records = await stopped;
    expect(log).toEqual(['saved']);
    expect(escalations).toEqual([]);
    expect(records.find((r) => r.name === 'settings')).toEqual({ name: 'settings', outcome: 'finished', ms: 800 });
    expect(SETTINGS_STOP_BUDGET_MS).toBeGreaterThan(800);
  });
});
