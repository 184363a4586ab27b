// The Electron shell: binds Electron's events to the host-agnostic engine, and
// keeps the window's layout (size, position, maximized) in the settings, saved on
// resize/move (debounced), on close and at shutdown. Quit decisions live in
// QuitPolicy (plain code, unit-tested); this file only forwards before-quit,
// window-all-closed, the window's query-session-end and close to it, and gives the
// coordinator app.exit() as its way out. A quit at any
// moment of start-up is caught (before-quit is bound first, held until the policy
// exists) and aborts the start instead of waiting for it.
import { app, BrowserWindow, dialog, type Event as ElectronEvent, type WebContents } from 'electron';
import log from 'electron-log/main';
import { join, resolve } from 'node:path';
import { assembleEngine } from '../engine/assemble-engine';
import { HOST_USAGE, parseHostArgs } from '../engine/host-args';
import { loggerFromElectronLog } from '../engine/log/logger';
import { configureLogFile } from '../engine/log/log-file';
import { guardRepeats } from '../engine/log/repeat-guard';
import { systemScheduler } from '../engine/lifecycle/scheduler';
import { acquireDataDirLock, DataDirLockedError, type DataDirLock } from '../engine/host/data-dir-lock';
import { PrespawnedStreaming } from '../engine/host/prespawn';
import { marketCacheArgs, preloadArgs } from '../../shared/streaming-preload';
import { openSettings, SettingsOpenError } from '../engine/settings/open-settings';
import { HeldQuits } from '../engine/shutdown/held-quits';
import type { QuitPolicy } from '../engine/shutdown/quit-policy';
import { bindProcessFaults, ProcessFaultPolicy } from '../engine/shutdown/fault-policy';
import { appPaths, appRootOfMain } from './app-paths';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createMainWindow, windowState } from './main-window';
import { createPopoutWindow } from './popout-window';
import { PopoutWindows } from '../engine/host/popout-windows';
import { Owner } from '../../shared/lifecycle/owner';
import { withPopouts, type Popout } from '../../shared/workspace';
import { RendererIpc } from './renderer-ipc';
import { utilityStreamingSpawner } from './utility-streaming-process';

const paths = appPaths(appRootOfMain(__dirname));

// Faults nobody caught, decided by ProcessFaultPolicy (README "When the host itself
// fails"): an uncaught exception leaves main in an unknown state, so it is logged
// and the same coordinated shutdown as Quit runs (settings saved), exit code 1; an
// unhandled rejection is logged (repeats counted) and the app carries on. Bound
// first, so start-up is covered; before the engine exists there is nothing to drain.
/** The one quit path, once start-up has built it (see before-quit below). */
let quit: QuitPolicy | undefined;
let shutdownDeadlineMs = 3000;
const faults = new ProcessFaultPolicy({
  log: loggerFromElectronLog(log, 'faults'),
  shutdown: (trigger) => (quit ? quit.request(trigger) : app.exit(1)),
  exitNow: (code) => app.exit(code),
  scheduler: systemScheduler,
  backstopMs: () => shutdownDeadlineMs + 2000,
});
bindProcessFaults(process, faults);

// Chromium, Playwright and `electron .` add arguments of their own: ours are found
// anywhere in argv and parsed strictly; everything else is left alone.
const args = (() => {
  try {
    return parseHostArgs(process.argv.slice(1), { allowUnknown: true });
  } catch (e) {
    console.error(`foxtrot: ${(e as Error).message}`);
    process.exit(2);
  }
})();
// --help/--version used to be refused (exit 2) by the old parser; now both hosts answer them.
if (args.show) {
  console.log(args.show === 'help' ? HOST_USAGE : app.getVersion());
  process.exit(0);
}
if (args.dataDir) app.setPath('userData', resolve(args.dataDir));

registerAppScheme();
app.enableSandbox();

// Bound before anything else: SIGINT/SIGTERM/SIGHUP, Ctrl+Q and the OS all arrive as
// before-quit. Until the QuitPolicy exists (Electron getting ready, settings
// opening) a quit is held and handed to it as soon as it does; start-up then stops
// there and the one shutdown path runs and reports, like any other quit.
const quitsDuringBoot = new HeldQuits<'before-quit'>();
app.on('before-quit', (event: ElectronEvent) => {
  if (!quit) {
    event.preventDefault();
    quitsDuringBoot.deliver('before-quit');
    return;
  }
  if (quit.onBeforeQuit() === 'prevent') event.preventDefault();
});

if (!app.requestSingleInstanceLock()) {
  // A second instance would fight over the settings file and the log.
  app.exit(0);
} else {
  // A start-up that throws leaves no app to use: treat it like an uncaught exception.
  boot().catch((e: unknown) => faults.onUncaughtException(e));
}

