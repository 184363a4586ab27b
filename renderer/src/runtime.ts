// Wires the renderer together in the browser: host link, stores, row painter,
// frame scheduler, the age clock and (with ?perf=1) benchmark instrumentation.
import type { FoxtrotApi } from '../../shared/contract/renderer-api';
import { now } from '../../shared/clock';
import { connect } from './bridge/connect';
import type { HostLink } from './bridge/link';
import { FrameScheduler } from './paint/frame-scheduler';
import { AGE_REPAINT_MS, FLASH_END_SLACK_MS, RepaintClock } from './paint/repaint-clock';
import type { PaintContext, RowElements } from './paint/row-painter';
import { RowPainter } from './paint/row-painter';
import { PerfRecorder } from './perf/perf-recorder';
import type { AppStore } from './state/app-store';
import { createAppStore } from './state/app-store';
import { routeMessage } from './state/message-router';
import { RowStore } from './state/row-store';
import { createRendererLog } from './log/renderer-log';
import { beep } from './depth/beep';
import { FocusState } from './depth/focus-state';
import { LadderPainter, type LadderEls } from './depth/ladder-painter';
import { TapePainter, type TapeColors, type TapeEls } from './depth/tape-painter';
import { LadderSettingsSchema, TapeSettingsSchema } from '../../shared/settings';
import { ChartData } from './chart/chart-data';
import { instrumentId } from '../../shared/market';
import { marketShown } from './workspace/linked-instrument';
import { bindWorkspaceSaving, WorkspaceSaver } from './workspace/workspace-saving';
import { popoutPanel } from './workspace/popout';

declare global {
  interface Window {
    __foxtrotPerf?: PerfRecorder;
    __foxtrotCharts?: ChartData;
  }
}

export interface Runtime {
  app: AppStore;
  api: FoxtrotApi;
  link: HostLink;
  /** Registers a row's DOM and paints it at once; returns the unregister function. */
  registerRow(key: string, elements: RowElements): () => void;
  /** The focused instrument's depth and tape (the panels' hover pause writes here). */
  focus: FocusState;
  /** Registers the ladder's / tape's row pool (null: unmounted). */
  registerLadder(els: LadderEls | null): void;
  registerTape(els: TapeEls | null, colors: TapeColors | null): void;
  /** The tape canvas's CSS size and device pixel ratio. */
  resizeTape(cssWidth: number, cssHeight: number, dpr: number): void;
  /** Something a panel shows changed outside a frame (pause, options): paint on the next frame. */
  invalidateFocus(): void;
  perf: PerfRecorder | null;
  /** Candle series of the open charts. */
  charts: ChartData;
  /** The panel this window shows alone (a desktop pop-out window, ?panel=<id>), else null. */
  popout: string | null;
  /** Sends a pending workspace save now (before a pop-out window reads the workspace from settings). */
  saveWorkspacesNow(): void;
}

/** A price cell stays green/red this long after a move. */
const FLASH_MS = 600;
/** If rAF does not fire (hidden window), paint and ack from a timer instead, so the stream never stalls. */
const HIDDEN_FRAME_FALLBACK_MS = 500;

