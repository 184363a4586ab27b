// Everything the screen shows that changes a few times a second at most: settings,
// connection, exchange statuses, diagnostics, timeline, shutdown progress and
// notices. Ticks never pass through here (see row-store.ts).
import { createStore } from 'zustand/vanilla';
import type { EngineDiagnostics, ShutdownProgress } from '../../../shared/contract/renderer-api';
import type { ExchangeStatus, Outage, SubscriptionStatus } from '../../../shared/contract/status';
import type { Settings } from '../../../shared/settings';
import type { HostKind } from '../../../shared/engine-states';
import type { ExchangeMarkets } from '../../../shared/contract/market-catalogue';
import type { KeyAction } from '../../../shared/keymap';
import { instrumentId } from '../../../shared/market';
import type { LinkState } from '../bridge/link';
import type { Workspaces } from '../../../shared/workspace';
import { activeWorkspace, applyFocus, panelInstrument, updateActive } from '../workspace/workspace-model';

export interface Notice {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface WatchRowDef {
  key: string;
  exchange: string;
  symbol: string;
}

export interface AppState {
  host: HostKind;
  link: LinkState;
  /** The hello of the current session has been applied. */
  ready: boolean;
  settings: Settings | null;
  /** Rows to render, from settings.watchlist (one per exchange|symbol). */
  rows: WatchRowDef[];
  exchanges: ExchangeStatus[];
  subscriptions: SubscriptionStatus[];
  diagnostics: EngineDiagnostics | null;
  outages: Outage[];
  /** The user clicked Quit: the modal shows before main's first progress arrives. */
  quitRequested: boolean;
  shutdown: ShutdownProgress | null;
  notices: Notice[];
  /** Local mirror of settings.ui.showDiagnostics, flipped before main confirms. */
  showDiagnostics: boolean;
  /** The watchlist row the ladder and tape follow (settings.ui.focus, else the first row). */
  focus: WatchRowDef | null;
  /** Every enabled exchange's markets, once the symbol search asked for them (null: not asked yet this session). */
  markets: ExchangeMarkets[] | null;
  searchOpen: boolean;
  helpOpen: boolean;
  /** The workspaces as this renderer edits them (from the hello; later settings broadcasts are its own saves echoed). */
  workspaces: Workspaces | null;
  /** The dock's active panel: focus changes go to its link group. */
  activePanel: string | null;
  /** A pop-out window showing this one panel: it follows the workspaces main broadcasts (the main window edits and saves them). */
  popout: string | null;
  /** The last keyboard action dispatched; panels whose targets live elsewhere subscribe to it (seq tells repeats apart). */
  lastAction: { action: KeyAction; seq: number } | null;
}

export interface AppActions {
  applyHello(host: AppState['host'], settings: Settings): void;
  applySettings(settings: Settings): void;
  setLink(link: LinkState): void;
  setStatus(exchanges: ExchangeStatus[], subscriptions: SubscriptionStatus[]): void;
  setDiagnostics(diagnostics: EngineDiagnostics): void;
  setOutages(outages: Outage[]): void;
  setShutdown(progress: ShutdownProgress): void;
  requestQuit(): void;
  pushNotice(level: Notice['level'], message: string): void;
  dismissNotice(id: number): void;
  setShowDiagnostics(show: boolean): void;
  /** Selects a watchlist row (click, arrow keys). */
  select(key: string): void;
  /** Selects the row `delta` rows away from the current one. */
  selectBy(delta: number): void;
  setMarkets(catalogues: ExchangeMarkets[]): void;
  setSearchOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  /**
   * Focuses an instrument (search Enter): the ladder and tape follow it, whether or
   * not it is on the watchlist; a watchlist row is selected when it is one.
   */
  focusInstrument(exchange: string, symbol: string): void;
  /** A workspace edit (layout, panels, link groups, switch); saved by workspace/workspace-saving.ts. */
  setWorkspaces(workspaces: Workspaces): void;
  /** The dock's active panel changed: focus shows what that panel shows. */
  setActivePanel(id: string | null): void;
  /** A keyboard action: applies the ones whose target is this store, and announces every one (lastAction). */
  dispatchAction(action: KeyAction): void;
}

export type AppStore = ReturnType<typeof createAppStore>;

const MAX_NOTICES = 5;

export function watchRows(settings: Settings): WatchRowDef[] {
  const seen = new Set<string>();
  const rows: WatchRowDef[] = [];
  for (const entry of settings.watchlist) {
    const key = instrumentId(entry.exchange, entry.symbol);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ key, exchange: entry.exchange, symbol: entry.symbol });
  }
  return rows;
}

/**
 * The row to focus: the current one while it is on the watchlist (or was never on
 * it: focused from the symbol search), else the one settings remember, else the first.
 */
function focusOf(settings: Settings, rows: WatchRowDef[], current: WatchRowDef | null, previousRows: WatchRowDef[] = []): WatchRowDef | null {
  const keep = current && rows.find((r) => r.key === current.key);
  if (keep) return keep;
  if (current && !previousRows.some((r) => r.key === current.key)) return current;
  const f = settings.ui.focus;
  const saved = f && rows.find((r) => r.exchange === f.exchange && r.symbol === f.symbol);
  return saved ?? rows[0] ?? null;
}

