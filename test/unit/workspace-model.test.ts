// Workspaces (issue 12 point 3): the default workspace, adding and removing panels
// (several charts, one ladder), link-group focus resolution, named workspaces, the
// settings round trip, and refusing hostile or oversized layouts without losing the
// rest of the settings.
import { describe, expect, it } from 'vitest';
import { FromRendererSchema } from '../../shared/contract/renderer-api';
import { parseSettings, parseSettingsText, defaultSettings } from '../../shared/settings';
import {
  defaultWorkspace,
  defaultWorkspaces,
  MAX_LAYOUT_CHARS,
  MAX_PANELS,
  WorkspaceSchema,
  WorkspacesSchema,
  type DockLayout,
  type Workspace,
  type Workspaces,
} from '../../shared/workspace';
import {
  addPanel,
  applyFocus,
  createWorkspace,
  deleteWorkspace,
  marketLinks,
  panelInstrument,
  removePanel,
  renameWorkspace,
  resetWorkspace,
  setPanelLink,
  setPanelTimeframe,
  switchWorkspace,
  withLayout,
} from '../../renderer/src/workspace/workspace-model';
import { arrangement } from '../../renderer/src/workspace/default-arrangement';

const SOL = { exchange: 'sim', symbol: 'SOL/USDT' };
const ETH = { exchange: 'sim', symbol: 'ETH/USDT' };
const BTC = { exchange: 'sim', symbol: 'BTC/USDT' };

/** A layout as dockview's toJSON writes it: the panels side by side, one group each. */
function layoutOf(ws: Workspace): DockLayout {
  const ids = Object.keys(ws.panels);
  return {
    grid: {
      root: { type: 'branch', size: 800, data: ids.map((id, i) => ({ type: 'leaf', size: 1280 / ids.length, data: { id: String(i + 1), views: [id], activeView: id } })) },
      width: 1280,
      height: 800,
      orientation: 'HORIZONTAL',
    },
    panels: Object.fromEntries(ids.map((id) => [id, { id, contentComponent: ws.panels[id]!.kind, title: id }])),
    activeGroup: '1',
  };
}

