// Workspaces as the settings file keeps them: named arrangements of dockable panels
// (dockview's own layout JSON), each panel's kind, link group and chart timeframe,
// and the instrument each link group follows. A layout comes from a file someone may
// have edited or from a renderer: its size, depth and panel count are bounded before
// its shape is parsed, and a bad one is replaced by the default with a reason
// (WorkspacesFieldSchema), never taking the rest of the settings down with it.
import { z } from 'zod';
import { TIMEFRAME_NAMES, type Timeframe } from './contract/candles';
import { INSTRUMENT_REF_FIELDS } from './instrument-ref';

export const PANEL_KINDS = ['watchlist', 'ladder', 'tape', 'chart', 'diagnostics', 'timeline'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];
/**
 * Kinds with one instance per workspace: the watchlist owns the row keys and the
 * diagnostics panel its visibility request.
 */
export const SINGLE_KINDS: readonly PanelKind[] = ['watchlist', 'diagnostics'];
/**
 * Kinds that paint a focused book and tape. The engine keeps one focus per renderer
 * and link (group or "none"), so each link holds at most one of each: up to five
 * ladders and five tapes, each link on its own instrument.
 */
export const MARKET_KINDS: readonly PanelKind[] = ['ladder', 'tape'];

/** Colour groups: panels in one follow the same instrument; "none" keeps its own. */
export const LINK_GROUPS = ['red', 'green', 'blue', 'amber'] as const;
export type LinkGroup = (typeof LINK_GROUPS)[number];
export const LINKS = [...LINK_GROUPS, 'none'] as const;
export type Link = (typeof LINKS)[number];
/** The group every default panel is in, and the one focus goes to before any panel is active. */
export const DEFAULT_LINK: LinkGroup = 'red';

export const MAX_PANELS = 24;
export const MAX_WORKSPACES = 12;
/** Serialized layout; a 24-panel dockview layout is under 10 KB. */
export const MAX_LAYOUT_CHARS = 64 * 1024;
/** Nesting of splits; dockview alternates orientation, so deeper is unusable anyway. */
export const MAX_LAYOUT_DEPTH = 12;
const MAX_NAME = 40;

/** A panel's id within a workspace: its kind and a number ("chart-2"). */
export const PanelIdSchema = z.string().regex(/^[a-z]{1,16}-[0-9]{1,4}$/, 'a panel id such as "chart-2"');
const panelId = PanelIdSchema;

export const WorkspaceInstrumentSchema = z
  .object(INSTRUMENT_REF_FIELDS)
  .strict();
export type WorkspaceInstrument = z.infer<typeof WorkspaceInstrumentSchema>;

export const PanelSpecSchema = z
  .object({
    kind: z.enum(PANEL_KINDS),
    link: z.enum(LINKS),
    /** Charts only. */
    timeframe: z.enum(TIMEFRAME_NAMES as [Timeframe, ...Timeframe[]]).optional(),
    /** Unlinked panels ("none") only: what this panel shows. */
    instrument: WorkspaceInstrumentSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.timeframe !== undefined && p.kind !== 'chart') ctx.addIssue({ code: 'custom', path: ['timeframe'], message: `only for charts (this panel is a ${p.kind})` });
    if (p.instrument !== undefined && p.link !== 'none') ctx.addIssue({ code: 'custom', path: ['instrument'], message: `only for unlinked panels (this one is in the ${p.link} group)` });
  });
export type PanelSpec = z.infer<typeof PanelSpecSchema>;

const size = z.number().finite().min(0).max(100_000);
const ident = z.string().min(1).max(64);

type GridNode = { type: 'leaf'; data: GroupState; size: number; visible?: boolean | undefined } | { type: 'branch'; data: GridNode[]; size: number; visible?: boolean | undefined };
interface GroupState {
  id: string;
  views: string[];
  activeView?: string | undefined;
}

/** A dockview group: its tabs in order. Dockview adds fields over versions; they pass (the size bound holds them). */
const GroupStateSchema = z.looseObject({ id: ident, views: z.array(panelId).min(1).max(MAX_PANELS), activeView: panelId.optional() });
const GridNodeSchema: z.ZodType<GridNode> = z.lazy(() =>
  z.union([
    z.looseObject({ type: z.literal('leaf'), data: GroupStateSchema, size, visible: z.boolean().optional() }),
    z.looseObject({ type: z.literal('branch'), data: z.array(GridNodeSchema).max(MAX_PANELS), size, visible: z.boolean().optional() }),
  ]),
) as z.ZodType<GridNode>;

