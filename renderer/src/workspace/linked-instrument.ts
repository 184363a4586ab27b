// Selectors for what a docked panel shows, for React (useApp) and the runtime. They
// return stored objects (a workspace's link entry or the store's focus), never new
// ones, so a selector re-renders its panel only when its instrument changes.
import { instrumentId } from '../../../shared/market';
import type { WorkspaceInstrument } from '../../../shared/workspace';
import type { AppState } from '../state/app-store';
import { activeWorkspace, marketInstrument, panelInstrument } from './workspace-model';

/** The ladder's and tape's instrument (the engine's focus for this renderer). */
export function marketShown(s: Pick<AppState, 'workspaces' | 'focus'>): WorkspaceInstrument | null {
  return marketInstrument(s.workspaces, s.focus);
}

/** A panel's instrument: its link group's, its own when unlinked, else the focused one. */
export function panelShown(s: Pick<AppState, 'workspaces' | 'focus' | 'rows'>, panelId: string): WorkspaceInstrument | null {
  const fallback = s.focus ?? s.rows[0] ?? null;
  return s.workspaces ? panelInstrument(activeWorkspace(s.workspaces), panelId, fallback) : fallback;
}

export function shownKey(i: WorkspaceInstrument | null): string {
  return i ? instrumentId(i.exchange, i.symbol) : '';
}
