// Wires the renderer together in the browser: host link, stores, row painter,
// frame scheduler, the age clock and (with ?perf=1) benchmark instrumentation.
import type { FoxtrotApi } from '../../shared/contract/renderer-api';
import { fromPerformance, now } from '../../shared/clock';
import { connect } from './bridge/connect';
import type { HostLink } from './bridge/link';
import { FrameScheduler } from './paint/frame-scheduler';
import { AGE_REPAINT_MS, AGE_SLACK_MS, AgeTick, FLASH_END_SLACK_MS, RepaintClock } from './paint/repaint-clock';
import { FrameRiders } from './paint/frame-riders';
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
import type { LadderColors } from './depth/ladder-draw';
import { TapePainter, type TapeColors, type TapeEls } from './depth/tape-painter';
import { LadderSettingsSchema, TapeSettingsSchema } from '../../shared/settings';
import { ChartData } from './chart/chart-data';
import type { Link } from '../../shared/workspace';
import { marketShown } from './workspace/linked-instrument';
import { MarketFocus } from './workspace/market-focus';
import { activeWorkspace } from './workspace/workspace-model';
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
  /** Depth and tape of each link's focused instrument (one FocusState per link that holds a ladder or tape). */
  focus: MarketFocus<FocusState>;
  /** Registers a ladder panel's / tape panel's canvases and hidden rows (null: unmounted). */
  registerLadder(panelId: string, els: LadderEls | null, colors: LadderColors | null): void;
  /** The ladder's canvases' CSS width and the device pixel ratio. */
  resizeLadder(panelId: string, cssWidth: number, dpr: number): void;
  registerTape(panelId: string, els: TapeEls | null, colors: TapeColors | null): void;
  /** A tape canvas's CSS size and device pixel ratio. */
  resizeTape(panelId: string, cssWidth: number, cssHeight: number, dpr: number): void;
  /** Hovering a tape pauses it (the tape of its link's instrument). */
  pauseTape(panelId: string, on: boolean): void;
  /** Calls `fn` once a second in the frame that repaints the watchlist's ages (a panel's own age); returns the stop function. */
  onAgeTick(fn: (now: number) => void): () => void;
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
  let options = { ladder: LadderSettingsSchema.parse({}), tape: TapeSettingsSchema.parse({}) };
  const focus = new MarketFocus<FocusState>({
    send: (m) => api.send(m),
    create: () => new FocusState(options.ladder, options.tape),
  });
  // One painter per ladder and tape panel; each paints its link's state.
  const ladders = new Map<string, LadderPainter>();
  const tapes = new Map<string, TapePainter>();
  /** Each market panel's link in the active workspace (or the pop-out's). */
  let panelLinks = new Map<string, Link>();
  const linkOf = (panelId: string): Link | undefined => panelLinks.get(panelId);
  const paintFocus = (all: boolean) => {
    const t = now();
    for (const [link, state] of focus.states()) {
      // the hidden lists trail their canvases by up to MIRROR_MS (+ MIRROR_TRAIL_MS): a paint with nothing new still writes them
      if (!state.dirty && !all) {
        for (const [id, tape] of tapes) if (linkOf(id) === link) tape.writeMirror(t);
        for (const [id, ladder] of ladders) if (linkOf(id) === link) ladder.writeMirror(t);
        continue;
      }
      state.dirty = false;
      for (const [id, ladder] of ladders) if (linkOf(id) === link) ladder.paint(state, t);
      for (const [id, tape] of tapes) if (linkOf(id) === link) tape.paint(state.tape, t);
      if (state.tape.largeInLastApply > 0) {
        state.tape.largeInLastApply = 0;
        if (state.tapeOptions.sound) beep(t);
      }
    }
  };
  const mirrorDueAt = () => {
    let at = Infinity;
    for (const tape of tapes.values()) at = Math.min(at, tape.mirrorDueAt());
    for (const ladder of ladders.values()) at = Math.min(at, ladder.mirrorDueAt());
    return at;
  };
  const markAll = () => {
    for (const [, state] of focus.states()) state.dirty = true;
    scheduler.invalidate();
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
  }, AGE_REPAINT_MS, FLASH_END_SLACK_MS, AGE_SLACK_MS);
  // Status, diagnostics and timeline: applied in the next painted frame, not a frame of their own.
  const riders = new FrameRiders({
    setTimeout: (fn, ms) => {
      const handle = window.setTimeout(fn, ms);
      return () => window.clearTimeout(handle);
    },
    requestPaint: () => scheduler.invalidate(),
  });
  const ageTick = new AgeTick(() => showAges());
  const showAges = () => clock.setShowing(painter.size > 0 || ageTick.size > 0);
  const scheduler = new FrameScheduler({
    requestFrame: requestFrameWithFallback,
    clock: () => performance.now(),
    apply: (frameRows) => rows.apply(frameRows, now()),
    paint: (requestedAll) => {
      riders.flush();
      const ctx = paintContext();
      // a data frame at or after the age tick repaints the ages itself: the tick needs no frame of its own
      const all = clock.agesDue() || requestedAll;
      if (all) {
        rows.takeDirty();
        painter.paintAll(rows, ctx);
        ageTick.run(ctx.now);
      } else {
        painter.paintKeys(rows.takeDirty(), rows, ctx);
        painter.paintEndedFlashes(rows, ctx);
      }
      paintFocus(all);
      clock.flashEndsAt(Math.min(painter.nextFlashEnd(), mirrorDueAt()));
    },
    ack: (seq, frameTime) => api.send({ type: 'frame-ack', seq, frameTime: fromPerformance(frameTime) }),
    onPainted: perf
      ? (f) =>
          perf.recordFrame({
            seq: f.seq,
            paintedAt: fromPerformance(f.frameTime),
            paintDoneAt: fromPerformance(f.doneTime),
            receivedAtMin: f.receivedAtMin,
            receivedAtMax: f.receivedAtMax,
            rows: f.rows,
            scriptMs: f.scriptMs,
            sentAt: f.sentAt,
            appliedAt: fromPerformance(f.appliedAt),
            ...takeMarks(focus),
          })
      : undefined,
  });

  const nack = (seq: number, reason: string) => api.send({ type: 'frame-nack', seq, reason });
  const charts = new ChartData();
  // Benchmarks and end-to-end checks read the chart's data, not its pixels.
  if (perf) window.__foxtrotCharts = charts;
  api.onMessage((message) => routeMessage(message, { app, rows, scheduler, link, nack, focus, charts, riders }));
  // Each link's ladder and tape follow that link's instrument (the focused row for a
  // group nobody focused yet); main subscribes each link's book and trades for us.
  const follow = () => {
    const s = app.getState();
    if (s.settings && (s.settings.ui.ladder !== options.ladder || s.settings.ui.tape !== options.tape)) {
      options = { ladder: s.settings.ui.ladder, tape: s.settings.ui.tape };
      focus.setOptions(options.ladder, options.tape);
    }
    const links = new Map<string, Link>();
    if (s.workspaces) for (const [id, p] of Object.entries(activeWorkspace(s.workspaces).panels)) if (p.kind === 'ladder' || p.kind === 'tape') links.set(id, p.link);
    const relinked = links.size !== panelLinks.size || [...links].some(([id, l]) => panelLinks.get(id) !== l);
    panelLinks = links;
    if (!s.ready) return;
    if (focus.follow(marketShown(s)) || relinked) markAll();
    else scheduler.invalidate();
  };
  app.subscribe((state, prev) => {
    if (state.ready !== prev.ready) focus.newSession(); // main has no focus for us yet
    if (state.workspaces !== prev.workspaces || state.focus !== prev.focus || state.ready !== prev.ready || state.settings !== prev.settings || state.rows !== prev.rows) follow();
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
    registerLadder(panelId, els, colors) {
      if (!els) ladders.delete(panelId);
      else {
        const painter = ladders.get(panelId) ?? new LadderPainter();
        painter.attach(els, colors);
        ladders.set(panelId, painter);
      }
      markAll();
    },
    resizeLadder(panelId, cssWidth, dpr) {
      ladders.get(panelId)?.resize(cssWidth, dpr);
      markAll();
    },
    registerTape(panelId, els, colors) {
      if (!els) tapes.delete(panelId);
      else {
        const painter = tapes.get(panelId) ?? new TapePainter();
        painter.attach(els, colors);
        tapes.set(panelId, painter);
      }
      markAll();
    },
    resizeTape(panelId, cssWidth, cssHeight, dpr) {
      tapes.get(panelId)?.resize(cssWidth, cssHeight, dpr);
      markAll();
    },
    pauseTape(panelId, on) {
      const link = linkOf(panelId);
      const state = link ? focus.of(link) : undefined;
      if (!state) return;
      state.tape.pause(on);
      state.dirty = true;
      scheduler.invalidate();
    },
    charts,
    registerRow(key, elements) {
      const unregister = painter.register(key, elements);
      painter.paintKeys([key], rows, paintContext());
      showAges();
      return () => {
        unregister();
        showAges();
      };
    },
    onAgeTick: (fn) => ageTick.listen(fn),
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

/** Benchmark marks over every link: the newest book receipt and the oldest streamed trade painted (null: none). */
function takeMarks(focus: MarketFocus<FocusState>): { depthReceivedAt: number | null; tradeTimeMin: number | null } {
  let depth = NaN;
  let trade = NaN;
  for (const [, state] of focus.states()) {
    const d = state.takeDepthMark();
    const t = state.takeTradeMark();
    if (!(d <= depth)) depth = Number.isNaN(d) ? depth : d;
    if (!(t >= trade)) trade = Number.isNaN(t) ? trade : t;
  }
  return { depthReceivedAt: Number.isNaN(depth) ? null : depth, tradeTimeMin: Number.isNaN(trade) ? null : trade };
}
