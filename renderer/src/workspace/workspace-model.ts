// Pure edits of workspaces: panels added and removed (several of a kind where that
// makes sense), link groups changed, focus written to the active panel's group, and
// named workspaces created, renamed, switched and reset. Every function returns new
// objects (the store compares by identity) or a refusal that says why.
import type { Timeframe } from '../../../shared/contract/candles';
import {
  DEFAULT_LINK,
  defaultWorkspace,
  MAX_PANELS,
  MAX_WORKSPACES,
  SINGLE_KINDS,
  WorkspacesSchema,
  type DockLayout,
  type Link,
  type PanelKind,
  type PanelSpec,
  type Workspace,
  type WorkspaceInstrument,
  type Workspaces,
} from '../../../shared/workspace';

export type Edit<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Edit<T> => ({ ok: true, value });
const refuse = <T>(message: string): Edit<T> => ({ ok: false, message });

export function activeWorkspace(w: Workspaces): Workspace {
  return w.list.find((x) => x.name === w.active) ?? w.list[0]!;
}

/** Replaces the active workspace by `f` of it. */
export function updateActive(w: Workspaces, f: (ws: Workspace) => Workspace): Workspaces {
  const current = activeWorkspace(w);
  const next = f(current);
  return next === current ? w : { ...w, list: w.list.map((x) => (x === current ? next : x)) };
}

/** The lowest free id of a kind ("chart-2"): ids stay short and stable across saves. */
export function nextPanelId(ws: Workspace, kind: PanelKind): string {
  for (let n = 1; ; n++) if (!(`${kind}-${n}` in ws.panels)) return `${kind}-${n}`;
}

export function canAdd(ws: Workspace, kind: PanelKind): Edit<true> {
  const ids = Object.keys(ws.panels);
  if (ids.length >= MAX_PANELS) return refuse(`A workspace holds at most ${MAX_PANELS} panels.`);
  if (SINGLE_KINDS.includes(kind) && ids.some((id) => ws.panels[id]!.kind === kind)) return refuse(`This workspace already has a ${kind} panel (one per workspace).`);
  return ok(true);
}

/** A new panel of `kind` in `link`; the layout is left to the dock, which places it. */
export function addPanel(ws: Workspace, kind: PanelKind, link: Link = DEFAULT_LINK): Edit<{ workspace: Workspace; id: string }> {
  const allowed = canAdd(ws, kind);
  if (!allowed.ok) return allowed;
  const id = nextPanelId(ws, kind);
  const spec: PanelSpec = { kind, link: link === 'none' ? DEFAULT_LINK : link, ...(kind === 'chart' ? { timeframe: '1m' as const } : {}) };
  return ok({ workspace: { ...ws, panels: { ...ws.panels, [id]: spec } }, id });
}

export function removePanel(ws: Workspace, id: string): Workspace {
  if (!(id in ws.panels)) return ws;
  const panels = { ...ws.panels };
  delete panels[id];
  return { ...ws, panels };
}

/**
 * What a panel shows: its own instrument when unlinked, else its group's; a group
 * nobody focused yet follows `fallback` (the focused instrument).
 */
export function panelInstrument(ws: Workspace, id: string, fallback: WorkspaceInstrument | null): WorkspaceInstrument | null {
  const p = ws.panels[id];
  if (!p) return fallback;
  if (p.link === 'none') return p.instrument ?? fallback;
  return ws.links[p.link] ?? fallback;
}

/**
 * Moves a panel to another group (or unlinks it). It keeps showing what it showed:
 * an unlinked panel takes its instrument along, and a group nobody focused yet
 * starts at the panel's instrument.
 */
export function setPanelLink(ws: Workspace, id: string, link: Link, fallback: WorkspaceInstrument | null): Workspace {
  const kind = ws.panels[id]?.kind;
  if (kind !== 'ladder' && kind !== 'tape') return setOneLink(ws, id, link, fallback);
  // One focused book and tape per renderer (the engine's focus): the ladder and tape move together.
  let next = ws;
  for (const other of Object.keys(ws.panels)) if (ws.panels[other]!.kind === 'ladder' || ws.panels[other]!.kind === 'tape') next = setOneLink(next, other, link, fallback);
  return next;
}

function setOneLink(ws: Workspace, id: string, link: Link, fallback: WorkspaceInstrument | null): Workspace {
  const p = ws.panels[id];
  if (!p || p.link === link) return ws;
  const shown = panelInstrument(ws, id, fallback);
  if (link === 'none') {
    const spec: PanelSpec = { kind: p.kind, link, ...(p.timeframe ? { timeframe: p.timeframe } : {}), ...(shown ? { instrument: shown } : {}) };
    return { ...ws, panels: { ...ws.panels, [id]: spec } };
  }
  const { instrument: _dropped, ...rest } = p;
  const links = ws.links[link] || !shown ? ws.links : { ...ws.links, [link]: shown };
  return { ...ws, links, panels: { ...ws.panels, [id]: { ...rest, link } } };
}

