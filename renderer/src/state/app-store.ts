// Everything the screen shows that changes a few times a second at most: settings,
// connection, exchange statuses, diagnostics, timeline, shutdown progress and
// notices. Ticks never pass through here (see row-store.ts).
import { createStore } from 'zustand/vanilla';
import type { EngineDiagnostics, ShutdownProgress } from '../../../shared/contract/renderer-api';
import type { ExchangeStatus, Outage, SubscriptionStatus } from '../../../shared/contract/status';
import type { Settings } from '../../../shared/settings';
import type { HostKind } from '../../../shared/engine-states';
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
  }));
}
