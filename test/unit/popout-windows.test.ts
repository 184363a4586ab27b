// Desktop pop-out windows (issue 12 point 3): one window per panel, bounded, each
// registered with an owner, all closed by the shutdown and none opened after it;
// which panels are out and where is reported (debounced) for settings, the shutdown's
// closing keeps them recorded, and the next start reopens them where they were; the
// engine passes requests to the host's windows or, headless, says why not; a pop-out
// renderer shows one panel and follows the workspaces main broadcasts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { placeOnScreen, POPOUT_SETTLE_MS, PopoutWindows, popoutPath, type PopoutWindow } from '../../electron/engine/host/popout-windows';
import { fakeScheduler } from '../support/fake-scheduler';
import { NO_POPOUTS } from '../../electron/engine/engine';
import { engineWithoutStreaming } from '../support/engine-without-streaming';
import { quietLogger } from '../support/loggers';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { defaultSettings, parseSettings } from '../../shared/settings';
import { defaultWorkspace, defaultWorkspaces, WorkspacesSchema, type Popout, type WindowBounds } from '../../shared/workspace';
import { isPoppedOut } from '../../renderer/src/workspace/popout';
import { createAppStore } from '../../renderer/src/state/app-store';
import { popoutPanel } from '../../renderer/src/workspace/popout';
import { panelShown } from '../../renderer/src/workspace/linked-instrument';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const at = (x: number, y = 0): WindowBounds => ({ x, y, width: 640, height: 480 });
const fmt = (b: WindowBounds) => `${b.x},${b.y} ${b.width}x${b.height}`;

/** PopoutWindows over fake windows: what opened, focused and closed, and every report, in one trace. */
function windows(max?: number) {
  const trace: string[] = [];
  const fake = new Map<string, { close: () => void; bounds: WindowBounds; moved: () => void }>();
  const owner = new Owner('popout-windows');
  const popouts = new PopoutWindows({
    owner,
    scheduler: fakeScheduler,
    ...(max !== undefined ? { max } : {}),
    open: (id, events, bounds): PopoutWindow => {
      trace.push(`open ${id}${bounds ? ` at ${fmt(bounds)}` : ''}`);
      const w = {
        bounds: bounds ?? at(100),
        moved: () => events.moved(),
        close: () => {
          trace.push(`closed ${id}`);
          events.closed();
        },
      };
      fake.set(id, w);
      return { focus: () => trace.push(`focus ${id}`), close: () => w.close(), bounds: () => w.bounds };
    },
    changed: (list: Popout[]) => trace.push(`saved [${list.map((p) => `${p.panel} ${fmt(p.bounds)}`).join('; ')}]`),
  });
  const move = (id: string, b: WindowBounds) => {
    fake.get(id)!.bounds = b;
    fake.get(id)!.moved();
  };
  return { popouts, trace, owner, userCloses: (id: string) => fake.get(id)!.close(), move };
}

