// A desktop pop-out window loads the app's page with ?panel=<id> and shows that one
// panel of the active workspace (electron/main/popout-window.ts opens it).
import { PanelIdSchema } from '../../../shared/workspace';
import type { AppState } from '../state/app-store';

/** The panel id of a pop-out window's URL query, or null (the main window; an invalid id is ignored). */
export function popoutPanel(search: string): string | null {
  const id = new URLSearchParams(search).get('panel');
  return id !== null && PanelIdSchema.safeParse(id).success ? id : null;
}

/**
 * Whether a panel is out in a window of its own (desktop): the host says so in the
 * settings it broadcasts (ui.workspaces.popouts), the renderers never write it.
 */
export function isPoppedOut(s: Pick<AppState, 'settings'>, panelId: string): boolean {
  return s.settings?.ui.workspaces.popouts?.some((p) => p.panel === panelId) ?? false;
}