/** dockview's SerializedDockview, as far as this app relies on it. Popout and floating groups are not used. */
export const DockLayoutSchema = z.looseObject({
  grid: z.looseObject({ root: GridNodeSchema, width: size, height: size, orientation: z.enum(['HORIZONTAL', 'VERTICAL']) }),
  panels: z.record(panelId, z.looseObject({ id: panelId, contentComponent: z.enum(PANEL_KINDS), title: z.string().max(MAX_NAME).optional() })),
  activeGroup: ident.optional(),
});
export type DockLayout = z.infer<typeof DockLayoutSchema>;

/** Depth of nested arrays/objects, iteratively (a hostile 50,000-deep file must not blow the stack). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > 1000) return max; // deep enough to refuse; no need to walk the rest
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** grid → root → (data → node)* → data → views: about two JSON levels per split. */
const MAX_JSON_DEPTH = 2 * MAX_LAYOUT_DEPTH + 8;

/** Checks size and depth before the shape, so a huge or deep layout costs one pass, not a recursive parse. */
const BoundedLayoutSchema = z
  .unknown()
  .transform((v, ctx) => {
    // Depth first: stringifying a 10,000-deep value overflows the stack. z.NEVER stops
    // the parse here, so no later check walks what was refused.
    if (jsonDepth(v) > MAX_JSON_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `layout nested too deeply: at most ${MAX_LAYOUT_DEPTH} levels of splits` });
      return z.NEVER;
    }
    const length = (JSON.stringify(v) ?? '').length;
    if (length > MAX_LAYOUT_CHARS) {
      ctx.addIssue({ code: 'custom', message: `layout too large: at most ${MAX_LAYOUT_CHARS} characters (got ${length})` });
      return z.NEVER;
    }
    return v;
  })
  .pipe(DockLayoutSchema);

function gridViews(node: GridNode, out: string[]): string[] {
  if (node.type === 'leaf') out.push(...node.data.views);
  else for (const child of node.data) gridViews(child, out);
  return out;
}

export const WorkspaceSchema = z
  .object({
    name: z.string().trim().min(1, 'a name').max(MAX_NAME, `at most ${MAX_NAME} characters`),
    panels: z.record(panelId, PanelSpecSchema),
    /** The instrument each link group follows (absent: the focused one). */
    links: z.partialRecord(z.enum(LINK_GROUPS), WorkspaceInstrumentSchema).default({}),
    /** dockview's layout; null: the default arrangement of `panels` (a new or reset workspace). */
    layout: BoundedLayoutSchema.nullable().default(null),
  })
  .strict()
  .superRefine((w, ctx) => {
    const ids = Object.keys(w.panels);
    if (ids.length > MAX_PANELS) return ctx.addIssue({ code: 'custom', path: ['panels'], message: `at most ${MAX_PANELS} panels (got ${ids.length})` });
    for (const kind of SINGLE_KINDS) {
      const n = ids.filter((id) => w.panels[id]!.kind === kind).length;
      if (n > 1) ctx.addIssue({ code: 'custom', path: ['panels'], message: `at most one ${kind} panel (got ${n})` });
    }
    for (const kind of MARKET_KINDS)
      for (const link of LINKS) {
        const n = ids.filter((id) => w.panels[id]!.kind === kind && w.panels[id]!.link === link).length;
        if (n > 1) ctx.addIssue({ code: 'custom', path: ['panels'], message: `at most one ${kind} panel in the ${link === 'none' ? 'unlinked' : link} group (got ${n})` });
      }
    // The unlinked ladder and tape are one focus in the engine: they show one instrument.
    const unlinked = ids.filter((id) => MARKET_KINDS.includes(w.panels[id]!.kind) && w.panels[id]!.link === 'none').map((id) => w.panels[id]!.instrument);
    if (unlinked.length === 2 && (unlinked[0]?.exchange !== unlinked[1]?.exchange || unlinked[0]?.symbol !== unlinked[1]?.symbol))
      ctx.addIssue({ code: 'custom', path: ['panels'], message: 'the unlinked ladder and tape show one instrument' });
    if (!w.layout) return;
    const placed = gridViews(w.layout.grid.root, []);
    const laid = Object.keys(w.layout.panels);
    if (new Set(placed).size !== placed.length) ctx.addIssue({ code: 'custom', path: ['layout'], message: 'a panel is placed twice' });
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((id) => b.includes(id));
    if (!same(placed, ids) || !same(laid, ids)) ctx.addIssue({ code: 'custom', path: ['layout'], message: `the layout's panels (${[...new Set([...placed, ...laid])].join(', ')}) are not the workspace's (${ids.join(', ')})` });
    for (const id of laid) {
      const kind = w.layout.panels[id]!.contentComponent;
      if (w.panels[id] && w.panels[id].kind !== kind) ctx.addIssue({ code: 'custom', path: ['layout', 'panels', id], message: `is a ${kind} in the layout but a ${w.panels[id].kind} in the workspace` });
    }
  });
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** Desktop pop-out windows open at a time (each a renderer of its own). */
export const MAX_POPOUTS = 8;

