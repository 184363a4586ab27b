// The docked workspace: every panel kind is a dockview panel (resizable, draggable,
// several charts), each tab shows its link-group colour and lets the trader change
// it, and the active workspace's layout goes to the store (then, debounced, to
// settings) on every dock change. The store's workspace is loaded into the dock
// when it changes from outside the dock: at start, on a switch and on a reset.
import { DockviewReact, themeAbyss, type DockviewApi, type DockviewReadyEvent, type IDockviewPanelHeaderProps, type IDockviewPanelProps, type SerializedDockview } from 'dockview-react';
import { useCallback, useEffect, useRef, type FunctionComponent } from 'react';
import type { Timeframe } from '../../../shared/contract/candles';
import { LINKS, PANEL_KINDS, type DockLayout, type Link, type PanelKind, type Workspace } from '../../../shared/workspace';
import { ChartPanel } from '../ui/ChartPanel';
import { DiagnosticsPanel } from '../ui/DiagnosticsPanel';
import { Ladder } from '../ui/Ladder';
import { useApp, useRuntime } from '../ui/runtime-context';
import { Tape } from '../ui/Tape';
import { Timeline } from '../ui/Timeline';
import { Watchlist } from '../ui/Watchlist';
import { arrangement, panelTitle } from './default-arrangement';
import { panelShown, shownKey } from './linked-instrument';
import { WorkspaceBar } from './WorkspaceBar';
import { isPoppedOut } from './popout';
import { activeWorkspace, addPanel, canLink, removePanel, setPanelLink, setPanelTimeframe, updateActive, withLayout } from './workspace-model';

function usePanelSpec(id: string) {
  return useApp((s) => (s.workspaces ? activeWorkspace(s.workspaces).panels[id] : undefined));
}

/** What every docked panel shares: its id, kind, link group and instrument as attributes (tests and styles read them). */
function Docked({ id, kind, children }: { id: string; kind: PanelKind; children: React.ReactNode }) {
  const spec = usePanelSpec(id);
  const shown = useApp((s) => panelShown(s, id));
  return (
    <div className={`docked docked-${kind}`} data-panel={id} data-kind={kind} data-link={spec?.link ?? ''} data-instrument={shownKey(shown)}>
      {children}
    </div>
  );
}

function LinkedChart({ id }: { id: string }) {
  const { app } = useRuntime();
  const shown = useApp((s) => panelShown(s, id));
  const timeframe = usePanelSpec(id)?.timeframe ?? '1m';
  const onTimeframe = useCallback(
    (tf: Timeframe) => {
      const s = app.getState();
      if (s.workspaces) s.setWorkspaces(updateActive(s.workspaces, (ws) => setPanelTimeframe(ws, id, tf)));
    },
    [app, id],
  );
  return <ChartPanel instrument={shown} timeframe={timeframe} onTimeframe={onTimeframe} />;
}

const BODIES: Record<PanelKind, (id: string) => React.ReactNode> = {
  watchlist: () => <Watchlist />,
  ladder: (id) => <Ladder id={id} />,
  tape: (id) => <Tape id={id} />,
  chart: (id) => <LinkedChart id={id} />,
  diagnostics: () => <DiagnosticsPanel />,
  timeline: () => <Timeline />,
};

/** One panel with its link attributes: in the dock, or alone in a pop-out window. */
export function PanelView({ id, kind }: { id: string; kind: PanelKind }) {
  return (
    <Docked id={id} kind={kind}>
      {BODIES[kind](id)}
    </Docked>
  );
}

const dock = (kind: PanelKind): FunctionComponent<IDockviewPanelProps> =>
  function DockedPanel({ api }: IDockviewPanelProps) {
    return <PanelView id={api.id} kind={kind} />;
  };

const COMPONENTS = Object.fromEntries(PANEL_KINDS.map((k) => [k, dock(k)])) as Record<PanelKind, FunctionComponent<IDockviewPanelProps>>;

const LINK_LABEL: Record<Link, string> = { red: 'Red', green: 'Green', blue: 'Blue', amber: 'Amber', none: 'Unlinked' };

