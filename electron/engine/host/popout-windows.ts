// Pop-out windows of the desktop app, as plain bookkeeping the Electron shell binds
// (electron/main/popout-window.ts): one window per panel (asking again brings it to
// the front), a bounded number, each registered with an owner so the coordinated
// shutdown closes them all, and none opened once it has. Which panels are out and
// where their windows are is reported (debounced: a drag is many moves) so settings
// keep it, and the next start reopens them (reopen). Windows the shutdown closes stay
// recorded: they were open when the app quit.
import type { Owner, Registration } from '../../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../../shared/lifecycle/timers';
import { MAX_POPOUTS, PanelIdSchema, type Popout, type WindowBounds, type Workspaces } from '../../../shared/workspace';

export { MAX_POPOUTS } from '../../../shared/workspace';

export interface PopoutWindow {
  focus(): void;
  close(): void;
  /** Where the window is now (its outer bounds). */
  bounds(): WindowBounds;
}

/** What a window tells its bookkeeping. */
export interface PopoutWindowEvents {
  /** The window is gone (closed by the trader or by close()); called once. */
  closed(): void;
  /** Moved or resized. */
  moved(): void;
}

export interface PopoutWindowsOptions {
  /** Opens the window of `panelId`, where `bounds` says when it was saved (else wherever the shell puts it). */
  open(panelId: string, events: PopoutWindowEvents, bounds?: WindowBounds): PopoutWindow;
  owner: Owner;
  /** Which panels are out and where, after a change settles (saved in settings.ui.workspaces.popouts). */
  changed?(popouts: Popout[]): void;
  scheduler: Scheduler;
  max?: number;
  /** How long moves must pause before they are reported. */
  settleMs?: number;
}

export const POPOUT_SETTLE_MS = 500;

/** The page a pop-out window loads: the app's own page, showing one panel. */
export function popoutPath(panelId: string): string {
  return `/index.html?panel=${encodeURIComponent(PanelIdSchema.parse(panelId))}`;
}

/** How much of a window's top edge must be on some screen for its saved place to be kept. */
const GRIP = { width: 100, height: 40 };

/**
 * The saved bounds, or only their size when no screen shows the window's top strip
 * any more (a monitor unplugged since): the shell then places it.
 */
export function placeOnScreen(bounds: WindowBounds, workAreas: readonly WindowBounds[]): WindowBounds | Pick<WindowBounds, 'width' | 'height'> {
  const onScreen = workAreas.some((a) => {
    const w = Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x);
    const h = Math.min(bounds.y + GRIP.height, a.y + a.height) - Math.max(bounds.y, a.y);
    return w >= Math.min(GRIP.width, bounds.width) && h >= GRIP.height;
  });
  return onScreen ? bounds : { width: bounds.width, height: bounds.height };
}

export class PopoutWindows {
  private readonly windows = new Map<string, { window: PopoutWindow; registration: Registration }>();
  private readonly max: number;
  private readonly settleMs: number;
  /** The pending report (registered with the owner like the windows). */
  private pending: Registration | undefined;
  /** Set once the shutdown closes the windows: their closing is not the trader's. */
  private closing = false;

  constructor(private readonly options: PopoutWindowsOptions) {
    this.max = options.max ?? MAX_POPOUTS;
    this.settleMs = options.settleMs ?? POPOUT_SETTLE_MS;
  }

  /** Opens (or brings forward) a panel's window; returns why not, if not. */
  request(panelId: string, bounds?: WindowBounds): string | undefined {
    if (this.options.owner.isDisposed || this.closing) return 'The app is shutting down: no new windows.';
    if (!PanelIdSchema.safeParse(panelId).success) return `"${panelId.slice(0, 40)}" is not a panel.`;
    const open = this.windows.get(panelId);
    if (open) {
      open.window.focus();
      return undefined;
    }
    if (this.windows.size >= this.max) return `At most ${this.max} pop-out windows; close one first.`;
    let gone = false;
    const events: PopoutWindowEvents = {
      closed: () => {
        gone = true;
        const entry = this.windows.get(panelId);
        if (entry?.window !== window) return;
        this.windows.delete(panelId);
        entry.registration.release();
        this.scheduleReport();
      },
      moved: () => {
        if (this.windows.get(panelId)?.window === window) this.scheduleReport();
      },
    };
    const window = this.options.open(panelId, events, bounds);
    if (gone) return undefined; // closed while opening (load failure)
    this.windows.set(panelId, { window, registration: this.options.owner.add('popout-window', () => window.close()) });
    this.scheduleReport();
    return undefined;
  }

  /**
   * At start: the windows open when the app last quit (settings.ui.workspaces.popouts),
   * those whose panel is in the active workspace. Returns why any was not reopened.
   */
  reopen(workspaces: Workspaces): string[] {
    const active = workspaces.list.find((w) => w.name === workspaces.active);
    const refusals: string[] = [];
    for (const p of workspaces.popouts ?? []) {
      if (!active || !(p.panel in active.panels)) continue; // another workspace is active now, or the panel was closed
      const refusal = this.request(p.panel, p.bounds);
      if (refusal) refusals.push(`${p.panel}: ${refusal}`);
    }
    return refusals;
  }

  get openPanels(): string[] {
    return [...this.windows.keys()];
  }

  /** The coordinated shutdown: a pending report sent now, then every window closed (still recorded), no new one. */
  closeAll(): void {
    if (this.pending) this.report();
    this.closing = true;
    this.options.owner.dispose();
  }

  private scheduleReport(): void {
    if (this.closing || this.options.owner.isDisposed || !this.options.changed) return;
    this.pending?.dispose();
    this.pending = ownedTimeout(this.options.scheduler, this.options.owner, () => this.report(), this.settleMs, 'popout-report');
  }

  private report(): void {
    this.pending?.dispose();
    this.pending = undefined;
    const out: Popout[] = [];
    for (const [panel, { window }] of this.windows) out.push({ panel, bounds: window.bounds() });
    this.options.changed?.(out);
  }
}
