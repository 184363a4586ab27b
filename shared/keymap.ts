// The terminal's keyboard actions, their default bindings and the rules a binding
// must follow: shared because settings (ui.keymap) are validated wherever they are
// read, and the renderer binds them (renderer/src/keys/keymap.ts).
//
// A binding is tinykeys' syntax: presses separated by spaces, each `Mod+Mod+key`,
// `$mod` = Control (Meta on macOS), `[Shift]` an optional modifier, key a
// KeyboardEvent.key or .code ("k", "?", "ArrowDown", "F2", "KeyK").

export const KEY_ACTIONS = [
  'search',
  'next-row',
  'previous-row',
  'cycle-timeframe',
  'grouping-up',
  'grouping-down',
  'toggle-diagnostics',
  'pause-tape',
  'quit',
  'help',
] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];

export const DEFAULT_KEYMAP: Readonly<Record<KeyAction, string>> = {
  search: '$mod+k',
  'next-row': 'ArrowDown',
  'previous-row': 'ArrowUp',
  'cycle-timeframe': 't',
  'grouping-up': ']',
  'grouping-down': '[',
  'toggle-diagnostics': 'd',
  'pause-tape': 'p',
  quit: '$mod+Alt+q',
  help: '[Shift]+?',
};

/**
 * Presses the browser or the OS keeps for itself (on at least one platform): bound
 * here they would close the window, open a tab, reload or quit instead.
 */
export const RESERVED_BINDINGS: ReadonlyArray<readonly [binding: string, what: string]> = [
  ['$mod+w', 'closes the window or tab'],
  ['$mod+Shift+w', 'closes the window'],
  ['$mod+t', 'opens a tab'],
  ['$mod+Shift+t', 'reopens a closed tab'],
  ['$mod+n', 'opens a window'],
  ['$mod+Shift+n', 'opens a private window'],
  ['$mod+q', 'quits the browser (macOS)'],
  ['$mod+Shift+q', 'quits the browser (Linux)'],
  ['$mod+r', 'reloads the page'],
  ['$mod+Shift+r', 'reloads the page'],
  ['F5', 'reloads the page'],
  ['$mod+l', 'focuses the address bar'],
  ['Alt+d', 'focuses the address bar'],
  ['F6', 'focuses the address bar'],
  ['$mod+Tab', 'switches tabs'],
  ['$mod+Shift+Tab', 'switches tabs'],
  ['Alt+Tab', 'switches applications'],
  ['Alt+F4', 'closes the window (Windows)'],
  ['F11', 'toggles full screen'],
  ['F12', 'opens the developer tools'],
  ['$mod+Shift+i', 'opens the developer tools'],
  ['$mod+p', 'prints'],
  ['$mod+s', 'saves the page'],
  ['$mod+f', 'finds in the page'],
  ['$mod+h', 'hides the application (macOS)'],
  ['$mod+m', 'minimises the window (macOS)'],
  ['$mod+Space', 'opens Spotlight (macOS)'],
  ['Alt+ArrowLeft', 'goes back'],
  ['Alt+ArrowRight', 'goes forward'],
  ['$mod+=', 'zooms in'],
  ['$mod+-', 'zooms out'],
  ['$mod+0', 'resets the zoom'],
];

export const MAX_BINDING_CHARS = 64;
const MAX_PRESSES = 3;
const MODIFIERS = ['Shift', 'Control', 'Alt', 'Meta'] as const;
const NAMED_KEY = /^(Arrow(Up|Down|Left|Right)|Enter|Escape|Tab|Space|Backspace|Delete|Insert|Home|End|PageUp|PageDown|F([1-9]|1[0-9]|2[0-4])|Key[A-Z]|Digit[0-9])$/;

