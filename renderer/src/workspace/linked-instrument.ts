// Selectors for what a docked panel shows, for React (useApp) and the runtime. They
// return stored objects (a workspace's link entry or the store's focus), never new
// ones, so a selector re-renders its panel only when its instrument changes.
import { instrumentId } from '../../../shared/market';
import type { Link, WorkspaceInstrument } from '../../../shared/workspace';
import type { AppState } from '../state/app-store';
import { activeWorkspace, marketLinks, panelInstrument } from './workspace-model';

type Shown = Pick<AppState, 'workspaces' | 'focus' | 'rows'>;

/** A panel's instrument: its link group's, its own when unlinked, else the focused one. */
export function panelShown(s: Shown, panelId: string): WorkspaceInstrument | null {
  const fallback = s.focus ?? s.rows[0] ?? null;
  return s.workspaces ? panelInstrument(activeWorkspace(s.workspaces), panelId, fallback) : fallback;
}

/**
 * What the engine focuses for this renderer: each link holding a ladder or tape with
 * its instrument (a pop-out window: its own panel's only, if it is one).
 */
export function marketShown(s: Shown & Pick<AppState, 'popout'>): Map<Link, WorkspaceInstrument> {
  return s.workspaces ? marketLinks(activeWorkspace(s.workspaces), s.focus ?? s.rows[0] ?? null, s.popout) : new Map();
}

export function shownKey(i: WorkspaceInstrument | null): string {
  return i ? instrumentId(i.exchange, i.symbol) : '';
}
