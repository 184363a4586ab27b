// The keymap: defaults are valid and clash-free; ui.keymap in settings refuses
// unknown actions, malformed bindings, bindings the browser or OS keeps, and clashes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYMAP, KEY_ACTIONS, RESERVED_BINDINGS, bindingsClash, keymapProblems, parseBinding, type ParsedBinding } from '../../shared/keymap';
import { parseSettings } from '../../shared/settings';

const parsed = (b: string): ParsedBinding => {
  const p = parseBinding(b);
  if (typeof p === 'string') throw new Error(p);
  return p;
};
const errors = (keymap: unknown): string[] => {
  const r = parseSettings({ ui: { keymap } });
  return r.ok ? [] : r.errors;
};

describe('default keymap', () => {
  it('binds every action, none reserved, none clashing', () => {
    expect(Object.keys(DEFAULT_KEYMAP).sort()).toEqual([...KEY_ACTIONS].sort());
    expect(keymapProblems({})).toEqual([]);
  });
});

describe('parseBinding and clashes', () => {
  it('expands $mod to Control and Meta, and optional modifiers to both forms', () => {
    expect(parsed('$mod+k').presses).toEqual([['control+k', 'meta+k']]);
    expect(parsed('[Shift]+?').presses).toEqual([['shift+?', '?']]);
    expect(parsed('Shift+Alt+KeyX').presses).toEqual([['alt+shift+x']]);
  });

  it('says what is wrong with a malformed binding', () => {
    expect(parseBinding('Ctrl+k')).toMatch(/"Ctrl" is not a modifier/);
    expect(parseBinding('Control+Foo')).toMatch(/"Foo" is not a key/);
    expect(parseBinding('')).toMatch(/1 to 64/);
    expect(parseBinding('a b c d')).toMatch(/at most 3 presses/);
    expect(parseBinding(' k')).toMatch(/one space/);
  });

  it('clashes when presses coincide or one sequence starts the other', () => {
    expect(bindingsClash(parsed('$mod+k'), parsed('Control+k'))).toBe(true);
    expect(bindingsClash(parsed('$mod+k'), parsed('Meta+KeyK'))).toBe(true);
    expect(bindingsClash(parsed('g'), parsed('g d'))).toBe(true);
    expect(bindingsClash(parsed('g d'), parsed('g t'))).toBe(false);
    expect(bindingsClash(parsed('Shift+d'), parsed('d'))).toBe(false);
    expect(bindingsClash(parsed('[Shift]+d'), parsed('d'))).toBe(true);
  });
});

describe('ui.keymap in settings', () => {
  it('accepts overrides that stay clear of the browser, the OS and the other actions', () => {
    const r = parseSettings({ ui: { keymap: { search: '$mod+Shift+k', 'pause-tape': 'Space', 'next-row': 'j' } } });
    expect(r.ok && r.settings.ui.keymap).toEqual({ search: '$mod+Shift+k', 'pause-tape': 'Space', 'next-row': 'j' });
    expect(parseSettings({}).ok && (parseSettings({}) as { settings: { ui: { keymap?: object } } }).settings.ui.keymap).toBeUndefined();
  });

  it('refuses an unknown action', () => {
    expect(errors({ 'open-chart': 'c' }).join()).toMatch(/ui\.keymap.*open-chart/);
  });

  it.each(['$mod+w', '$mod+t', '$mod+n', '$mod+q', 'F5', '$mod+r', '$mod+l', 'Control+w', 'Meta+t', 'Alt+F4'])('refuses %s (kept by the browser or OS) with a clear message', (binding) => {
    const e = errors({ quit: binding });
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^ui\.keymap\.quit: ".+" is kept by the browser or the OS \(.+\); choose another key$/);
  });

  it('refuses every reserved binding', () => {
    for (const [binding] of RESERVED_BINDINGS) expect(errors({ search: binding }), binding).toHaveLength(1);
  });

  it('refuses a binding that clashes with another action, naming both', () => {
    expect(errors({ quit: '$mod+k' })).toEqual(['ui.keymap.quit: "$mod+k" clashes with "$mod+k" of search']);
    expect(errors({ 'grouping-up': 'd' })).toEqual(['ui.keymap.grouping-up: "d" clashes with "d" of toggle-diagnostics']);
    // Moving the other action away resolves it.
    expect(errors({ 'grouping-up': 'd', 'toggle-diagnostics': 'Shift+D' })).toEqual([]);
  });

  it('refuses a malformed binding', () => {
    expect(errors({ help: 'Hyper+h' })).toEqual(['ui.keymap.help: "Hyper+h": "Hyper" is not a modifier ($mod, Control, Shift, Alt, Meta)']);
  });
});
