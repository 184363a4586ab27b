// Assembles the headless terminal: the data dir lock, the log file, settings, the
// renderer server and the engine, with the desktop app's quit decisions bound to
// signals and the fault policy bound to uncaught exceptions and rejections. The CLI
// (serve.ts) and the benchmark's instrumented host both build it here.
import { join, resolve } from 'node:path';
import log from 'electron-log/node';
import type { Engine } from '../engine/engine';
import { assembleEngine } from '../engine/assemble-engine';
import { loggerFromElectronLog, type Logger } from '../engine/log/logger';
import { configureLogFile } from '../engine/log/log-file';
import { guardRepeats } from '../engine/log/repeat-guard';
import { systemScheduler } from '../engine/lifecycle/scheduler';
import { openSettings } from '../engine/settings/open-settings';
import { bindProcessFaults, ProcessFaultPolicy } from '../engine/shutdown/fault-policy';
import type { RendererClient } from '../engine/renderer-link/renderer-link';
import { routeQuitSignals } from './early-signals';
import { nodeStreamingSpawner } from './node-streaming-process';
import { PrespawnedStreaming } from '../engine/host/prespawn';
import { marketCacheArgs, preloadArgs } from '../../shared/streaming-preload';
import { RendererSocketServer } from './renderer-socket-server';
import { acquireDataDirLock } from '../engine/host/data-dir-lock';
import { nextTurn } from '../../shared/lifecycle/timers';

/** out/: every entry is bundled one folder below it. */
const OUT = resolve(__dirname, '..');

export interface HeadlessTerminalOptions {
  dataDir: string;
  configFile?: string | undefined;
  /** Console log level; the file always gets everything. */
  consoleLevel?: 'info' | 'warn';
  /** More Host names the server answers to (--allow-host). */
  allowHosts?: readonly string[];
  /** Wraps each renderer connection (the benchmark counts messages). */
  wrapClient?: (client: RendererClient) => RendererClient;
  /** Node options for the streaming child (the benchmark's --cpu-prof profiles it). */
  streamingExecArgv?: readonly string[];
}

export interface HeadlessTerminal {
  engine: Engine;
  server: RendererSocketServer;
  logger: Logger;
}

/** Throws DataDirLockedError if another host holds `dataDir` (nothing is touched then). */
export async function createHeadlessTerminal(opts: HeadlessTerminalOptions): Promise<HeadlessTerminal> {
  // Before the log and the settings: a second host must not write to either.
  const lock = acquireDataDirLock(opts.dataDir);
  // Same file, rotation and format as the desktop app: <data dir>/logs/main.log, written synchronously.
  configureLogFile(log, opts.dataDir);
  log.transports.console.level = opts.consoleLevel ?? 'warn';
  const logs = guardRepeats(loggerFromElectronLog(log, 'host'), 'host', { scheduler: systemScheduler });
  const logger = logs.logger;

  let settings;
  try {
    settings = await openSettings({ dataDir: opts.dataDir, configFile: opts.configFile, log: logger });
  } catch (e) {
    lock.release();
    throw e;
  }
  // The streaming process starts now, loading its exchange classes while this host
  // listens and builds the engine; the supervisor claims it when the engine starts.
  const streaming = new PrespawnedStreaming(nodeStreamingSpawner(join(OUT, 'streaming', 'streaming.cjs'), [...(opts.streamingExecArgv ?? [])], [...preloadArgs(settings.get()), ...marketCacheArgs(join(opts.dataDir, 'cache', 'markets'))]));
  const wrap = opts.wrapClient ?? ((c: RendererClient) => c);

  // The server is created before the engine it serves; its handlers look the engine up when called.
  const server = new RendererSocketServer(join(OUT, 'renderer'), {
    attach: (client) => engine.renderers.attach(wrap(client)),
    detach: (id) => engine.renderers.detach(id),
    receive: (id, message) => engine.renderers.receive(id, message),
  }, {
    allowHosts: opts.allowHosts ?? [],
    onError: (e) => logger.error('renderer server request failed', { error: String(e) }),
  });
  // The same quit decisions as the desktop app: the first signal drains, a second
  // one forces, and a duplicate within a moment (Ctrl+C reaches both npm and this
  // process) counts once.
  const { engine, quit } = assembleEngine({
    kind: 'headless',
    log: logger,
    settings,
    spawnStreaming: streaming.spawn,
    flushLogs: () => logs.flush(), // repeat summaries; the file transport itself is synchronous
    defer: (fn) => void nextTurn(fn),
    exitApp: (drainCode) => {
      const code = faults.exitCode(drainCode);
      process.exitCode = code;
      // Let the last progress message reach the browsers, then close the server;
      // process.exit is the backstop for anything still holding the loop.
      void server.close().finally(() => process.exit(code));
    },
  });
  // Signals that arrived while this was being built are delivered now.
  routeQuitSignals((sig) => quit.onSignal(sig));
  // A fault nobody caught: logged, then (exceptions) the same drain as a quit, so
  // pending settings are saved; never a silent death (fault-policy.ts).
  const faults = new ProcessFaultPolicy({
    log: logger.scope('faults'),
    shutdown: (trigger) => quit.request(trigger),
    exitNow: (code) => process.exit(code),
    scheduler: systemScheduler,
    backstopMs: settings.get().shutdown.deadlineMs + 2000,
  });
  // Bound for the life of the process, not disposed at shutdown: a fault during the
  // drain itself must still be handled (the policy's backstop covers a broken drain).
  bindProcessFaults(process, faults);
  engine.coordinator.addBeforeExit('fault summary', () => faults.logSummary());
  engine.coordinator.addBeforeExit('data dir lock', () => lock.release());
  // A quit before the engine claimed the early streaming process ends it here.
  engine.coordinator.addBeforeExit('unclaimed streaming process', () => streaming.dispose());

  return { engine, server, logger };
}