async function boot(): Promise<void> {
  // One Foxtrot Terminal per data dir: Electron's single-instance lock only sees other
  // desktop apps, and a headless host (`serve --data-dir`) may hold this one. Taken
  // before the log file opens, so the holder's log is never interleaved with ours.
  let lock: DataDirLock;
  try {
    lock = acquireDataDirLock(app.getPath('userData'));
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    console.error(`foxtrot: ${e.message}`);
    await app.whenReady();
    dialog.showErrorBox('Foxtrot Terminal is already running', e.message);
    app.exit(2);
    return;
  }

  // No electron-log preload: its IPC would let a renderer write straight into the file,
  // past the engine's per-client rate limit. Renderer records travel as FoxtrotApi
  // 'log' messages instead, as in the headless host (renderer/src/log/renderer-log.ts).
  log.initialize({ preload: false });
  configureLogFile(log, app.getPath('userData'));
  const logs = guardRepeats(loggerFromElectronLog(log, 'host'), 'host', { scheduler: systemScheduler });
  const logger = logs.logger;

  await app.whenReady();
  serveRenderer(paths.rendererDir, (e) => logger.error('app:// request failed', { error: String(e) }));

  let settings;
  try {
    settings = await openSettings({ dataDir: app.getPath('userData'), configFile: args.configFile, log: logger });
  } catch (e) {
    if (e instanceof SettingsOpenError) console.error(`foxtrot: ${e.message}`);
    logger.error('settings could not be opened', { error: String(e) });
    lock.release();
    app.exit(2);
    return;
  }

  // The streaming process starts now, loading its exchange classes while the window
  // is built; the supervisor claims it when the engine starts.
  const streaming = new PrespawnedStreaming(utilityStreamingSpawner(paths.streamingEntry, [...preloadArgs(settings.get()), ...marketCacheArgs(join(app.getPath('userData'), 'cache', 'markets'))]));
  // Pop-out windows: each one a renderer client of its own, all closed when the shutdown starts.
  // Windows open only after start-up, once the IPC exists (set below).
  const renderers: { track?: (contents: WebContents) => void } = {};
  // Which panels are out and where is saved in settings (set below, once the engine exists).
  const popoutsChanged: { save?: (popouts: Popout[]) => void } = {};
  const popouts = new PopoutWindows({
    owner: new Owner('popout-windows'),
    scheduler: systemScheduler,
    open: (panelId, events, bounds) => {
      const { window, handle } = createPopoutWindow(paths.preload, panelId, events, bounds);
      renderers.track?.(window.webContents);
      return handle;
    },
    changed: (list) => popoutsChanged.save?.(list),
  });
  const { engine, quit: policy } = assembleEngine({
    kind: 'electron',
    popouts,
    log: logger,
    settings,
    spawnStreaming: streaming.spawn,
    flushLogs: () => logs.flush(), // repeat summaries; the file transport itself is synchronous
    exitApp: (code) => app.exit(faults.exitCode(code)),
  });
  quit = policy;
  shutdownDeadlineMs = settings.get().shutdown.deadlineMs;
  engine.coordinator.addBeforeExit('fault summary', () => faults.logSummary());
  engine.coordinator.addBeforeExit('data dir lock', () => lock.release());
  // A quit before the engine claimed the early streaming process ends it here.
  engine.coordinator.addBeforeExit('unclaimed streaming process', () => streaming.dispose());

  popoutsChanged.save = (list) => engine.updateSettings((s) => ({ ...s, ui: { ...s.ui, workspaces: withPopouts(s.ui.workspaces, list) } }));
  const ipc = new RendererIpc(engine.renderers);
  renderers.track = (contents) => ipc.track(contents);
  engine.coordinator.onSignal('pop-out windows', () => popouts.closeAll());
  engine.coordinator.addBeforeExit('renderer ipc', () => ipc.dispose());
  quitsDuringBoot.route(() => policy.request('before-quit (during start-up)'));
  // Nothing has started but the early streaming process (ended before exit). The shutdown reports and exits.
  if (quitsDuringBoot.received) return;

  app.on('window-all-closed', () => policy.onWindowAllClosed());
  app.on('child-process-gone', (_e, details) => logger.warn('child process gone', { ...details }));
  app.on('render-process-gone', (_e, _wc, details) => logger.warn('renderer process gone', { ...details }));

  const win = createMainWindow(paths.preload, settings.get().window);
  ipc.track(win.webContents);
  // A second desktop app on this data dir exits (single-instance lock): show ours instead.
  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // Windows only: the OS is ending the session; quit events will not fire, so drain now.
  win.on('query-session-end', (event) => {
    if (policy.onQuerySessionEnd() === 'prevent') event.preventDefault();
  });
  // Closing the window is a quit: keep it open to show the shutdown modal until
  // the coordinator is done (app.exit closes it).
  win.on('close', (event) => {
    if (policy.finished) return;
    event.preventDefault();
    engine.updateSettings((s) => ({ ...s, window: windowState(win) }));
    policy.request('window-close');
  });
  const saveLayout = (): void => {
    if (!win.isDestroyed()) engine.updateSettings((s) => ({ ...s, window: windowState(win) }));
  };
  let cancelLayoutSave: (() => void) | undefined;
  const debounceLayout = (): void => {
    cancelLayoutSave?.();
    cancelLayoutSave = systemScheduler.setTimeout(saveLayout, 500);
  };
  win.on('resize', debounceLayout);
  win.on('move', debounceLayout);
  win.on('maximize', debounceLayout);
  win.on('unmaximize', debounceLayout);
  engine.coordinator.onSignal('window layout', () => {
    cancelLayoutSave?.();
    saveLayout();
  });

  try {
    await engine.start();
  } catch (e) {
    // A quit that arrives during start-up aborts the start: that shutdown is already running.
    if (engine.coordinator.state === 'idle') {
      logger.error('engine failed to start', { error: String(e) });
      policy.request('start failure');
    }
  }
  // The panels that were popped out when the app last quit, in the active workspace, open again.
  if (engine.coordinator.state === 'idle') for (const refusal of popouts.reopen(settings.get().ui.workspaces)) logger.warn('pop-out window not reopened', { refusal });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && !policy.finished) ipc.track(createMainWindow(paths.preload, settings.get().window).webContents);
  });
}
