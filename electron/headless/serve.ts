// The headless host: the same engine under plain Node, serving the renderer to a
// browser. `npm run serve -- [--host H] [--port N] [--config FILE] [--data-dir DIR]`.
// The first line printed that contains http:// is the URL to open.
// Quit signals are caught from the first line (early-signals, imported first on
// purpose); a quit at any moment of start-up aborts the start instead of waiting for it.
import './early-signals';
import { resolve } from 'node:path';
import { parseHostArgs, HostArgsError } from '../engine/host-args';
import { SettingsOpenError } from '../engine/settings/open-settings';
import { defaultDataDir } from '../engine/settings/data-dir';
import { createHeadlessTerminal } from './headless-terminal';

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  const dataDir = resolve(args.dataDir ?? defaultDataDir());
  const { engine, server, logger } = await createHeadlessTerminal({
    dataDir,
    configFile: args.configFile,
    consoleLevel: process.env.FOXTROT_LOG_CONSOLE === '1' ? 'info' : 'warn',
  });

  // A signal during loading was delivered when the terminal was built: that shutdown is running.
  if (engine.coordinator.state !== 'idle') return;
  const { url } = await server.listen(args.host, args.port);
  if (engine.coordinator.state !== 'idle') return;
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
