// Workspace edits go to main's settings (set-workspaces), debounced: a drag of a
// splitter is dozens of layout changes and one save. A pending save is sent at once
// when the trader quits, so the layout left on screen is the one restored; nothing is
// sent after that, and nothing main already holds is sent again.
import type { FromRenderer } from '../../../shared/contract/renderer-api';
import type { Workspaces } from '../../../shared/workspace';
import type { AppStore } from '../state/app-store';
import { checkWorkspaces } from './workspace-model';

export const SAVE_DEBOUNCE_MS = 400;

export interface WorkspaceSaverDeps {
  send(message: FromRenderer): void;
  /** Starts a timer; returns its cancel. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** A workspace this renderer built could not be saved (a bug): say so. */
  refused(message: string): void;
}

export class WorkspaceSaver {
  private pending: Workspaces | null = null;
  private cancel: (() => void) | undefined;
  /** What main has (the hello's, then our last save): rebuilding the dock at start re-serializes the same layout, which is not sent again. */
  private savedJson = '';
  /** After the quit: the pending save went out with it; nothing more is sent into a shutdown. */
  private closed = false;

  constructor(private readonly deps: WorkspaceSaverDeps) {}

  /** Main holds these (the hello's). */
  saved(workspaces: Workspaces): void {
    this.savedJson = JSON.stringify(workspaces);
  }

  schedule(workspaces: Workspaces): void {
    if (this.closed) return;
    this.pending = workspaces;
    this.cancel ??= this.deps.setTimeout(() => {
      this.cancel = undefined;
      this.flush();
    }, SAVE_DEBOUNCE_MS);
  }

  /** Sends the pending save now (quit), if there is one. */
  flush(): void {
    this.cancel?.();
    this.cancel = undefined;
    const w = this.pending;
    this.pending = null;
    if (!w) return;
    const checked = checkWorkspaces(w);
    if (!checked.ok) return this.deps.refused(`The workspace layout could not be saved: ${checked.message}`);
    const json = JSON.stringify(checked.value);
    if (json === this.savedJson) return;
    this.savedJson = json;
    this.deps.send({ type: 'set-workspaces', workspaces: checked.value });
  }

  /** The quit: the pending save now, then none. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  dispose(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending = null;
  }
}

/**
 * Saves what the trader changes: not the workspaces the hello brought (main has
 * them), except when main replaced refused ones by the default (saving clears the
 * reason). Returns the unsubscribe.
 */
export function bindWorkspaceSaving(app: AppStore, saver: WorkspaceSaver): () => void {
  const off = app.subscribe((state, prev) => {
    if (state.quitRequested && !prev.quitRequested) return saver.close();
    if (!state.workspaces || state.workspaces === prev.workspaces) return;
    const fromHello = !prev.workspaces;
    if (fromHello && !state.settings?.ui.workspaces.refused) return saver.saved(state.workspaces);
    saver.schedule(state.workspaces);
  });
  return () => {
    off();
    saver.dispose();
  };
}
