// The renderer's keymap: what each action is called, the bindings in effect
// (shared/keymap.ts defaults + settings.ui.keymap, validated there), and binding
// them (Hotkeys.tsx) with tinykeys.
import { DEFAULT_KEYMAP, effectiveKeymap, KEY_ACTIONS, keymapProblems, type KeyAction } from '../../../shared/keymap';

export { DEFAULT_KEYMAP, KEY_ACTIONS, type KeyAction };

export const ACTION_LABELS: Readonly<Record<KeyAction, string>> = {
  search: 'Search symbols',
  'next-row': 'Next row',
  'previous-row': 'Previous row',
  'cycle-timeframe': 'Cycle chart timeframe',
  'grouping-up': 'Ladder price grouping up',
  'grouping-down': 'Ladder price grouping down',
  'toggle-diagnostics': 'Show or hide diagnostics',
  'pause-tape': 'Pause or resume the tape',
  quit: 'Quit',
  help: 'Show this help',
};

/**
 * The bindings in effect. Settings are validated when read, but a renderer must not
 * trust that to bind keys: overrides with any problem fall back to the defaults.
 */
export function keymapFor(overrides: Partial<Record<KeyAction, string>> | undefined): Record<KeyAction, string> {
  const o = overrides ?? {};
  return keymapProblems(o).length ? { ...DEFAULT_KEYMAP } : effectiveKeymap(o);
}

/** A binding as the help shows it: $mod as Ctrl or ⌘, optional modifiers dropped. */
export function bindingLabel(binding: string, mac: boolean): string {
  return binding
    .split(' ')
    .map((press) =>
      press
        .replace(/\[[^\]]*\]\+/g, '')
        .replace('$mod', mac ? '⌘' : 'Ctrl')
        .replace('Control', 'Ctrl')
        .replace('Meta', mac ? '⌘' : 'Meta')
        .replace(/Arrow(Up|Down|Left|Right)/, (_, d: string) => ({ Up: '↑', Down: '↓', Left: '←', Right: '→' })[d] ?? d)
        .replace(/\+([a-z])$/, (_, k: string) => `+${k.toUpperCase()}`)
        .replace(/^([a-z])$/, (k) => k.toUpperCase()),
    )
    .join(' then ');
}

export function isMacPlatform(platform: string): boolean {
  return /Mac|iPod|iPhone|iPad/.test(platform);
}

/** The parts of a KeyboardEvent the filter reads (kept structural: this module is pure and unit-tested in Node). */
export interface KeyEventLike {
  repeat: boolean;
  isComposing: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  target: unknown;
}

function inFormField(target: unknown): boolean {
  const t = target as { matches?: (selector: string) => boolean } | null;
  return typeof t?.matches === 'function' && t.matches('input, select, textarea, [contenteditable]');
}

/**
 * Presses while typing in a field reach the field, except those with Ctrl or ⌘:
 * Ctrl+K opens the search from anywhere, even from the add-symbol box.
 */
export function ignoreKeyEvent(event: KeyEventLike): boolean {
  return event.repeat || event.isComposing || (inFormField(event.target) && !(event.ctrlKey || event.metaKey));
}