export function setPanelTimeframe(ws: Workspace, id: string, timeframe: Timeframe): Workspace {
  const p = ws.panels[id];
  if (!p || p.kind !== 'chart' || p.timeframe === timeframe) return ws;
  return { ...ws, panels: { ...ws.panels, [id]: { ...p, timeframe } } };
}

/** The group a focus change goes to: the active panel's (its own instrument when unlinked), else the default group. */
export function applyFocus(ws: Workspace, activePanel: string | null, instrument: WorkspaceInstrument): Workspace {
  const p = activePanel ? ws.panels[activePanel] : undefined;
  const same = (a: WorkspaceInstrument | undefined) => a?.exchange === instrument.exchange && a.symbol === instrument.symbol;
  if (p?.link === 'none') return same(p.instrument) ? ws : { ...ws, panels: { ...ws.panels, [activePanel!]: { ...p, instrument } } };
  const group = p ? p.link : DEFAULT_LINK;
  if (same(ws.links[group])) return ws;
  return { ...ws, links: { ...ws.links, [group]: instrument } };
}

export function withLayout(ws: Workspace, layout: DockLayout | null): Workspace {
  return ws.layout === layout ? ws : { ...ws, layout };
}

// ---- named workspaces ---------------------------------------------------------------

function checkName(w: Workspaces, name: string, except?: string): Edit<string> {
  const n = name.trim();
  if (!n) return refuse('A workspace needs a name.');
  if (n.length > 40) return refuse('A workspace name has at most 40 characters.');
  if (n !== except && w.list.some((x) => x.name === n)) return refuse(`There is already a workspace named "${n}".`);
  return ok(n);
}

/** A new workspace with the default panels, made active. */
export function createWorkspace(w: Workspaces, name: string): Edit<Workspaces> {
  if (w.list.length >= MAX_WORKSPACES) return refuse(`At most ${MAX_WORKSPACES} workspaces.`);
  const n = checkName(w, name);
  if (!n.ok) return n;
  return ok({ active: n.value, list: [...w.list, defaultWorkspace(n.value)] });
}

export function renameWorkspace(w: Workspaces, from: string, to: string): Edit<Workspaces> {
  const n = checkName(w, to, from);
  if (!n.ok) return n;
  if (!w.list.some((x) => x.name === from)) return refuse(`No workspace named "${from}".`);
  return ok({ active: w.active === from ? n.value : w.active, list: w.list.map((x) => (x.name === from ? { ...x, name: n.value } : x)) });
}

export function switchWorkspace(w: Workspaces, name: string): Edit<Workspaces> {
  if (!w.list.some((x) => x.name === name)) return refuse(`No workspace named "${name}".`);
  return ok(name === w.active ? w : { ...w, active: name });
}

/** The active workspace back to the default panels and arrangement (its name kept). */
export function resetWorkspace(w: Workspaces): Workspaces {
  return updateActive(w, (ws) => defaultWorkspace(ws.name));
}

export function deleteWorkspace(w: Workspaces, name: string): Edit<Workspaces> {
  if (w.list.length <= 1) return refuse('The last workspace cannot be deleted.');
  if (!w.list.some((x) => x.name === name)) return refuse(`No workspace named "${name}".`);
  const list = w.list.filter((x) => x.name !== name);
  return ok({ active: w.active === name ? list[0]!.name : w.active, list });
}

/** What goes to the settings: validated like the engine will, so a bug here shows as a refusal, not a lost save. */
export function checkWorkspaces(w: unknown): Edit<Workspaces> {
  const r = WorkspacesSchema.safeParse(w);
  return r.success ? ok(r.data) : refuse(r.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '));
}

/** The panel the engine's one focus serves: the ladder, else the tape. */
function marketPanel(ws: Workspace): string | undefined {
  const ids = Object.keys(ws.panels);
  return ids.find((id) => ws.panels[id]!.kind === 'ladder') ?? ids.find((id) => ws.panels[id]!.kind === 'tape');
}

/**
 * What the ladder and tape show (the engine's focus for this renderer): their
 * group's instrument, else the focused one. The object is the stored one, so a
 * React selector over it re-renders only when it changes.
 */
export function marketInstrument<T extends WorkspaceInstrument>(workspaces: Workspaces | null, focus: T | null): WorkspaceInstrument | T | null {
  if (!workspaces) return focus;
  const ws = activeWorkspace(workspaces);
  const id = marketPanel(ws);
  return id ? panelInstrument(ws, id, focus) : focus;
}