/** A window's place on the screen (Electron's Rectangle), in DIPs; far beyond any desktop is refused. */
export const WindowBoundsSchema = z
  .object({
    x: z.number().int().min(-100_000).max(100_000),
    y: z.number().int().min(-100_000).max(100_000),
    width: z.number().int().min(200).max(20_000),
    height: z.number().int().min(150).max(20_000),
  })
  .strict();
export type WindowBounds = z.infer<typeof WindowBoundsSchema>;

/** A panel of the active workspace popped out into its own window, and where that window was. */
export const PopoutSchema = z.object({ panel: panelId, bounds: WindowBoundsSchema }).strict();
export type Popout = z.infer<typeof PopoutSchema>;

export const WorkspacesSchema = z
  .object({
    active: z.string().max(MAX_NAME),
    list: z.array(WorkspaceSchema).min(1).max(MAX_WORKSPACES, `at most ${MAX_WORKSPACES} workspaces`),
    /**
     * Desktop app: the panels popped out when it last ran, reopened at the next start.
     * Written by the host (host/popout-windows.ts), never by a renderer: the engine keeps
     * its own when a renderer saves the workspaces.
     */
    popouts: z.array(PopoutSchema).max(MAX_POPOUTS, `at most ${MAX_POPOUTS} pop-out windows`).optional(),
    /** Why the saved workspaces were replaced by the default (told to the trader once, then cleared). */
    refused: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const names = s.list.map((w) => w.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['list', i, 'name'], message: `duplicate workspace name "${n}"` });
    });
    if (!names.includes(s.active)) ctx.addIssue({ code: 'custom', path: ['active'], message: `no workspace named "${s.active}"` });
    const out = (s.popouts ?? []).map((p) => p.panel);
    out.forEach((id, i) => {
      if (out.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['popouts', i, 'panel'], message: `"${id}" is popped out twice` });
    });
  });
export type Workspaces = z.infer<typeof WorkspacesSchema>;

/** `workspaces` with the host's pop-out windows instead of whatever it said of them (none: the key left out). */
export function withPopouts(workspaces: Workspaces, popouts: readonly Popout[] | undefined): Workspaces {
  const { popouts: _theirs, ...rest } = workspaces;
  return popouts && popouts.length ? { ...rest, popouts: [...popouts] } : rest;
}

export const DEFAULT_WORKSPACE_NAME = 'Default';

/** The panels of a new workspace, all in the default link group (their arrangement: workspace/default-arrangement.ts). */
export function defaultWorkspace(name = DEFAULT_WORKSPACE_NAME): Workspace {
  const panel = (kind: PanelKind): PanelSpec => (kind === 'chart' ? { kind, link: DEFAULT_LINK, timeframe: '1m' } : { kind, link: DEFAULT_LINK });
  return {
    name,
    panels: { 'watchlist-1': panel('watchlist'), 'ladder-1': panel('ladder'), 'tape-1': panel('tape'), 'chart-1': panel('chart'), 'diagnostics-1': panel('diagnostics') },
    links: {},
    layout: null,
  };
}

export function defaultWorkspaces(): Workspaces {
  return { active: DEFAULT_WORKSPACE_NAME, list: [defaultWorkspace()] };
}

/**
 * ui.workspaces in the settings: a bad value (hand-edited, from an older or newer
 * version) becomes the default with `refused` saying why, and the rest of the
 * settings load as they are.
 */
export const WorkspacesFieldSchema = z
  .unknown()
  .optional() // absent: the default; the key is still always there after parsing
  .transform((input): Workspaces => {
    if (input === undefined) return defaultWorkspaces();
    const r = WorkspacesSchema.safeParse(input);
    if (r.success) return r.data;
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    return { ...defaultWorkspaces(), refused: `The saved workspaces were not valid and were replaced by the default layout (${issues.join('; ')}).`.slice(0, 2000) };
  });
