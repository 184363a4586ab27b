// The headless host: the same engine under plain Node, serving the renderer to a
// browser. `npm run serve -- [--host H] [--port N] [--config FILE] [--data-dir DIR]`.
// The first line printed that contains http:// is the URL to open.
import { resolve, join } from 'node:path';
import log from 'electron-log/node';
import { Engine } from '../engine/engine';
import { parseHostArgs, HostArgsError } from '../engine/host-args';
import { loggerFromElectronLog } from '../engine/log/logger';
import { openSettings, SettingsOpenError } from '../engine/settings/open-settings';
import { defaultDataDir } from '../engine/settings/data-dir';
import { QuitPolicy } from '../engine/shutdown/quit-policy';
import { nodeStreamingSpawner } from './node-streaming-process';
import { RendererSocketServer } from './renderer-socket-server';

const OUT = resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const dataDir = resolve(args.dataDir ?? defaultDataDir());

  // Same file, same format as the desktop app: <data dir>/logs/main.log, written synchronously.
  log.transports.file.resolvePathFn = () => join(dataDir, 'logs', 'main.log');
  log.transports.file.sync = true;
  log.transports.console.level = process.env.FOXTROT_LOG_CONSOLE === '1' ? 'info' : 'warn';
  const logger = loggerFromElectronLog(log, 'host');

  const settings = await openSettings({ dataDir, configFile: args.configFile, log: logger });

  // The server is created before the engine it serves; its handlers look the engine up when called.
  const server = new RendererSocketServer(join(OUT, 'renderer'), {
    attach: (client) => engine.renderers.attach(client),
    detach: (id) => engine.renderers.detach(id),
    receive: (id, message) => engine.renderers.receive(id, message),
  });
  const engine = new Engine({
    kind: 'headless',
    log: logger,
    settings,
    startupWarnings: settings.loadResult?.problem ? [settings.loadResult.problem.message] : [],
    spawnStreaming: nodeStreamingSpawner(join(OUT, 'streaming', 'streaming.cjs')),
    flushLogs: () => undefined, // the file transport is synchronous
    exit: (code) => quit.exit(code),
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

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => quit.onSignal(sig));

  const { url } = await server.listen(args.host, args.port);
  if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1')
    console.log(`Warning: listening on ${args.host}; anyone who can reach it and has the URL's token can use this terminal.`);
  console.log(`Foxtrot Terminal (headless) at ${url}`);
  console.log(`Data and logs: ${dataDir}`);
  try {
    await engine.start();
  } catch (e) {
    // A quit that arrives during start-up aborts the start: that shutdown is already running.
    if (engine.coordinator.state !== 'idle') return;
    logger.error('engine failed to start', { error: String(e) });
    console.error(`Foxtrot Terminal failed to start: ${(e as Error).message}`);
    await engine.shutdown('start failure');
  }
  logger.info('headless host listening', { url: url.replace(/token=.*/, 'token=…'), dataDir });
}

main().catch((e: unknown) => {
  if (e instanceof HostArgsError || e instanceof SettingsOpenError) {
    console.error(`foxtrot: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
