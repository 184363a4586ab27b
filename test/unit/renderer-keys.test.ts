// Keyboard actions in the renderer: the store's dispatchAction (search, help, row
// selection, announcing every action), the effects that go to main (diagnostics,
// quit), the markets message and focus, and the keymap's fallback and labels.
import { describe, expect, it } from 'vitest';
import type { FromRenderer } from '../../shared/contract/renderer-api';
import { defaultSettings } from '../../shared/settings';
import { bindActionEffects } from '../../renderer/src/keys/action-effects';
import { bindingLabel, DEFAULT_KEYMAP, ignoreKeyEvent, keymapFor } from '../../renderer/src/keys/keymap';
import { createAppStore } from '../../renderer/src/state/app-store';
import { routeMessage } from '../../renderer/src/state/message-router';
import { RowStore } from '../../renderer/src/state/row-store';

function setup() {
  const app = createAppStore('headless', { status: 'open' });
  app.getState().applyHello('headless', defaultSettings()); // 8 watchlist rows
  const sent: FromRenderer[] = [];
  const trace: string[] = [];
  const off = bindActionEffects({
    app,
    api: { send: (m) => sent.push(m) },
    link: { expectHostExit: () => trace.push('expect-exit') },
    now: (fn) => {
      fn();
      trace.push('modal-rendered');
    },
  });
  return { app, sent, trace, off };
}

describe('dispatchAction (store)', () => {
  it('opens and closes the search and the help, one at a time', () => {
    const { app } = setup();
    const s = () => app.getState();
    s().dispatchAction('search');
    expect([s().searchOpen, s().helpOpen]).toEqual([true, false]);
    s().dispatchAction('help');
    expect([s().searchOpen, s().helpOpen]).toEqual([false, true]);
    s().dispatchAction('help');
    expect([s().searchOpen, s().helpOpen]).toEqual([false, false]);
  });

  it('moves the selected (focused) row within the watchlist', () => {
    const { app } = setup();
    const s = () => app.getState();
    const at = () => s().rows.findIndex((r) => r.key === s().focus?.key);
    expect(at()).toBe(0); // the first row is focused from the start
    s().dispatchAction('next-row');
    expect(at()).toBe(1);
    for (let i = 0; i < 20; i++) s().dispatchAction('next-row');
    expect(at()).toBe(s().rows.length - 1);
    s().dispatchAction('previous-row');
    expect(at()).toBe(s().rows.length - 2);
    const empty = createAppStore('headless', { status: 'open' });
    empty.getState().dispatchAction('previous-row');
    expect(empty.getState().focus).toBeNull();
  });

  it('announces every action with a new seq, for panels that do not exist on this base yet', () => {
    const { app } = setup();
    const seen: string[] = [];
    app.subscribe((st, prev) => {
      if (st.lastAction !== prev.lastAction) seen.push(`${st.lastAction!.action}#${st.lastAction!.seq}`);
    });
    for (const a of ['cycle-timeframe', 'grouping-up', 'grouping-down', 'pause-tape', 'pause-tape'] as const) app.getState().dispatchAction(a);
    expect(seen).toEqual(['cycle-timeframe#1', 'grouping-up#2', 'grouping-down#3', 'pause-tape#4', 'pause-tape#5']);
  });
});

describe('action effects (to main)', () => {
  it('toggle-diagnostics flips the local mirror and sends set-ui', () => {
    const { app, sent } = setup();
    const shown = app.getState().showDiagnostics;
    app.getState().dispatchAction('toggle-diagnostics');
    app.getState().dispatchAction('toggle-diagnostics');
    expect(sent).toEqual([
      { type: 'set-ui', showDiagnostics: !shown },
      { type: 'set-ui', showDiagnostics: shown },
    ]);
    expect(app.getState().showDiagnostics).toBe(shown);
  });

  it('quit shows the modal first, expects the host to exit, sends quit once', () => {
    const { app, sent, trace, off } = setup();
    app.getState().dispatchAction('quit');
    app.getState().dispatchAction('quit');
    expect(trace).toEqual(['modal-rendered', 'expect-exit']);
    expect(sent).toEqual([{ type: 'quit', force: false }]);
    expect(app.getState().quitRequested).toBe(true);
    off();
  });

  it('sends nothing for actions of other targets, and nothing once unbound', () => {
    const { app, sent, off } = setup();
    for (const a of ['search', 'help', 'next-row', 'pause-tape'] as const) app.getState().dispatchAction(a);
    off();
    app.getState().dispatchAction('toggle-diagnostics');
    expect(sent).toEqual([]);
  });
});

