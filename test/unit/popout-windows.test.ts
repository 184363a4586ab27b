// Desktop pop-out windows (issue 12 point 3): one window per panel, bounded, each
// registered with an owner, all closed by the shutdown and none opened after it;
// the engine passes requests to the host's windows or, headless, says why not; a
// pop-out renderer shows one panel and follows the workspaces main broadcasts.
import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { PopoutWindows, popoutPath, type PopoutWindow } from '../../electron/engine/host/popout-windows';
import { assembleEngine, type EngineAssemblyOptions } from '../../electron/engine/assemble-engine';
import { NO_POPOUTS } from '../../electron/engine/engine';
import type { Logger } from '../../electron/engine/log/logger';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { defaultSettings, type Settings } from '../../shared/settings';
import { defaultWorkspace } from '../../shared/workspace';
import { createAppStore } from '../../renderer/src/state/app-store';
import { popoutPanel } from '../../renderer/src/workspace/popout';
import { panelShown } from '../../renderer/src/workspace/linked-instrument';

function windows(max?: number) {
  const trace: string[] = [];
  const closers = new Map<string, () => void>();
  const owner = new Owner('popout-windows');
  const popouts = new PopoutWindows({
    owner,
    ...(max !== undefined ? { max } : {}),
    open: (id, closed): PopoutWindow => {
      trace.push(`open ${id}`);
      closers.set(id, () => {
        trace.push(`closed ${id}`);
        closed();
      });
      return { focus: () => trace.push(`focus ${id}`), close: () => closers.get(id)!() };
    },
  });
  return { popouts, trace, owner, userCloses: (id: string) => closers.get(id)!() };
}

describe('PopoutWindows', () => {
  it('one window per panel: asking again brings it forward; closed by the trader, it can open again', () => {
    const w = windows();
    expect(w.popouts.request('chart-2')).toBeUndefined();
    expect(w.popouts.request('chart-2')).toBeUndefined();
    expect(w.popouts.request('ladder-1')).toBeUndefined();
    expect(w.owner.size()).toBe(2);
    w.userCloses('chart-2');
    expect(w.owner.size()).toBe(1);
    expect(w.popouts.openPanels).toEqual(['ladder-1']);
    w.popouts.request('chart-2');
    expect(w.trace).toEqual(['open chart-2', 'focus chart-2', 'open ladder-1', 'closed chart-2', 'open chart-2']);
  });

  it('the shutdown closes every window and refuses new ones', () => {
    const w = windows();
    w.popouts.request('chart-1');
    w.popouts.request('tape-1');
    w.popouts.closeAll();
    expect(w.trace).toEqual(['open chart-1', 'open tape-1', 'closed tape-1', 'closed chart-1']); // newest first, as every owner stops
    expect(w.popouts.openPanels).toEqual([]);
    expect(w.popouts.request('chart-3')).toBe('The app is shutting down: no new windows.');
    expect(w.trace).toHaveLength(4);
  });

  it('bounds the number of windows and refuses what is not a panel id', () => {
    const w = windows(2);
    w.popouts.request('chart-1');
    w.popouts.request('chart-2');
    expect(w.popouts.request('chart-3')).toBe('At most 2 pop-out windows; close one first.');
    expect(w.popouts.request('../../etc/passwd')).toBe('"../../etc/passwd" is not a panel.');
    expect(w.trace).toEqual(['open chart-1', 'open chart-2']);
    expect(popoutPath('chart-2')).toBe('/index.html?panel=chart-2');
    expect(() => popoutPath('x?y')).toThrow();
  });
});

describe('engine: pop-out requests', () => {
  function engine(popouts?: { request(id: string): string | undefined }) {
    const log: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, write: () => undefined, scope: () => log };
    let settings: Settings = defaultSettings();
    const host: EngineAssemblyOptions = {
      kind: popouts ? 'electron' : 'headless',
      log,
      settings: { get: () => settings, update: (change) => (settings = change(settings)), commitChecked: (next) => (settings = next), flush: async () => undefined },
      spawnStreaming: () => {
        throw new Error('not started in this test');
      },
      flushLogs: () => undefined,
      exitApp: () => undefined,
      ...(popouts ? { popouts } : {}),
    };
    const { engine: e } = assembleEngine(host);
    const received: ToRenderer[] = [];
    e.renderers.attach({ id: 'r1', send: (m) => received.push(m) });
    const notices = () => received.filter((m) => m.type === 'notice').map((m) => (m as { message: string }).message);
    return { e, notices };
  }

  it('headless: the renderer is told pop-outs are a desktop feature', () => {
    const t = engine();
    t.e.renderers.receive('r1', { type: 'popout', panel: 'chart-2' });
    expect(t.notices()).toEqual([NO_POPOUTS]);
  });

  it('desktop: the request reaches the windows; a refusal is told; a bad id never gets there', () => {
    const asked: string[] = [];
    const t = engine({ request: (id) => (asked.push(id), id === 'chart-9' ? 'At most 8 pop-out windows; close one first.' : undefined) });
    t.e.renderers.receive('r1', { type: 'popout', panel: 'chart-2' });
    t.e.renderers.receive('r1', { type: 'popout', panel: 'chart-9' });
    t.e.renderers.receive('r1', { type: 'popout', panel: 'javascript:alert(1)' });
    expect(asked).toEqual(['chart-2', 'chart-9']);
    expect(t.notices()).toContain('At most 8 pop-out windows; close one first.');
  });
});

describe('pop-out renderer', () => {
  it('reads its panel from the URL and follows the workspaces of every settings broadcast', () => {
    expect(popoutPanel('?panel=chart-2')).toBe('chart-2');
    expect(popoutPanel('')).toBeNull();
    expect(popoutPanel('?panel=<script>')).toBeNull();
    const app = createAppStore('electron', { status: 'open' }, 'chart-2');
    const settings = defaultSettings();
    const ws = { ...defaultWorkspace(), panels: { ...defaultWorkspace().panels, 'chart-2': { kind: 'chart' as const, link: 'green' as const, timeframe: '1m' as const } } };
    settings.ui.workspaces = { active: 'Default', list: [{ ...ws, links: { green: { exchange: 'sim', symbol: 'ETH/USDT' } } }] };
    app.getState().applyHello('electron', settings);
    expect(app.getState().activePanel).toBe('chart-2');
    expect(panelShown(app.getState(), 'chart-2')).toEqual({ exchange: 'sim', symbol: 'ETH/USDT' });
    // The main window moved green to SOL and saved: the broadcast carries it here.
    const next = structuredClone(settings);
    next.ui.workspaces.list[0]!.links = { green: { exchange: 'sim', symbol: 'SOL/USDT' } };
    app.getState().applySettings(next);
    expect(panelShown(app.getState(), 'chart-2')).toEqual({ exchange: 'sim', symbol: 'SOL/USDT' });
  });

  it('the main window keeps its own workspaces when its saves are echoed', () => {
    const app = createAppStore('electron', { status: 'open' });
    app.getState().applyHello('electron', defaultSettings());
    const mine = app.getState().workspaces;
    app.getState().applySettings(defaultSettings());
    expect(app.getState().workspaces).toBe(mine);
  });
});
