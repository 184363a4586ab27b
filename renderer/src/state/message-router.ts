// Routes each validated message from main to the store that owns it. Tick frames
// go to the frame scheduler (row store + rAF painter), never into React state.
// Every frame is answered: the scheduler acks it after the paint; one it could not
// apply is nacked here with the reason (invalid ones are nacked by the bridge).
import { MAX_NACK_REASON_CHARS, type ToRenderer } from '../../../shared/contract/renderer-api';
import { now } from '../../../shared/clock';
import type { HostLink } from '../bridge/link';
import type { FrameScheduler } from '../paint/frame-scheduler';
import type { AppStore } from './app-store';
import { watchRows } from './app-store';
import type { RowStore } from './row-store';
import type { ChartData } from '../chart/chart-data';
import type { FrameRiders } from '../paint/frame-riders';

type ToRendererFrame = Extract<ToRenderer, { type: 'frame' }>;

export interface RouterDeps {
  app: AppStore;
  rows: RowStore;
  scheduler: Pick<FrameScheduler, 'onFrame' | 'invalidate' | 'reset'>;
  link: Pick<HostLink, 'expectHostExit'>;
  /** The focused instruments' depths and tapes, one per instrument (written before the frame's rows; painted with them). */
  focus?: { apply(depths: ToRendererFrame['depths'], tapes: ToRendererFrame['tapes'], localNow: number): void };
  /** Tells main frame `seq` was received but not applied. */
  nack(seq: number, reason: string): void;
  /** The charts' candle series (absent where no chart can be shown). */
  charts?: Pick<ChartData, 'apply'>;
  /**
   * Status, diagnostics and timeline updates need no frame of their own: applied on the
   * next painted one, the newest of each kind (paint/frame-riders.ts). Absent: at once.
   */
  riders?: Pick<FrameRiders, 'hold' | 'drop'>;
}

/** Applies `apply` with the next painted frame when riders are given, else now. */
function later(deps: RouterDeps, kind: string, apply: () => void): void {
  if (deps.riders) deps.riders.hold(kind, apply);
  else apply();
}

export function routeMessage(message: ToRenderer, deps: RouterDeps): void {
  const app = deps.app.getState();
  switch (message.type) {
    case 'hello':
      deps.riders?.drop();
      deps.rows.reset(message.rows);
      deps.rows.retain(new Set(watchRows(message.settings).map((r) => r.key)));
      app.applyHello(message.host, message.settings);
      deps.scheduler.reset();
      return;
    case 'frame':
      try {
        // the candles that waited for this frame first: the chart redraws in the frame that paints the rows
        if (message.candles) for (const m of message.candles) deps.charts?.apply(m);
        if (message.depths || message.tapes) deps.focus?.apply(message.depths, message.tapes, now());
        deps.scheduler.onFrame(message.seq, message.rows, message.sentAt);
      } catch (e) {
        deps.nack(message.seq, `could not apply frame: ${e instanceof Error ? e.message : String(e)}`.slice(0, MAX_NACK_REASON_CHARS));
      }
      return;
    case 'settings':
      app.applySettings(message.settings);
      deps.rows.retain(new Set(deps.app.getState().rows.map((r) => r.key)));
      deps.scheduler.invalidate();
      return;
    case 'status':
      // rows and status bar change in the same frame (the rows are painted right after riders apply)
      later(deps, 'status', () => {
        deps.app.getState().setStatus(message.exchanges, message.subscriptions);
        deps.rows.setSubscriptions(message.subscriptions);
        deps.rows.setExchanges(message.exchanges);
        if (!deps.riders) deps.scheduler.invalidate();
      });
      return;
    case 'diagnostics':
      later(deps, 'diagnostics', () => deps.app.getState().setDiagnostics(message.diagnostics));
      return;
    case 'timeline':
      later(deps, 'timeline', () => deps.app.getState().setOutages(message.outages));
      return;
    case 'shutdown':
      // From here on the host going away is the expected end, not a fault.
      deps.link.expectHostExit();
      app.setShutdown(message.progress);
      return;
    case 'notice':
      app.pushNotice(message.level, message.message);
      return;
    case 'markets':
      app.setMarkets(message.catalogues);
      return;
    case 'candle-history':
    case 'candle-update':
    case 'candle-state':
      deps.charts?.apply(message);
      return;
  }
}
