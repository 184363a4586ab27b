// The renderer's side of workspaces: the hello's saved workspaces, focus going to the
// active panel's link group (the ladder and tape keep theirs), the active panel
// bringing its instrument into focus, and saving edits debounced, flushed at quit,
// never echoing what main sent.
import { describe, expect, it } from 'vitest';
import type { FromRenderer } from '../../shared/contract/renderer-api';
import { defaultSettings, type Settings } from '../../shared/settings';
import { createAppStore } from '../../renderer/src/state/app-store';
import { marketShown, panelShown } from '../../renderer/src/workspace/linked-instrument';
import { activeWorkspace, addPanel, applyFocus, canLink, marketLinks, removePanel, setPanelLink, updateActive } from '../../renderer/src/workspace/workspace-model';
import { WorkspaceSchema } from '../../shared/workspace';
import { bindWorkspaceSaving, SAVE_DEBOUNCE_MS, WorkspaceSaver } from '../../renderer/src/workspace/workspace-saving';

function setup(settings: Settings = defaultSettings()) {
  const app = createAppStore('headless', { status: 'open' });
  const sent: FromRenderer[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const refusals: string[] = [];
  const saver = new WorkspaceSaver({
    send: (m) => sent.push(m),
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => (t.cancelled = true);
    },
    refused: (m) => refusals.push(m),
  });
  const off = bindWorkspaceSaving(app, saver);
  app.getState().applyHello('headless', settings);
  const fire = () => {
    for (const t of timers.splice(0)) if (!t.cancelled) t.fn();
  };
  /** Adds a second chart in `link` and makes it the active panel. */
  const addChart = (link: 'green' | 'none') => {
    const s = app.getState();
    s.setWorkspaces(
      updateActive(s.workspaces!, (ws) => {
        const r = addPanel(ws, 'chart');
        if (!r.ok) throw new Error(r.message);
        return setPanelLink(r.value.workspace, r.value.id, link, s.focus);
      }),
    );
    app.getState().setActivePanel('chart-2');
  };
  return { app, sent, timers, fire, refusals, off, addChart };
}

const key = (i: { exchange: string; symbol: string } | null) => (i ? `${i.exchange}|${i.symbol}` : null);

describe('focus and link groups in the store', () => {
  it('Ctrl+K focus goes to the active panel group; the ladder and tape stay with theirs', () => {
    const { app, addChart } = setup();
    app.getState().setActivePanel('ladder-1');
    app.getState().focusInstrument('sim', 'SOL/USDT');
    expect(activeWorkspace(app.getState().workspaces!).links).toEqual({ red: { exchange: 'sim', symbol: 'SOL/USDT' } });
    addChart('green');
    expect(key(panelShown(app.getState(), 'chart-2'))).toBe('sim|SOL/USDT'); // the new group starts where the panel was
    app.getState().focusInstrument('sim', 'ETH/USDT');
    const s = app.getState();
    expect(key(s.focus)).toBe('sim|ETH/USDT');
    expect(key(panelShown(s, 'chart-2'))).toBe('sim|ETH/USDT');
    expect(key(panelShown(s, 'chart-1'))).toBe('sim|SOL/USDT');
    expect(key(marketShown(s).get('red')!)).toBe('sim|SOL/USDT');
    // Back on the ladder: the focus (watchlist selection, focused-instrument) is SOL again.
    app.getState().setActivePanel('ladder-1');
    expect(key(app.getState().focus)).toBe('sim|SOL/USDT');
    // Arrow keys move the red group.
    app.getState().selectBy(1);
    expect(key(marketShown(app.getState()).get('red')!)).toBe('sim|SOL/USDT'.replace('SOL', 'BNB'));
    expect(key(panelShown(app.getState(), 'chart-2'))).toBe('sim|ETH/USDT');
  });

  it('selectors return the stored objects (no re-render without a change)', () => {
    const { app } = setup();
    app.getState().focusInstrument('sim', 'SOL/USDT');
    const s = app.getState();
    expect(panelShown(s, 'ladder-1')).toBe(panelShown(app.getState(), 'ladder-1'));
    expect(panelShown(s, 'chart-1')).toBe(activeWorkspace(s.workspaces!).links.red);
  });
});

