// Everything the screen shows that changes a few times a second at most: settings,
// connection, exchange statuses, diagnostics, timeline, shutdown progress and
// notices. Ticks never pass through here (see row-store.ts).
import { createStore } from 'zustand/vanilla';
import type { EngineDiagnostics, ShutdownProgress } from '../../../shared/contract/renderer-api';
import type { ExchangeStatus, Outage, SubscriptionStatus } from '../../../shared/contract/status';
import type { Settings } from '../../../shared/settings';
import type { ExchangeMarkets } from '../../../shared/contract/market-catalogue';
import type { KeyAction } from '../../../shared/keymap';
import { instrumentId } from '../../../shared/market';
import type { LinkState } from '../bridge/link';

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
  host: 'electron' | 'headless';
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
  /** Every enabled exchange's markets, once the symbol search asked for them (null: not asked yet this session). */
  markets: ExchangeMarkets[] | null;
  searchOpen: boolean;
  helpOpen: boolean;
  /** The instrument the trader focused (search Enter); panels follow it. */
  focused: FocusedInstrument | null;
  /** Index into rows of the selected watchlist row, -1 for none. */
  selectedRow: number;
  /** The last keyboard action dispatched; panels whose targets live elsewhere subscribe to it (seq tells repeats apart). */
  lastAction: { action: KeyAction; seq: number } | null;
}

export interface FocusedInstrument {
  exchange: string;
  symbol: string;
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
  setMarkets(catalogues: ExchangeMarkets[]): void;
  setSearchOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  /** The one place the focused instrument changes (to be wired to the engine's focus request). */
  focusInstrument(exchange: string, symbol: string): void;
  /** Moves the selected watchlist row by delta, clamped to the rows. */
  moveSelection(delta: number): void;
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

function sameRows(a: WatchRowDef[], b: WatchRowDef[]): boolean {
  return a.length === b.length && a.every((row, i) => row.key === b[i]?.key);
}

export function createAppStore(host: AppState['host'], link: LinkState) {
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
    markets: null,
    searchOpen: false,
    helpOpen: false,
    focused: null,
    selectedRow: -1,
    lastAction: null,

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
        // A new session forgot which renderer asked for markets: ask again at the next search.
        markets: null,
      });
    },
    applySettings(settings) {
      const rows = watchRows(settings);
      // Keep the array identity when the watchlist did not change: no row re-render.
      set({ settings, rows: sameRows(rows, get().rows) ? get().rows : rows, showDiagnostics: settings.ui.showDiagnostics });
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
      set({ focused: { exchange, symbol } });
    },
    moveSelection(delta) {
      const n = get().rows.length;
      if (n === 0) return set({ selectedRow: -1 });
      const from = get().selectedRow;
      const next = from < 0 ? (delta > 0 ? 0 : n - 1) : Math.min(n - 1, Math.max(0, from + delta));
      set({ selectedRow: next });
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
          s.moveSelection(1);
          break;
        case 'previous-row':
          s.moveSelection(-1);
          break;
        default:
          break; // the others act outside this store (see keys/action-effects.ts) or in panels
      }
      set({ lastAction: { action, seq: (get().lastAction?.seq ?? 0) + 1 } });
    },
  }));
}