describe('markets and focus in the store', () => {
  it('keeps the catalogue from a markets message, forgets it at a new hello; focusInstrument sets the focus', () => {
    const { app } = setup();
    const rows = new RowStore();
    const deps = { app, rows, scheduler: { onFrame: () => undefined, invalidate: () => undefined, reset: () => undefined }, link: { expectHostExit: () => undefined }, nack: () => undefined };
    const catalogues = [{ exchange: 'sim', markets: [{ symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', type: 'spot' as const, active: true }] }];
    routeMessage({ type: 'markets', catalogues }, deps);
    expect(app.getState().markets).toEqual(catalogues);
    routeMessage({ type: 'hello', host: 'headless', settings: defaultSettings(), rows: [] }, deps);
    expect(app.getState().markets).toBeNull();
    app.getState().focusInstrument('sim', 'AVAX/USDT'); // not on the watchlist
    expect(app.getState().focus).toEqual({ key: 'sim|AVAX/USDT', exchange: 'sim', symbol: 'AVAX/USDT' });
    // A search focus off the watchlist survives a settings change that does not concern it.
    app.getState().applySettings({ ...defaultSettings(), ui: { ...defaultSettings().ui, showDiagnostics: false } });
    expect(app.getState().focus?.key).toBe('sim|AVAX/USDT');
    // A watchlist instrument selects its row.
    app.getState().focusInstrument('sim', 'ETH/USDT');
    expect(app.getState().focus).toBe(app.getState().rows.find((r) => r.key === 'sim|ETH/USDT'));
  });
});

describe('renderer keymap', () => {
  it('uses the overrides, or the defaults when the overrides have a problem', () => {
    expect(keymapFor(undefined)).toEqual(DEFAULT_KEYMAP);
    expect(keymapFor({ 'next-row': 'j' })['next-row']).toBe('j');
    expect(keymapFor({ quit: '$mod+w', 'next-row': 'j' })).toEqual(DEFAULT_KEYMAP);
  });

  it('labels bindings for the platform', () => {
    expect(bindingLabel('$mod+k', false)).toBe('Ctrl+K');
    expect(bindingLabel('$mod+k', true)).toBe('⌘+K');
    expect(bindingLabel('[Shift]+?', false)).toBe('?');
    expect(bindingLabel('ArrowDown', false)).toBe('↓');
    expect(bindingLabel('g d', false)).toBe('G then D');
  });
});

describe('ignoreKeyEvent', () => {
  const field = { matches: (sel: string) => sel.includes('input') };
  const ev = (over: Partial<Parameters<typeof ignoreKeyEvent>[0]>) => ({ repeat: false, isComposing: false, ctrlKey: false, metaKey: false, target: null, ...over });
  it('lets plain keys reach a text field, but not Ctrl/⌘ combinations', () => {
    expect(ignoreKeyEvent(ev({ target: field }))).toBe(true);
    expect(ignoreKeyEvent(ev({ target: field, ctrlKey: true }))).toBe(false);
    expect(ignoreKeyEvent(ev({ target: field, metaKey: true }))).toBe(false);
    expect(ignoreKeyEvent(ev({}))).toBe(false);
    expect(ignoreKeyEvent(ev({ repeat: true }))).toBe(true);
    expect(ignoreKeyEvent(ev({ isComposing: true }))).toBe(true);
  });
});
