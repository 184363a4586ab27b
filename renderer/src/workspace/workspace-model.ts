// Pure edits of workspaces: panels added and removed (several of a kind where that
// makes sense), link groups changed, focus written to the active panel's group, and
// named workspaces created, renamed, switched and reset. Every function returns new
// objects (the store compares by identity) or a refusal that says why.
import type { Timeframe } from '../../../shared/contract/candles';
import {
  DEFAULT_LINK,
  defaultWorkspace,
  LINKS,
  MARKET_KINDS,
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

const isMarket = (kind: PanelKind | undefined): boolean => kind !== undefined && MARKET_KINDS.includes(kind);

/** Links that hold no panel of `kind` yet: colour groups first, "none" last. */
function freeLinks(ws: Workspace, kind: PanelKind): Link[] {
  const taken = new Set(Object.values(ws.panels).filter((p) => p.kind === kind).map((p) => p.link));
  return LINKS.filter((l) => !taken.has(l));
}

export function canAdd(ws: Workspace, kind: PanelKind): Edit<true> {
  const ids = Object.keys(ws.panels);
  if (ids.length >= MAX_PANELS) return refuse(`A workspace holds at most ${MAX_PANELS} panels.`);
  if (SINGLE_KINDS.includes(kind) && ids.some((id) => ws.panels[id]!.kind === kind)) return refuse(`This workspace already has a ${kind} panel (one per workspace).`);
  if (isMarket(kind) && freeLinks(ws, kind).length === 0) return refuse(`Every link group already has a ${kind} (one per group and one unlinked).`);
  return ok(true);
}

/** Whether panel `id` may move to `link`: a ladder or tape only to a link without one. */
export function canLink(ws: Workspace, id: string, link: Link): Edit<true> {
  const p = ws.panels[id];
  if (!p || p.link === link || !isMarket(p.kind)) return ok(true);
  if (freeLinks(ws, p.kind).includes(link)) return ok(true);
  return refuse(link === 'none' ? `There is already an unlinked ${p.kind} (one per link).` : `The ${link} group already has a ${p.kind} (one per group).`);
}

/**
 * A new panel of `kind` in `link`; the layout is left to the dock, which places it. A
 * ladder or tape goes to the first link without one (so a second ladder shows another
 * group's instrument); an unlinked one takes the unlinked market instrument.
 */
export function addPanel(ws: Workspace, kind: PanelKind, link: Link = DEFAULT_LINK): Edit<{ workspace: Workspace; id: string }> {
  const allowed = canAdd(ws, kind);
  if (!allowed.ok) return allowed;
  const id = nextPanelId(ws, kind);
  let to: Link = link === 'none' ? DEFAULT_LINK : link;
  if (isMarket(kind) && !freeLinks(ws, kind).includes(to)) to = freeLinks(ws, kind)[0]!;
  const shared = to === 'none' ? unlinkedMarket(ws) : undefined;
  const spec: PanelSpec = { kind, link: to, ...(kind === 'chart' ? { timeframe: '1m' as const } : {}), ...(shared ? { instrument: shared } : {}) };
  return ok({ workspace: { ...ws, panels: { ...ws.panels, [id]: spec } }, id });
}

/** The instrument the unlinked ladder and tape show (one focus in the engine), if set. */
function unlinkedMarket(ws: Workspace): WorkspaceInstrument | undefined {
  for (const p of Object.values(ws.panels)) if (p.link === 'none' && isMarket(p.kind) && p.instrument) return p.instrument;
  return undefined;
}

/** Every unlinked ladder and tape shows `instrument`. */
function setUnlinkedMarket(ws: Workspace, instrument: WorkspaceInstrument): Workspace {
  let panels = ws.panels;
  for (const [id, p] of Object.entries(ws.panels))
    if (p.link === 'none' && isMarket(p.kind) && (p.instrument?.exchange !== instrument.exchange || p.instrument.symbol !== instrument.symbol)) {
      if (panels === ws.panels) panels = { ...ws.panels };
      panels[id] = { ...p, instrument };
    }
  return panels === ws.panels ? ws : { ...ws, panels };
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
 * an unlinked panel takes its instrument along (an unlinked ladder and tape share
 * one: the other follows), and a group nobody focused yet starts at the panel's
 * instrument. Refused (the workspace unchanged) where canLink refuses.
 */
export function setPanelLink(ws: Workspace, id: string, link: Link, fallback: WorkspaceInstrument | null): Workspace {
  const p = ws.panels[id];
  if (!p || p.link === link || !canLink(ws, id, link).ok) return ws;
  const shown = panelInstrument(ws, id, fallback);
  if (link === 'none') {
    const spec: PanelSpec = { kind: p.kind, link, ...(p.timeframe ? { timeframe: p.timeframe } : {}), ...(shown ? { instrument: shown } : {}) };
    const next = { ...ws, panels: { ...ws.panels, [id]: spec } };
    return isMarket(p.kind) && shown ? setUnlinkedMarket(next, shown) : next;
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

/**
 * The group a focus change goes to: the active panel's (its own instrument when
 * unlinked; every unlinked ladder and tape together), else the default group. Other
 * groups nobody focused yet followed the focus until now: they keep `before` (what
 * they showed), so a focus in one group never moves another.
 */
export function applyFocus(ws: Workspace, activePanel: string | null, instrument: WorkspaceInstrument, before: WorkspaceInstrument | null = null): Workspace {
  const p = activePanel ? ws.panels[activePanel] : undefined;
  const same = (a: WorkspaceInstrument | undefined) => a?.exchange === instrument.exchange && a.symbol === instrument.symbol;
  if (p?.link === 'none' && isMarket(p.kind)) return setUnlinkedMarket(ws, instrument);
  if (p?.link === 'none') return same(p.instrument) ? ws : { ...ws, panels: { ...ws.panels, [activePanel!]: { ...p, instrument } } };
  const group = p ? p.link : DEFAULT_LINK;
  if (same(ws.links[group])) return ws;
  const links = { ...ws.links, [group]: instrument };
  if (before)
    for (const spec of Object.values(ws.panels)) if (spec.link !== 'none' && spec.link !== group && !links[spec.link]) links[spec.link] = before;
  return { ...ws, links };
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

/**
 * What each link's ladder and tape show (the engine's focus per link for this
 * renderer): links that hold a ladder or tape, with that panel's instrument; `only`
 * limits it to one panel (a pop-out window). A link on no instrument yet is left out.
 */
export function marketLinks(ws: Workspace, fallback: WorkspaceInstrument | null, only: string | null = null): Map<Link, WorkspaceInstrument> {
  const out = new Map<Link, WorkspaceInstrument>();
  for (const [id, p] of Object.entries(ws.panels)) {
    if (!isMarket(p.kind) || out.has(p.link) || (only !== null && id !== only)) continue;
    const shown = panelInstrument(ws, id, fallback);
    if (shown) out.set(p.link, shown);
  }
  return out;
}
