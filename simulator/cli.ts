// Standalone simulator:
//   node out/simulator/cli.cjs [--port N] [--seed N] [--symbols N] [--rate R] [--host H] [--ping-ms N] [--history-minutes N]
// Prints its URLs and the control token on one line; SIGINT / SIGTERM close the
// server and exit 0 (1 if closing failed).
import { parseCli, USAGE, type CliParse } from './cli-args';
import { ExchangeSimulator } from './exchange-simulator';

async function main(): Promise<void> {
  let parsed: CliParse;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`simulator: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const opts = parsed.options;
  let sim: ExchangeSimulator;
  try {
    sim = new ExchangeSimulator(opts); // checks what parsing cannot (ranges): a bad value is a usage error too
  } catch (e) {
    console.error(`simulator: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  // handlers first, so a signal during start still ends in a clean stop
  let stopping = false;
  const started = sim.start();
  const stop = (signal: string): void => {
    if (stopping) return; // a second signal while closing changes nothing
    stopping = true;
    started
      .catch(() => undefined)
      .then(() => sim.stop())
      .then(
        () => {
          const t = sim.view().totals;
          console.log(`simulator: stopped on ${signal} (${t.connectionsOpened} connections, ${t.messagesSent} messages, ${t.restRequests} REST requests)`);
          process.exit(0);
        },
        (e: unknown) => {
          console.error('simulator: stop failed', e);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await started;
  if (stopping) return;
  const { rest, ws, control } = sim.urls;
  console.log(
    `simulator: rest ${rest} ws ${ws} control ${control} token ${sim.controlToken} ` +
      `(${sim.symbols.length} symbols, seed ${opts.seed ?? 42}, rate ${opts.ratePerSymbol ?? 4}/s per stream)`,
  );
}

main().catch((e: unknown) => {
  console.error('simulator: failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