function added(ws: Workspace, ...args: Parameters<typeof addPanel> extends [Workspace, ...infer R] ? R : never) {
  const r = addPanel(ws, ...args);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('default workspace', () => {
  it('has one of each market panel, all in the red group, and no saved arrangement', () => {
    const ws = defaultWorkspace();
    expect(ws.name).toBe('Default');
    expect(Object.entries(ws.panels).map(([id, p]) => `${id}:${p.kind}:${p.link}`)).toEqual([
      'watchlist-1:watchlist:red',
      'ladder-1:ladder:red',
      'tape-1:tape:red',
      'chart-1:chart:red',
      'diagnostics-1:diagnostics:red',
    ]);
    expect(ws.panels['chart-1']!.timeframe).toBe('1m');
    expect(ws.layout).toBeNull();
    expect(WorkspacesSchema.parse(defaultWorkspaces())).toEqual(defaultWorkspaces());
  });

  it('is what settings without workspaces hold', () => {
    expect(defaultSettings().ui.workspaces).toEqual(defaultWorkspaces());
  });
});

describe('panels', () => {
  it('adds several charts with the lowest free ids, and ladders one per link (the colour groups, then unlinked)', () => {
    let ws = defaultWorkspace();
    const a = added(ws, 'chart', 'green');
    expect(a.id).toBe('chart-2');
    expect(a.workspace.panels['chart-2']).toEqual({ kind: 'chart', link: 'green', timeframe: '1m' });
    ws = a.workspace;
    ws = added(ws, 'chart').workspace;
    expect(Object.keys(ws.panels).filter((id) => id.startsWith('chart-'))).toEqual(['chart-1', 'chart-2', 'chart-3']);
    ws = removePanel(ws, 'chart-2');
    expect(added(ws, 'chart').id).toBe('chart-2');
    expect(addPanel(ws, 'watchlist')).toEqual({ ok: false, message: 'This workspace already has a watchlist panel (one per workspace).' });
    let ladders = ws;
    for (const link of ['green', 'blue', 'amber', 'none']) {
      const r = added(ladders, 'ladder', 'red'); // red has one: the next free link
      expect(r.workspace.panels[r.id]!.link).toBe(link);
      ladders = r.workspace;
    }
    expect(addPanel(ladders, 'ladder')).toEqual({ ok: false, message: 'Every link group already has a ladder (one per group and one unlinked).' });
    expect(WorkspaceSchema.safeParse(ladders).success).toBe(true);
    expect(added(removePanel(ws, 'ladder-1'), 'ladder').id).toBe('ladder-1');
  });

  it(`refuses panel number ${MAX_PANELS + 1}`, () => {
    let ws = defaultWorkspace();
    while (Object.keys(ws.panels).length < MAX_PANELS) ws = added(ws, 'timeline').workspace;
    expect(addPanel(ws, 'chart')).toEqual({ ok: false, message: `A workspace holds at most ${MAX_PANELS} panels.` });
  });

  it('keeps a chart timeframe per panel', () => {
    let ws = added(defaultWorkspace(), 'chart').workspace;
    ws = setPanelTimeframe(ws, 'chart-2', '1h');
    expect(ws.panels['chart-1']!.timeframe).toBe('1m');
    expect(ws.panels['chart-2']!.timeframe).toBe('1h');
    expect(setPanelTimeframe(ws, 'ladder-1', '1h')).toBe(ws);
  });
});

describe('link groups', () => {
  it('panels of a group follow its instrument; an unfocused group follows the focus', () => {
    let ws = added(defaultWorkspace(), 'chart', 'green').workspace;
    expect(panelInstrument(ws, 'chart-2', BTC)).toBe(BTC);
    ws = applyFocus(ws, 'chart-1', SOL); // the active panel is in red
    expect(ws.links).toEqual({ red: SOL });
    ws = applyFocus(ws, 'chart-2', ETH); // now green
    expect(ws.links).toEqual({ red: SOL, green: ETH });
    expect(['watchlist-1', 'ladder-1', 'tape-1', 'chart-1'].map((id) => panelInstrument(ws, id, BTC))).toEqual([SOL, SOL, SOL, SOL]);
    expect(panelInstrument(ws, 'chart-2', BTC)).toEqual(ETH);
    expect(marketLinks(ws, BTC)).toEqual(new Map([['red', SOL]]));
    // Before any panel is active, focus goes to the default group.
    expect(applyFocus(ws, null, BTC).links).toEqual({ red: BTC, green: ETH });
  });

  it('a focus in one group leaves groups nobody focused yet on what they showed', () => {
    const ws = added(defaultWorkspace(), 'ladder').workspace; // ladder-2 in green; red never focused
    const next = applyFocus(ws, 'ladder-2', ETH, BTC);
    expect(next.links).toEqual({ green: ETH, red: BTC });
    expect(marketLinks(next, ETH)).toEqual(new Map([['red', BTC], ['green', ETH]]));
    expect(applyFocus(ws, 'ladder-2', ETH).links).toEqual({ green: ETH }); // nothing shown before: red keeps following the focus
  });

  it('moving a panel to a group nobody focused starts the group at what the panel showed', () => {
    let ws = applyFocus(added(defaultWorkspace(), 'chart').workspace, 'chart-1', SOL);
    ws = setPanelLink(ws, 'chart-2', 'blue', BTC);
    expect(ws.links.blue).toEqual(SOL);
    ws = applyFocus(ws, 'chart-2', ETH);
    expect(panelInstrument(ws, 'chart-1', BTC)).toEqual(SOL);
    expect(panelInstrument(ws, 'chart-2', BTC)).toEqual(ETH);
  });

  it('an unlinked panel keeps its own instrument and takes focus only while active', () => {
    let ws = applyFocus(added(defaultWorkspace(), 'chart').workspace, 'chart-1', SOL);
    ws = setPanelLink(ws, 'chart-2', 'none', BTC);
    expect(ws.panels['chart-2']).toEqual({ kind: 'chart', link: 'none', timeframe: '1m', instrument: SOL });
    ws = applyFocus(ws, 'chart-1', ETH);
    expect(panelInstrument(ws, 'chart-2', BTC)).toEqual(SOL);
    ws = applyFocus(ws, 'chart-2', BTC);
    expect(panelInstrument(ws, 'chart-2', null)).toEqual(BTC);
    expect(panelInstrument(ws, 'chart-1', null)).toEqual(ETH);
    // Relinked: the instrument goes back to the group.
    ws = setPanelLink(ws, 'chart-2', 'red', null);
    expect(ws.panels['chart-2']).toEqual({ kind: 'chart', link: 'red', timeframe: '1m' });
  });

  it('the ladder and tape change group each on their own (one focus per link in the engine)', () => {
    let ws = setPanelLink(applyFocus(defaultWorkspace(), null, SOL), 'tape-1', 'amber', null);
    expect(ws.panels['ladder-1']!.link).toBe('red');
    expect(ws.panels['tape-1']!.link).toBe('amber');
    expect(ws.links.amber).toEqual(SOL);
    ws = applyFocus(ws, 'tape-1', ETH);
    expect(marketLinks(ws, BTC)).toEqual(new Map([['red', SOL], ['amber', ETH]]));
  });
});

describe('named workspaces', () => {
  it('creates, renames, switches, resets and deletes', () => {
    const ok = (r: { ok: true; value: Workspaces } | { ok: false; message: string }): Workspaces => {
      if (!r.ok) throw new Error(r.message);
      return r.value;
    };
    let w = defaultWorkspaces();
    w = ok(createWorkspace(w, '  Scalping '));
    expect(w.active).toBe('Scalping');
    expect(w.list.map((x) => x.name)).toEqual(['Default', 'Scalping']);
    expect(createWorkspace(w, 'Default')).toEqual({ ok: false, message: 'There is already a workspace named "Default".' });
    w = ok(renameWorkspace(w, 'Scalping', 'Swing'));
    expect(w.active).toBe('Swing');
    w = ok(switchWorkspace(w, 'Default'));
    expect(w.active).toBe('Default');
    expect(switchWorkspace(w, 'Nope')).toEqual({ ok: false, message: 'No workspace named "Nope".' });
    // Reset: the default panels back, the name kept.
    const edited = { ...w, list: w.list.map((x) => (x.name === 'Default' ? added(applyFocus(x, null, SOL), 'chart').workspace : x)) };
    const reset = resetWorkspace(edited);
    expect(reset.list[0]).toEqual(defaultWorkspace());
    expect(reset.list[1]).toBe(edited.list[1]);
    w = ok(deleteWorkspace(reset, 'Default'));
    expect(w).toEqual({ active: 'Swing', list: [defaultWorkspace('Swing')] });
    expect(deleteWorkspace(w, 'Swing')).toEqual({ ok: false, message: 'The last workspace cannot be deleted.' });
  });
});

describe('serialization', () => {
  it('a workspace with a layout, links and two charts survives the settings file round trip exactly', () => {
    let ws = added(defaultWorkspace(), 'chart', 'green').workspace;
    ws = setPanelTimeframe(applyFocus(applyFocus(ws, 'chart-1', SOL), 'chart-2', ETH), 'chart-2', '5m');
    ws = withLayout(ws, layoutOf(ws));
    const settings = defaultSettings();
    settings.ui.workspaces = { active: 'Default', list: [ws] };
    const back = parseSettingsText(JSON.stringify(settings));
    expect(back.ok && back.settings.ui.workspaces).toEqual({ active: 'Default', list: [ws] });
    // The renderer's save message carries the same.
    expect(FromRendererSchema.parse({ type: 'set-workspaces', workspaces: { active: 'Default', list: [ws] } })).toEqual({ type: 'set-workspaces', workspaces: { active: 'Default', list: [ws] } });
  });
});

describe('hostile layouts', () => {
  const ws = (): Workspace => withLayout(defaultWorkspace(), layoutOf(defaultWorkspace()));
  const problems = (w: unknown): string[] => {
    const r = WorkspaceSchema.safeParse(w);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('refuses a layout too large, too deep, or not matching the panels', () => {
    const big = ws();
    (big.layout!.panels['chart-1'] as Record<string, unknown>).junk = 'x'.repeat(MAX_LAYOUT_CHARS);
    expect(problems(big)[0]).toMatch(/^layout too large: at most 65536 characters/);

    let deep: unknown = { type: 'leaf', size: 1, data: { id: '1', views: ['chart-1'] } };
    for (let i = 0; i < 5000; i++) deep = { type: 'branch', size: 1, data: [deep] };
    const d = ws();
    d.layout!.grid.root = deep as DockLayout['grid']['root'];
    expect(problems(d)).toEqual(['layout nested too deeply: at most 12 levels of splits']);

    const extra = ws();
    extra.layout!.panels['chart-9'] = { id: 'chart-9', contentComponent: 'chart' };
    expect(problems(extra)[0]).toMatch(/^the layout's panels \(.*chart-9\) are not the workspace's/);

    const wrongKind = ws();
    wrongKind.layout!.panels['chart-1']!.contentComponent = 'ladder';
    expect(problems(wrongKind)).toContain('is a ladder in the layout but a chart in the workspace');

    const twoLadders = defaultWorkspace();
    twoLadders.panels['ladder-2'] = { kind: 'ladder', link: 'red' };
    expect(problems(twoLadders)).toContain('at most one ladder panel in the red group (got 2)');
    twoLadders.panels['ladder-2'] = { kind: 'ladder', link: 'green' };
    expect(problems(twoLadders)).toEqual([]);

    const unlinked = defaultWorkspace();
    unlinked.panels['ladder-1'] = { kind: 'ladder', link: 'none', instrument: SOL };
    unlinked.panels['tape-1'] = { kind: 'tape', link: 'none', instrument: ETH };
    expect(problems(unlinked)).toEqual(['the unlinked ladder and tape show one instrument']);

    const script = ws();
    script.layout!.panels['chart-1']!.contentComponent = '<img onerror=alert(1)>' as 'chart';
    expect(problems(script).length).toBeGreaterThan(0);
  });

  it('a bad workspaces section in a settings file falls back to the default with a reason; the rest loads', () => {
    const file = { watchlist: [{ exchange: 'sim', symbol: 'DOT/USDT' }], ui: { showDiagnostics: false, workspaces: { active: 'X', list: [{ name: 'X', panels: { 'chart-1': { kind: 'rocket', link: 'red' } } }] } } };
    const r = parseSettings(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.watchlist.map((w) => w.symbol)).toEqual(['DOT/USDT']);
    expect(r.settings.ui.showDiagnostics).toBe(false);
    const { refused, ...workspaces } = r.settings.ui.workspaces;
    expect(workspaces).toEqual(defaultWorkspaces());
    expect(refused).toMatch(/^The saved workspaces were not valid and were replaced by the default layout \(list\.0\.panels\.chart-1\.kind: /);
  });

  it('the renderer message refuses what the settings would replace', () => {
    const bad = { type: 'set-workspaces', workspaces: { active: 'Default', list: Array.from({ length: 13 }, (_, i) => defaultWorkspace(`W${i}`)) } };
    expect(FromRendererSchema.safeParse(bad).success).toBe(false);
    expect(FromRendererSchema.safeParse({ type: 'set-workspaces', workspaces: { active: 'Nope', list: [defaultWorkspace()] } }).success).toBe(false);
  });
});

describe('default arrangement', () => {
  it('places the watchlist first, then every panel next to one placed before it', () => {
    let ws = added(added(defaultWorkspace(), 'chart', 'green').workspace, 'timeline').workspace;
    ws = removePanel(ws, 'diagnostics-1');
    const places = arrangement(ws);
    expect(places.map((p) => ('first' in p ? `${p.id} first` : `${p.id} ${p.direction} of ${p.referencePanel}`))).toEqual([
      'watchlist-1 first',
      'ladder-1 right of watchlist-1',
      'tape-1 right of ladder-1',
      'chart-1 below of tape-1',
      'chart-2 right of chart-1',
      'timeline-1 right of chart-2',
    ]);
    expect(places.map((p) => p.title)).toEqual(['Watchlist', 'Ladder', 'Tape', 'Chart', 'Chart 2', 'Connection timeline']);
    // Without the watchlist, the first panel starts the grid.
    expect(arrangement(removePanel(defaultWorkspace(), 'watchlist-1'))[0]).toEqual({ id: 'ladder-1', title: 'Ladder', first: true });
  });
});
