// Assembles the headless terminal: the log file, settings, the renderer server and
// the engine, with the desktop app's quit decisions bound to signals. The CLI
// (serve.ts) and the benchmark's instrumented host both build it here.
import { join, resolve } from 'node:path';
import log from 'electron-log/node';
import { Engine } from '../engine/engine';
import { loggerFromElectronLog, type Logger } from '../engine/log/logger';
import { configureLogFile } from '../engine/log/log-file';
import { guardRepeats } from '../engine/log/repeat-guard';
import { systemScheduler } from '../engine/lifecycle/scheduler';
import { openSettings } from '../engine/settings/open-settings';
import { QuitPolicy } from '../engine/shutdown/quit-policy';
import type { RendererClient } from '../engine/renderer-link/renderer-link';
import { routeQuitSignals } from './early-signals';
import { nodeStreamingSpawner } from './node-streaming-process';
import { RendererSocketServer } from './renderer-socket-server';

/** out/: every entry is bundled one folder below it. */
const OUT = resolve(__dirname, '..');

export interface HeadlessTerminalOptions {
  dataDir: string;
  configFile?: string | undefined;
  /** Console log level; the file always gets everything. */
  consoleLevel?: 'info' | 'warn';
  /** Wraps each renderer connection (the benchmark counts messages). */
  wrapClient?: (client: RendererClient) => RendererClient;
}

export interface HeadlessTerminal {
  engine: Engine;
  server: RendererSocketServer;
  logger: Logger;
}

export async function createHeadlessTerminal(opts: HeadlessTerminalOptions): Promise<HeadlessTerminal> {
  // Same file, rotation and format as the desktop app: <data dir>/logs/main.log, written synchronously.
  configureLogFile(log, opts.dataDir);
  log.transports.console.level = opts.consoleLevel ?? 'warn';
  const logs = guardRepeats(loggerFromElectronLog(log, 'host'), 'host', { scheduler: systemScheduler });
  const logger = logs.logger;

  const settings = await openSettings({ dataDir: opts.dataDir, configFile: opts.configFile, log: logger });
  const wrap = opts.wrapClient ?? ((c: RendererClient) => c);

  // The server is created before the engine it serves; its handlers look the engine up when called.
  const server = new RendererSocketServer(join(OUT, 'renderer'), {
    attach: (client) => engine.renderers.attach(wrap(client)),
    detach: (id) => engine.renderers.detach(id),
    receive: (id, message) => engine.renderers.receive(id, message),
  });
  const engine = new Engine({
    kind: 'headless',
    log: logger,
    settings,
    startupWarnings: settings.loadResult?.problem ? [settings.loadResult.problem.message] : [],
    spawnStreaming: nodeStreamingSpawner(join(OUT, 'streaming', 'streaming.cjs')),
    flushLogs: () => logs.flush(), // repeat summaries; the file transport itself is synchronous
    exit: (code) => quit.exit(code),
    requestQuit: (trigger, force) => quit.request(trigger, { force }),
  });
  // The same quit decisions as the desktop app: the first signal drains, a second
  // one forces, and a duplicate within a moment (Ctrl+C reaches both npm and this
  // process) counts once.
  const quit = new QuitPolicy({
    shutdown: engine.coordinator,
    defer: (fn) => setImmediate(fn),
    exitApp: (code) => {
      process.exitCode = code;
      // Let the last progress message reach the browsers, then close the server;
      // process.exit is the backstop for anything still holding the loop.
      void server.close().finally(() => process.exit(code));
    },
  });
  // Signals that arrived while this was being built are delivered now.
  routeQuitSignals((sig) => quit.onSignal(sig));

  return { engine, server, logger };
}
