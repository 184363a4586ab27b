// The headless host: the same engine under plain Node, serving the renderer to a
// browser. `npm run serve -- [--host H] [--port N] [--config FILE] [--data-dir DIR]
// [--allow-host NAME]...`. The first line printed that contains http:// is the URL
// to open on this machine; with a wildcard --host, the next ones are this machine's
// other addresses.
// Quit signals are caught from the first line (early-signals, imported first on
// purpose); a quit at any moment of start-up aborts the start instead of waiting for it.
import './early-signals';
import { resolve } from 'node:path';
import { parseHostArgs, HostArgsError, HOST_USAGE } from '../engine/host-args';
import { SettingsOpenError } from '../engine/settings/open-settings';
import { defaultDataDir } from '../engine/settings/data-dir';
import { DataDirLockedError } from '../engine/host/data-dir-lock';
import { createHeadlessTerminal } from './headless-terminal';
import { version } from '../../package.json';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  if (args.show === 'help') return void console.log(HOST_USAGE);
  if (args.show === 'version') return void console.log(version);
  const dataDir = resolve(args.dataDir ?? defaultDataDir());
  const { engine, server, logger } = await createHeadlessTerminal({
    dataDir,
    configFile: args.configFile,
    allowHosts: args.allowHosts ?? [],
    consoleLevel: process.env.FOXTROT_LOG_CONSOLE === '1' ? 'info' : 'warn',
  });

  // A signal during loading was delivered when the terminal was built: that shutdown is running.
  if (engine.coordinator.state !== 'idle') return;
  const { urls } = await server.listen(args.host, args.port);
  if (engine.coordinator.state !== 'idle') return;
  if (!LOOPBACK.has(args.host))
    console.log(
      `Warning: listening on ${args.host} without TLS; anyone who can reach it and has the token can use this terminal, and the token crosses the network in clear text. See README "Running headless" for an SSH tunnel or a TLS proxy.`,
    );
  console.log(`Foxtrot Terminal (headless) at ${urls[0]}`);
  for (const other of urls.slice(1)) console.log(`  also at ${other}`);
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
  logger.info('headless host listening', { urls: urls.map((u) => u.replace(/token=.*/, 'token=…')), dataDir });
}

main().catch((e: unknown) => {
  if (e instanceof HostArgsError || e instanceof SettingsOpenError || e instanceof DataDirLockedError) {
    console.error(`foxtrot: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