export function startRuntime(): Runtime {
  const link = connect();
  const api = link.api;
  const log = createRendererLog(link);
  log.info(`renderer started (${api.host} host)`);
  const popout = popoutPanel(window.location.search);
  const app = createAppStore(api.host, link.state(), popout);
  const rows = new RowStore();
  const painter = new RowPainter();
  const perf = new URLSearchParams(window.location.search).get('perf') === '1' ? installPerf() : null;
  const focus = new FocusState(LadderSettingsSchema.parse({}), TapeSettingsSchema.parse({}));
  const ladder = new LadderPainter();
  const tape = new TapePainter();
  const paintFocus = (all: boolean) => {
    const t = now();
    // the tape's hidden list trails its canvas by up to MIRROR_MS: a paint with nothing new still writes it
    if (!focus.dirty && !all) return tape.writeMirror(t);
    focus.dirty = false;
    ladder.paint(focus, t);
    tape.paint(focus.tape, t);
    if (focus.tape.largeInLastApply > 0) {
      focus.tape.largeInLastApply = 0;
      if (focus.tapeOptions.sound) beep(t);
    }
  };

  const paintContext = (): PaintContext => {
    const { settings, link: linkState } = app.getState();
    const staleAfterMs = settings?.streaming.staleAfterMs.ticker ?? 5000;
    const pollMs = settings?.streaming.circuit.pollIntervalMs ?? 2000;
    return {
      now: now(),
      hostConnected: linkState.status === 'open',
      staleAfterMs,
      pollStaleAfterMs: Math.max(staleAfterMs, 3 * pollMs),
      flashMs: FLASH_MS,
    };
  };

  // Ages and flash ends: repainted by time, never by a per-frame loop.
  const clock = new RepaintClock({
    now,
    setTimeout: (fn, ms) => {
      const handle = window.setTimeout(fn, ms);
      return () => window.clearTimeout(handle);
    },
    repaint: (all) => scheduler.invalidate(all),
  }, AGE_REPAINT_MS, FLASH_END_SLACK_MS);
  const scheduler = new FrameScheduler({
    requestFrame: requestFrameWithFallback,
    clock: () => performance.now(),
    apply: (frameRows) => rows.apply(frameRows, now()),
    paint: (all) => {
      const ctx = paintContext();
      if (all) {
        rows.takeDirty();
        painter.paintAll(rows, ctx);
      } else {
        painter.paintKeys(rows.takeDirty(), rows, ctx);
        painter.paintEndedFlashes(rows, ctx);
      }
      paintFocus(all);
      clock.flashEndsAt(Math.min(painter.nextFlashEnd(), tape.mirrorDueAt()));
    },
    ack: (seq, frameTime) => api.send({ type: 'frame-ack', seq, frameTime: performance.timeOrigin + frameTime }),
    onPainted: perf
      ? (f) =>
          perf.recordFrame({
            seq: f.seq,
            paintedAt: performance.timeOrigin + f.frameTime,
            paintDoneAt: performance.timeOrigin + f.doneTime,
            receivedAtMin: f.receivedAtMin,
            receivedAtMax: f.receivedAtMax,
            rows: f.rows,
            scriptMs: f.scriptMs,
            depthReceivedAt: orNull(focus.takeDepthMark()),
            tradeTimeMin: orNull(focus.takeTradeMark()),
          })
      : undefined,
  });

  const nack = (seq: number, reason: string) => api.send({ type: 'frame-nack', seq, reason });
  const charts = new ChartData();
  // Benchmarks and end-to-end checks read the chart's data, not its pixels.
  if (perf) window.__foxtrotCharts = charts;
  api.onMessage((message) => routeMessage(message, { app, rows, scheduler, link, nack, focus, charts }));
  // The ladder and tape follow the selected row; main subscribes its book and trades for us.
  // (their link group's instrument when the workspace links them elsewhere).
  const follow = () => {
    const { ready, settings } = app.getState();
    const row = marketShown(app.getState());
    if (settings) focus.setOptions(settings.ui.ladder, settings.ui.tape);
    // A pop-out window subscribes the focused book and trades only if it shows the ladder or tape.
    if (!ready || !row || (popout && !/^(ladder|tape)-/.test(popout))) return;
    if (focus.select(instrumentId(row.exchange, row.symbol)) || !sentFocus) {
      sentFocus = true;
      api.send({ type: 'focus', focus: { exchange: row.exchange, symbol: row.symbol } });
    }
    scheduler.invalidate();
  };
  let sentFocus = false;
  app.subscribe((state, prev) => {
    if (state.ready !== prev.ready) sentFocus = false; // a new session: main has no focus for us yet
    const moved = state.workspaces !== prev.workspaces && marketShown(state) !== marketShown(prev);
    if (moved || state.focus !== prev.focus || state.ready !== prev.ready || state.settings !== prev.settings) follow();
  });
  // Layout, panel and link-group edits are saved in settings (by the main window; a pop-out follows them).
  const saver = new WorkspaceSaver({
      send: (m) => api.send(m),
      setTimeout: (fn, ms) => {
        const handle = window.setTimeout(fn, ms);
        return () => window.clearTimeout(handle);
      },
      refused: (message) => app.getState().pushNotice('error', message),
  });
  if (!popout) bindWorkspaceSaving(app, saver);
  link.onStateChange((state) => {
    app.getState().setLink(state);
    scheduler.invalidate(true); // rows turn stale / live with the link
  });

  return {
    app,
    api,
    link,
    perf,
    focus,
    popout,
    saveWorkspacesNow: () => saver.flush(),
    registerLadder(els) {
      ladder.attach(els);
      focus.dirty = true;
      scheduler.invalidate();
    },
    registerTape(els, colors) {
      tape.attach(els, colors);
      focus.dirty = true;
      scheduler.invalidate();
    },
    resizeTape(cssWidth, cssHeight, dpr) {
      tape.resize(cssWidth, cssHeight, dpr);
      focus.dirty = true;
      scheduler.invalidate();
    },
    invalidateFocus() {
      focus.dirty = true;
      scheduler.invalidate();
    },
    charts,
    registerRow(key, elements) {
      const unregister = painter.register(key, elements);
      painter.paintKeys([key], rows, paintContext());
      clock.setShowing(true);
      return () => {
        unregister();
        clock.setShowing(painter.size > 0);
      };
    },
  };
}

function requestFrameWithFallback(callback: (frameTime: number) => void): void {
  let done = false;
  const run = (frameTime: number) => {
    if (done) return;
    done = true;
    window.cancelAnimationFrame(raf);
    window.clearTimeout(timer);
    callback(frameTime);
  };
  const raf = window.requestAnimationFrame(run);
  const timer = window.setTimeout(() => run(performance.now()), HIDDEN_FRAME_FALLBACK_MS);
}

function installPerf(): PerfRecorder {
  const perf = new PerfRecorder();
  window.__foxtrotPerf = perf;
  try {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) perf.recordLongTask(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: true });
  } catch {
    // 'longtask' is Chromium-only; elsewhere the array simply stays empty.
  }
  return perf;
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
