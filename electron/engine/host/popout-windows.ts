// Pop-out windows of the desktop app, as plain bookkeeping the Electron shell binds
// (electron/main/popout-window.ts): one window per panel (asking again brings it to
// the front), a bounded number, each registered with an owner so the coordinated
// shutdown closes them all, and none opened once it has.
import type { Owner, Registration } from '../../../shared/lifecycle/owner';
import { PanelIdSchema } from '../../../shared/workspace';

export interface PopoutWindow {
  focus(): void;
  close(): void;
}

export interface PopoutWindowsOptions {
  /** Opens the window of `panelId`; `closed` must be called once it is gone (closed by the trader or by close()). */
  open(panelId: string, closed: () => void): PopoutWindow;
  owner: Owner;
  max?: number;
}

export const MAX_POPOUTS = 8;

/** The page a pop-out window loads: the app's own page, showing one panel. */
export function popoutPath(panelId: string): string {
  return `/index.html?panel=${encodeURIComponent(PanelIdSchema.parse(panelId))}`;
}

export class PopoutWindows {
  private readonly windows = new Map<string, { window: PopoutWindow; registration: Registration }>();
  private readonly max: number;

  constructor(private readonly options: PopoutWindowsOptions) {
    this.max = options.max ?? MAX_POPOUTS;
  }

  /** Opens (or brings forward) a panel's window; returns why not, if not. */
  request(panelId: string): string | undefined {
    if (this.options.owner.isDisposed) return 'The app is shutting down: no new windows.';
    if (!PanelIdSchema.safeParse(panelId).success) return `"${panelId.slice(0, 40)}" is not a panel.`;
    const open = this.windows.get(panelId);
    if (open) {
      open.window.focus();
      return undefined;
    }
    if (this.windows.size >= this.max) return `At most ${this.max} pop-out windows; close one first.`;
    let gone = false;
    const closed = (): void => {
      gone = true;
      const entry = this.windows.get(panelId);
      if (entry?.window !== window) return;
      this.windows.delete(panelId);
      entry.registration.release();
    };
    const window = this.options.open(panelId, closed);
    if (gone) return undefined; // closed while opening (load failure)
    this.windows.set(panelId, { window, registration: this.options.owner.add('popout-window', () => window.close()) });
    return undefined;
  }

  get openPanels(): string[] {
    return [...this.windows.keys()];
  }

  /** The coordinated shutdown: every window closed, no new one. */
  closeAll(): void {
    this.options.owner.dispose();
  }
}