describe('PopoutWindows', () => {
  it('one window per panel: asking again brings it forward; closed by the trader, it can open again', () => {
    const w = windows();
    expect(w.popouts.request('chart-2')).toBeUndefined();
    expect(w.popouts.request('chart-2')).toBeUndefined();
    expect(w.popouts.request('ladder-1')).toBeUndefined();
    expect(w.owner.size()).toBe(3); // two windows and the pending report
    w.userCloses('chart-2');
    expect(w.owner.size()).toBe(2);
    expect(w.popouts.openPanels).toEqual(['ladder-1']);
    w.popouts.request('chart-2');
    expect(w.trace).toEqual(['open chart-2', 'focus chart-2', 'open ladder-1', 'closed chart-2', 'open chart-2']);
  });

  it('the shutdown closes every window and refuses new ones', () => {
    const w = windows();
    w.popouts.request('chart-1');
    w.popouts.request('tape-1');
    w.popouts.closeAll();
    // the pending report first (both open), then the windows, newest first as every owner stops
    expect(w.trace).toEqual(['open chart-1', 'open tape-1', 'saved [chart-1 100,0 640x480; tape-1 100,0 640x480]', 'closed tape-1', 'closed chart-1']);
    expect(w.popouts.openPanels).toEqual([]);
    expect(w.popouts.request('chart-3')).toBe('The app is shutting down: no new windows.');
    vi.advanceTimersByTime(10 * POPOUT_SETTLE_MS);
    expect(w.trace).toHaveLength(5); // closed by the shutdown: still recorded as out, for the next start
    expect(w.owner.size()).toBe(0);
  });

  it('reports which panels are out and where once moves settle; a window the trader closes leaves the record', () => {
    const w = windows();
    w.popouts.request('chart-2');
    w.move('chart-2', at(300));
    w.move('chart-2', at(310, 20)); // a drag: many moves, one report
    vi.advanceTimersByTime(POPOUT_SETTLE_MS - 1);
    expect(w.trace).toEqual(['open chart-2']);
    vi.advanceTimersByTime(1);
    w.popouts.request('tape-1');
    vi.advanceTimersByTime(POPOUT_SETTLE_MS);
    w.userCloses('chart-2');
    w.move('chart-2', at(0)); // a closed window's late event: nothing
    vi.advanceTimersByTime(POPOUT_SETTLE_MS);
    expect(w.trace).toEqual([
      'open chart-2',
      'saved [chart-2 310,20 640x480]',
      'open tape-1',
      'saved [chart-2 310,20 640x480; tape-1 100,0 640x480]',
      'closed chart-2',
      'saved [tape-1 100,0 640x480]',
    ]);
  });

  it('reopens at start the windows of the active workspace\'s panels, where they were', () => {
    const w = windows(2);
    const scalping = { ...defaultWorkspace('Scalping'), panels: { ...defaultWorkspace().panels, 'chart-2': { kind: 'chart' as const, link: 'green' as const, timeframe: '5m' as const } } };
    const saved = WorkspacesSchema.parse({
      active: 'Scalping',
      list: [defaultWorkspace(), scalping],
      popouts: [
        { panel: 'chart-2', bounds: at(1500, 40) },
        { panel: 'timeline-3', bounds: at(0) }, // not a panel of the active workspace (closed since)
        { panel: 'ladder-1', bounds: at(200) },
        { panel: 'tape-1', bounds: at(900) }, // beyond this host's bound of 2
      ],
    });
    expect(w.popouts.reopen(saved)).toEqual(['tape-1: At most 2 pop-out windows; close one first.']);
    expect(w.trace).toEqual(['open chart-2 at 1500,40 640x480', 'open ladder-1 at 200,0 640x480']);
    expect(w.popouts.openPanels).toEqual(['chart-2', 'ladder-1']);
  });

  it('keeps a saved place only while a screen shows the window\'s top strip', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];
    expect(placeOnScreen(at(1500, 40), screens)).toEqual(at(1500, 40));
    expect(placeOnScreen(at(1800, 40), screens)).toEqual(at(1800, 40)); // 120 px of its title bar on screen: it can be grabbed
    expect(placeOnScreen(at(1850, 40), screens)).toEqual({ width: 640, height: 480 }); // 70 px: not enough
    expect(placeOnScreen(at(2500, 40), screens)).toEqual({ width: 640, height: 480 }); // the second monitor is gone
    expect(placeOnScreen(at(100, 1020), screens)).toEqual({ width: 640, height: 480 }); // title bar below the screen
    expect(placeOnScreen(at(-300, 0), screens)).toEqual(at(-300, 0));
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
    const { engine: e, settings } = engineWithoutStreaming(quietLogger, popouts ? 'electron' : 'headless', popouts);
    const received: ToRenderer[] = [];
    e.renderers.attach({ id: 'r1', send: (m) => received.push(m) });
    const notices = () => received.filter((m) => m.type === 'notice').map((m) => (m as { message: string }).message);
    return { e, notices, settings };
  }

  it('a renderer saving its workspaces cannot change which panels are out: the host\'s record stays', () => {
    const t = engine({ request: () => undefined });
    const out = [{ panel: 'chart-1', bounds: at(50, 60) }];
    t.e.updateSettings((s) => ({ ...s, ui: { ...s.ui, workspaces: { ...s.ui.workspaces, popouts: out } } }));
    const renamed = { active: 'Mine', list: [defaultWorkspace('Mine')] };
    t.e.renderers.receive('r1', { type: 'set-workspaces', workspaces: { ...renamed, popouts: [{ panel: 'tape-1', bounds: at(0) }] } });
    expect(t.settings().ui.workspaces).toEqual({ ...renamed, popouts: out });
    t.e.updateSettings((s) => ({ ...s, ui: { ...s.ui, workspaces: { ...s.ui.workspaces, popouts: [] } } }));
    t.e.renderers.receive('r1', { type: 'set-workspaces', workspaces: { ...renamed, popouts: out } });
    expect(t.settings().ui.workspaces).toEqual(renamed); // none out: the key is left out
  });

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

describe('saved pop-outs in settings', () => {
  const parse = (popouts: unknown) => WorkspacesSchema.safeParse({ ...defaultWorkspaces(), popouts });
  const problems = (popouts: unknown) => {
    const r = parse(popouts);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('are validated and bounded; a bad record makes the default workspaces, the rest of the file loads', () => {
    expect(problems([{ panel: 'chart-1', bounds: at(-1920, 0) }])).toEqual([]);
    expect(problems(Array.from({ length: 9 }, (_, i) => ({ panel: `chart-${i + 1}`, bounds: at(0) })))).toEqual(['popouts: at most 8 pop-out windows']);
    expect(problems([{ panel: 'chart-1', bounds: at(0) }, { panel: 'chart-1', bounds: at(5) }])).toEqual(['popouts.1.panel: "chart-1" is popped out twice']);
    expect(problems([{ panel: 'chart-1', bounds: { x: 0, y: 0, width: 1e9, height: 480 } }]).length).toBe(1);
    expect(problems([{ panel: 'chart-1', bounds: { x: 0.5, y: 0, width: 640, height: 480 } }]).length).toBe(1);
    expect(problems([{ panel: '../x', bounds: at(0) }]).length).toBe(1);
    const settings = parseSettings({ watchlist: [{ exchange: 'sim', symbol: 'DOT/USDT' }], ui: { workspaces: { ...defaultWorkspaces(), popouts: [{ panel: 'chart-1', bounds: { x: 0, y: 0, width: 640 } }] } } });
    if (!settings.ok) throw new Error(settings.errors.join('; '));
    expect(settings.settings.ui.workspaces.refused).toMatch(/^The saved workspaces were not valid/);
    expect(settings.settings.ui.workspaces.popouts).toBeUndefined();
    expect(settings.settings.watchlist.map((w) => w.symbol)).toEqual(['DOT/USDT']);
  });

  it('the renderer marks the panels the host says are out', () => {
    const app = createAppStore('electron', { status: 'open' });
    const settings = defaultSettings();
    app.getState().applyHello('electron', settings);
    expect(isPoppedOut(app.getState(), 'chart-1')).toBe(false);
    const next = structuredClone(settings);
    next.ui.workspaces.popouts = [{ panel: 'chart-1', bounds: at(0) }];
    app.getState().applySettings(next);
    expect(isPoppedOut(app.getState(), 'chart-1')).toBe(true);
    expect(isPoppedOut(app.getState(), 'ladder-1')).toBe(false);
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