/** The focus moved: the active panel's link group (or its own instrument, unlinked) follows. */
function withFocus(state: Pick<AppState, 'workspaces' | 'activePanel' | 'focus'>, focus: WatchRowDef): Pick<AppState, 'focus' | 'workspaces'> {
  const { workspaces, activePanel } = state;
  if (!workspaces) return { focus, workspaces };
  const before = state.focus ? { exchange: state.focus.exchange, symbol: state.focus.symbol } : null;
  return { focus, workspaces: updateActive(workspaces, (ws) => applyFocus(ws, activePanel, { exchange: focus.exchange, symbol: focus.symbol }, before)) };
}

function sameRows(a: WatchRowDef[], b: WatchRowDef[]): boolean {
  return a.length === b.length && a.every((row, i) => row.key === b[i]?.key);
}

export function createAppStore(host: AppState['host'], link: LinkState, popout: string | null = null) {
  let nextNoticeId = 1;
  return createStore<AppState & AppActions>()((set, get) => ({
    host,
    link,
    ready: false,
    settings: null,
    rows: [],
    exchanges: [],
    subscriptions: [],
    diagnostics: null,
    outages: [],
    quitRequested: false,
    shutdown: null,
    notices: [],
    showDiagnostics: false,
    focus: null,
    markets: null,
    searchOpen: false,
    helpOpen: false,
    lastAction: null,
    workspaces: null,
    activePanel: popout,
    popout,

    applyHello(helloHost, settings) {
      // A new session: statuses of the previous one no longer hold.
      set({
        host: helloHost,
        ready: true,
        settings,
        rows: watchRows(settings),
        exchanges: [],
        subscriptions: [],
        showDiagnostics: settings.ui.showDiagnostics,
        focus: focusOf(settings, watchRows(settings), null),
        // A new session forgot which renderer asked for markets: ask again at the next search.
        markets: null,
      });
      // The first session takes the saved workspaces; a reconnect keeps this renderer's (they are saved from here).
      if (!get().workspaces) {
        const { refused, ...workspaces } = settings.ui.workspaces;
        set({ workspaces });
        if (refused) get().pushNotice('warn', refused);
      }
    },
    applySettings(settings) {
      const rows = watchRows(settings);
      // Keep the array identity when the watchlist did not change: no row re-render.
      const kept = sameRows(rows, get().rows) ? get().rows : rows;
      set({ settings, rows: kept, showDiagnostics: settings.ui.showDiagnostics, focus: focusOf(settings, kept, get().focus, get().rows) });
      if (get().popout) {
        const { refused: _told, ...workspaces } = settings.ui.workspaces;
        set({ workspaces });
      }
    },
    setLink(next) {
      set(next.status === 'open' ? { link: next } : { link: next, ready: false });
    },
    setStatus(exchanges, subscriptions) {
      set({ exchanges, subscriptions });
    },
    setDiagnostics(diagnostics) {
      set({ diagnostics });
    },
    setOutages(outages) {
      set({ outages });
    },
    setShutdown(progress) {
      set({ shutdown: progress });
    },
    requestQuit() {
      set({ quitRequested: true });
    },
    pushNotice(level, message) {
      const notice: Notice = { id: nextNoticeId++, level, message };
      set({ notices: [...get().notices, notice].slice(-MAX_NOTICES) });
    },
    dismissNotice(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
    setShowDiagnostics(show) {
      set({ showDiagnostics: show });
    },
    select(key) {
      const row = get().rows.find((r) => r.key === key);
      if (row && row.key !== get().focus?.key) set(withFocus(get(), row));
    },
    selectBy(delta) {
      const { rows, focus } = get();
      if (!rows.length) return;
      const i = focus ? rows.findIndex((r) => r.key === focus.key) : -1;
      const next = rows[Math.max(0, Math.min(rows.length - 1, i + delta))]!;
      if (next.key !== focus?.key) set(withFocus(get(), next));
    },
    setMarkets(catalogues) {
      set({ markets: catalogues });
    },
    setSearchOpen(open) {
      set(open ? { searchOpen: true, helpOpen: false } : { searchOpen: false });
    },
    setHelpOpen(open) {
      set(open ? { helpOpen: true, searchOpen: false } : { helpOpen: false });
    },
    focusInstrument(exchange, symbol) {
      const key = instrumentId(exchange, symbol);
      if (key !== get().focus?.key) set(withFocus(get(), get().rows.find((r) => r.key === key) ?? { key, exchange, symbol }));
    },
    setWorkspaces(workspaces) {
      if (workspaces !== get().workspaces) set({ workspaces });
    },
    setActivePanel(id) {
      const { workspaces, activePanel, focus, rows } = get();
      if (id === activePanel) return;
      const shown = workspaces && id ? panelInstrument(activeWorkspace(workspaces), id, null) : null;
      const key = shown ? instrumentId(shown.exchange, shown.symbol) : undefined;
      if (!shown || key === focus?.key) return set({ activePanel: id });
      set({ activePanel: id, focus: rows.find((r) => r.key === key) ?? { key: key!, exchange: shown.exchange, symbol: shown.symbol } });
    },
    dispatchAction(action) {
      const s = get();
      switch (action) {
        case 'search':
          s.setSearchOpen(!s.searchOpen);
          break;
        case 'help':
          s.setHelpOpen(!s.helpOpen);
          break;
        case 'next-row':
          s.selectBy(1);
          break;
        case 'previous-row':
          s.selectBy(-1);
          break;
        default:
          break; // the others act outside this store (see keys/action-effects.ts) or in panels
      }
      set({ lastAction: { action, seq: (get().lastAction?.seq ?? 0) + 1 } });
    },
  }));
}
