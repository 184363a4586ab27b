// A desktop pop-out window loads the app's page with ?panel=<id> and shows that one
// panel of the active workspace (electron/main/popout-window.ts opens it).
import { PanelIdSchema } from '../../../shared/workspace';

/** The panel id of a pop-out window's URL query, or null (the main window; an invalid id is ignored). */
export function popoutPanel(search: string): string | null {
  const id = new URLSearchParams(search).get('panel');
  return id !== null && PanelIdSchema.safeParse(id).success ? id : null;
}