/** A tab: the link colour, the title, the link-group picker and close. */
function PanelTab({ api }: IDockviewPanelHeaderProps) {
  const { app, api: host, saveWorkspacesNow } = useRuntime();
  const id = api.id;
  const link = usePanelSpec(id)?.link ?? 'none';
  const out = useApp((s) => isPoppedOut(s, id));
  const title = api.title ?? id;
  const relink = (next: Link) => {
    const s = app.getState();
    if (!s.workspaces) return;
    const allowed = canLink(activeWorkspace(s.workspaces), id, next);
    if (!allowed.ok) return s.pushNotice('info', allowed.message);
    s.setWorkspaces(updateActive(s.workspaces, (ws) => setPanelLink(ws, id, next, panelShown(s, id))));
    s.setActivePanel(id);
  };
  // The picker and the button must not start a tab drag or steal the dock's focus handling.
  const stop = (e: React.PointerEvent | React.MouseEvent) => e.stopPropagation();
  return (
    <div className="panel-tab" data-panel-tab={id} data-link={link} data-popped-out={out}>
      <span className={`link-dot link-${link}`} title={`Link group: ${LINK_LABEL[link]}`} />
      <span className="panel-tab-title">{title}</span>
      <select className="panel-link" aria-label={`${title} link group`} data-testid="panel-link" value={link} onPointerDown={stop} onMouseDown={stop} onChange={(e) => relink(e.target.value as Link)}>
        {LINKS.map((l) => (
          <option key={l} value={l}>
            {LINK_LABEL[l]}
          </option>
        ))}
      </select>
      {host.host === 'electron' && (
        <button
          type="button"
          className="panel-popout"
          aria-label={`Pop out ${title}`}
          title={out ? 'In a window of its own: bring it to the front' : 'Open in its own window (follows the same link group)'}
          onPointerDown={stop}
          onMouseDown={stop}
          onClick={() => {
            saveWorkspacesNow(); // the window reads the workspace from settings
            host.send({ type: 'popout', panel: id });
          }}
        >
          ⧉
        </button>
      )}
      <button type="button" className="panel-close" aria-label={`Close ${title}`} onPointerDown={stop} onMouseDown={stop} onClick={() => api.close()}>
        ×
      </button>
    </div>
  );
}

export function WorkspaceDock() {
  const { app } = useRuntime();
  const active = useApp((s) => (s.workspaces ? activeWorkspace(s.workspaces) : null));
  const api = useRef<DockviewApi | null>(null);
  /** The workspace as the dock last wrote it: anything else in the store came from outside (start, switch, reset). */
  const written = useRef<Workspace | null>(null);
  /** Set while the dock is being (re)built: its events are ours, not the trader's. */
  const loading = useRef(false);

  const sync = useCallback(
    (change?: (ws: Workspace) => Workspace) => {
      const s = app.getState();
      if (!api.current || !s.workspaces) return;
      const layout = api.current.toJSON() as unknown as DockLayout;
      const next = updateActive(s.workspaces, (ws) => withLayout(change ? change(ws) : ws, layout));
      written.current = activeWorkspace(next);
      s.setWorkspaces(next);
    },
    [app],
  );

  const load = useCallback(
    (ws: Workspace) => {
      const dv = api.current;
      if (!dv) return;
      loading.current = true;
      try {
        dv.clear();
        let arranged = false;
        if (ws.layout) {
          try {
            dv.fromJSON(ws.layout as unknown as SerializedDockview);
            arranged = true;
          } catch (e) {
            dv.clear();
            app.getState().pushNotice('warn', `The saved layout of "${ws.name}" could not be restored (${(e as Error).message}); the default arrangement is shown.`);
          }
        }
        if (!arranged)
          for (const p of arrangement(ws)) {
            const position = 'first' in p ? undefined : { referencePanel: p.referencePanel, direction: p.direction };
            dv.addPanel({ id: p.id, component: ws.panels[p.id]!.kind, title: p.title, ...(position ? { position } : {}) });
          }
      } finally {
        loading.current = false;
      }
      sync();
      app.getState().setActivePanel(dv.activePanel?.id ?? null);
    },
    [app, sync],
  );

  const onReady = useCallback(
    (event: DockviewReadyEvent) => {
      const dv = event.api;
      api.current = dv;
      dv.onDidLayoutChange(() => {
        if (!loading.current) sync();
      });
      dv.onDidRemovePanel((panel) => {
        if (!loading.current) sync((ws) => removePanel(ws, panel.id));
      });
      dv.onDidActivePanelChange((e) => app.getState().setActivePanel(e.panel?.id ?? null));
      const s = app.getState();
      if (s.workspaces) load(activeWorkspace(s.workspaces));
    },
    [app, load, sync],
  );

  // Switch, reset, or the hello's workspaces arriving after the dock: rebuild it.
  useEffect(() => {
    const w = written.current;
    if (!active || !api.current || active === w) return;
    const samePanels = w && Object.keys(w.panels).join() === Object.keys(active.panels).join();
    if (w && active.name === w.name && active.layout === w.layout && samePanels) {
      written.current = active; // a link, timeframe or focus edit: the dock is as it is
      return;
    }
    load(active);
  }, [active, load]);

  const add = useCallback(
    (kind: PanelKind) => {
      const s = app.getState();
      const dv = api.current;
      if (!dv || !s.workspaces) return;
      const r = addPanel(activeWorkspace(s.workspaces), kind);
      if (!r.ok) return s.pushNotice('info', r.message);
      const ref = dv.activePanel;
      loading.current = true;
      try {
        dv.addPanel({ id: r.value.id, component: kind, title: panelTitle(r.value.id, kind), ...(ref ? { position: { referencePanel: ref.id, direction: 'right' as const } } : {}) });
      } finally {
        loading.current = false;
      }
      sync(() => r.value.workspace);
      app.getState().setActivePanel(r.value.id);
    },
    [app, sync],
  );

  return (
    <>
      <WorkspaceBar onAdd={add} />
      <div className="dock" data-testid="dock" data-workspace={active?.name ?? ''}>
        <DockviewReact components={COMPONENTS} defaultTabComponent={PanelTab} onReady={onReady} theme={themeAbyss} disableFloatingGroups />
      </div>
    </>
  );
}