/** A press with $mod and optional modifiers expanded: every concrete form it matches, e.g. "control+k". */
function pressForms(press: string): string[] | string {
  const parts = press.split(/(?<=\w|\])\+/);
  const key = parts.pop() ?? '';
  if (key.length !== 1 && !NAMED_KEY.test(key)) return `"${key}" is not a key (one character, or a name such as ArrowDown, Enter, F2, KeyK)`;
  if (key.length === 1 && /\s/.test(key)) return 'a space is written "Space"';
  let variants: string[][] = [[]];
  for (const part of parts) {
    const optional = /^\[(.*)\]$/.exec(part);
    const mod = optional?.[1] ?? part;
    const concrete = mod === '$mod' ? ['Control', 'Meta'] : (MODIFIERS as readonly string[]).includes(mod) ? [mod] : undefined;
    if (!concrete) return `"${mod}" is not a modifier ($mod, Control, Shift, Alt, Meta)`;
    const next: string[][] = [];
    for (const v of variants) {
      for (const c of concrete) next.push([...v, c]);
      if (optional) next.push(v);
    }
    variants = next;
  }
  const k = keyName(key);
  return [...new Set(variants.map((v) => [...new Set(v)].sort().join('+').toLowerCase() + (v.length ? '+' : '') + k))];
}

/** Case-insensitive like tinykeys; KeyK/Digit1 codes mean the same press as k/1. */
function keyName(key: string): string {
  const code = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(key);
  const k = code ? (code[1] ?? code[2]!) : key === 'Space' ? ' ' : key;
  return k.toLowerCase();
}

export interface ParsedBinding {
  /** Concrete forms of each press. */
  presses: string[][];
}

/** Parses a binding or says what is wrong with it. */
export function parseBinding(binding: string): ParsedBinding | string {
  if (binding.length === 0 || binding.length > MAX_BINDING_CHARS) return `a binding has 1 to ${MAX_BINDING_CHARS} characters`;
  if (binding !== binding.trim() || /\s{2,}/.test(binding)) return 'presses are separated by one space, without leading or trailing spaces';
  const raw = binding.split(' ');
  if (raw.length > MAX_PRESSES) return `at most ${MAX_PRESSES} presses in a sequence`;
  const presses: string[][] = [];
  for (const p of raw) {
    const forms = pressForms(p);
    if (typeof forms === 'string') return forms;
    presses.push(forms);
  }
  return { presses };
}

const overlaps = (a: string[], b: string[]): boolean => a.some((x) => b.includes(x));

/** Two bindings clash when one fires the other: the same presses, or one is the start of the other. */
export function bindingsClash(a: ParsedBinding, b: ParsedBinding): boolean {
  const n = Math.min(a.presses.length, b.presses.length);
  for (let i = 0; i < n; i++) if (!overlaps(a.presses[i]!, b.presses[i]!)) return false;
  return true;
}

const RESERVED = RESERVED_BINDINGS.map(([binding, what]) => ({ binding, what, parsed: parseBinding(binding) as ParsedBinding }));

/** Why the browser or OS would take this binding's first press, or undefined. */
export function reservedBy(binding: ParsedBinding): string | undefined {
  const first = binding.presses[0]!;
  const hit = RESERVED.find((r) => overlaps(first, r.parsed.presses[0]!));
  return hit && `${hit.binding} ${hit.what}`;
}

/** The effective keymap: defaults with the user's overrides. */
export function effectiveKeymap(overrides: Partial<Record<KeyAction, string>>): Record<KeyAction, string> {
  return { ...DEFAULT_KEYMAP, ...overrides };
}

/**
 * Every problem of a user keymap (after merging with the defaults), each naming the
 * action: malformed bindings, bindings the browser or OS keeps, and clashes.
 */
export function keymapProblems(overrides: Partial<Record<KeyAction, string>>): Array<{ action: KeyAction; message: string }> {
  const problems: Array<{ action: KeyAction; message: string }> = [];
  const map = effectiveKeymap(overrides);
  const parsed: Array<[KeyAction, ParsedBinding]> = [];
  for (const action of KEY_ACTIONS) {
    const binding = map[action];
    const p = parseBinding(binding);
    if (typeof p === 'string') problems.push({ action, message: `"${binding}": ${p}` });
    else {
      const reserved = reservedBy(p);
      if (reserved) problems.push({ action, message: `"${binding}" is kept by the browser or the OS (${reserved}); choose another key` });
      else parsed.push([action, p]);
    }
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const [a, pa] = parsed[i]!;
      const [b, pb] = parsed[j]!;
      if (!bindingsClash(pa, pb)) continue;
      const who = a in overrides ? a : b;
      const other = who === a ? b : a;
      problems.push({ action: who, message: `"${map[who]}" clashes with "${map[other]}" of ${other}` });
    }
  }
  return problems;
}