describe('several ladders and tapes, one per link group', () => {
  const addMarket = (app: ReturnType<typeof setup>['app'], kind: 'ladder' | 'tape') => {
    const s = app.getState();
    const r = addPanel(activeWorkspace(s.workspaces!), kind);
    if (!r.ok) throw new Error(r.message);
    s.setWorkspaces(updateActive(s.workspaces!, () => r.value.workspace));
    app.getState().setActivePanel(r.value.id);
    return r.value.id;
  };
  const shown = (app: ReturnType<typeof setup>['app']) => [...marketShown(app.getState())].map(([link, i]) => `${link}:${key(i)}`);

  it('a second ladder goes to the next free group and follows its own instrument; closing it leaves its group', () => {
    const { app } = setup();
    app.getState().setActivePanel('ladder-1');
    app.getState().focusInstrument('sim', 'SOL/USDT');
    expect(addMarket(app, 'ladder')).toBe('ladder-2');
    const ws = () => activeWorkspace(app.getState().workspaces!);
    expect(ws().panels['ladder-2']!.link).toBe('green');
    expect(shown(app)).toEqual(['red:sim|SOL/USDT', 'green:sim|SOL/USDT']); // green starts on the focused instrument
    app.getState().focusInstrument('sim', 'ETH/USDT'); // ladder-2 is active: green moves
    expect(shown(app)).toEqual(['red:sim|SOL/USDT', 'green:sim|ETH/USDT']);
    expect(key(panelShown(app.getState(), 'ladder-1'))).toBe('sim|SOL/USDT');
    expect(key(panelShown(app.getState(), 'ladder-2'))).toBe('sim|ETH/USDT');
    // a second tape: red has one, so the first group without one (green)
    expect(addMarket(app, 'tape')).toBe('tape-2');
    expect(ws().panels['tape-2']!.link).toBe('green');
    // closing the green ladder and tape: green has no market panel left
    app.getState().setWorkspaces(updateActive(app.getState().workspaces!, (w) => removePanel(removePanel(w, 'ladder-2'), 'tape-2')));
    expect(shown(app)).toEqual(['red:sim|SOL/USDT']);
  });

  it('a ladder cannot join a group that has one; the unlinked ladder and tape share one instrument', () => {
    const { app } = setup();
    addMarket(app, 'ladder'); // green
    const before = app.getState().workspaces!;
    const w = activeWorkspace(before);
    expect(canLink(w, 'ladder-2', 'red')).toEqual({ ok: false, message: 'The red group already has a ladder (one per group).' });
    expect(setPanelLink(w, 'ladder-2', 'red', null)).toBe(w);
    const sol = { exchange: 'sim', symbol: 'SOL/USDT' };
    const eth = { exchange: 'sim', symbol: 'ETH/USDT' };
    let next = setPanelLink(w, 'ladder-2', 'none', sol);
    next = setPanelLink(next, 'tape-1', 'none', eth); // the tape takes ETH along: the unlinked ladder follows
    expect([next.panels['ladder-2']!.instrument, next.panels['tape-1']!.instrument]).toEqual([eth, eth]);
    next = applyFocus(next, 'ladder-2', sol); // focus on the unlinked ladder: both
    expect([next.panels['ladder-2']!.instrument, next.panels['tape-1']!.instrument]).toEqual([sol, sol]);
    expect(WorkspaceSchema.safeParse(next).success).toBe(true);
    // red follows the focused instrument: none here, so only the unlinked link is focused
    expect(marketLinks(next, null)).toEqual(new Map([['none', sol]]));
  });

  it('a pop-out window focuses only its own panel\'s link, and only for a ladder or tape', () => {
    const { app } = setup();
    app.getState().focusInstrument('sim', 'SOL/USDT');
    const ws = activeWorkspace(app.getState().workspaces!);
    expect([...marketLinks(ws, null, 'tape-1')].map(([l, i]) => `${l}:${key(i)}`)).toEqual(['red:sim|SOL/USDT']);
    expect(marketLinks(ws, null, 'chart-1').size).toBe(0);
  });
});

describe('saving workspaces', () => {
  it('the hello is not saved back; edits are, once per debounce; quit flushes at once', () => {
    const { app, sent, timers, fire, addChart } = setup();
    expect(sent).toEqual([]);
    expect(timers).toEqual([]);
    app.getState().focusInstrument('sim', 'SOL/USDT');
    addChart('green');
    app.getState().focusInstrument('sim', 'ETH/USDT');
    expect(timers.map((t) => t.ms)).toEqual([SAVE_DEBOUNCE_MS]);
    fire();
    expect(sent).toHaveLength(1);
    const saved = sent[0]!;
    expect(saved.type === 'set-workspaces' && saved.workspaces).toEqual(app.getState().workspaces);
    // An edit then quit: sent before the quit request leaves the renderer.
    app.getState().focusInstrument('sim', 'BTC/USDT');
    app.getState().requestQuit();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.type === 'set-workspaces' && activeWorkspace(sent[1]!.workspaces).links.green).toEqual({ exchange: 'sim', symbol: 'BTC/USDT' });
    fire(); // the cancelled timer sends nothing more
    expect(sent).toHaveLength(2);
    // Nothing goes into the shutdown.
    app.getState().focusInstrument('sim', 'XRP/USDT');
    fire();
    expect(sent).toHaveLength(2);
  });

  it('an edit that ends where main already is sends nothing (the dock re-serializing the saved layout at start)', () => {
    const { app, sent, fire } = setup();
    const hello = app.getState().workspaces!;
    app.getState().setWorkspaces(structuredClone(hello));
    fire();
    expect(sent).toEqual([]);
    app.getState().focusInstrument('sim', 'SOL/USDT');
    fire();
    expect(sent).toHaveLength(1);
  });

  it('workspaces main refused: the trader is told, and the default is saved to clear the reason', () => {
    const settings = defaultSettings();
    settings.ui.workspaces = { ...settings.ui.workspaces, refused: 'The saved workspaces were not valid (x).' };
    const { app, sent, fire } = setup(settings);
    expect(app.getState().notices.map((n) => `${n.level}: ${n.message}`)).toEqual(['warn: The saved workspaces were not valid (x).']);
    expect(app.getState().workspaces).toEqual({ active: 'Default', list: settings.ui.workspaces.list });
    fire();
    expect(sent).toEqual([{ type: 'set-workspaces', workspaces: app.getState().workspaces }]);
  });

  it('a workspace the schema refuses is not sent; the trader is told', () => {
    const { app, sent, fire, refusals } = setup();
    const w = app.getState().workspaces!;
    app.getState().setWorkspaces({ ...w, active: 'Gone' });
    fire();
    expect(sent).toEqual([]);
    expect(refusals).toEqual(['The workspace layout could not be saved: active: no workspace named "Gone"']);
  });
});
