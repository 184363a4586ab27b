// Standalone simulator:
//   node out/simulator/cli.cjs [--port N] [--seed N] [--symbols N] [--rate R] [--host H] [--ping-ms N]
// Prints its URLs on one line and stops cleanly on SIGINT / SIGTERM.
import { ExchangeSimulator, type SimulatorOptions } from './exchange-simulator';

const USAGE = 'usage: node out/simulator/cli.cjs [--port N] [--seed N] [--symbols N] [--rate R] [--host H] [--ping-ms N]';

function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const [flag, inline] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const num = Number(value);
    const int = (): number => {
      if (!Number.isInteger(num) || num < 0) throw new Error(`${flag} needs a non-negative integer, got "${value}"`);
      return num;
    };
    switch (flag) {
      case '--port':
        opts.port = int();
        break;
      case '--seed':
        opts.seed = int();
        break;
      case '--symbols':
        opts.symbols = int();
        break;
      case '--rate':
        if (!Number.isFinite(num) || num < 0) throw new Error(`--rate needs a number >= 0, got "${value}"`);
        opts.ratePerSymbol = num;
        break;
      case '--host':
        opts.host = value;
        break;
      case '--ping-ms':
        opts.pingIntervalMs = int();
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: SimulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`simulator: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const sim = new ExchangeSimulator(opts);
  await sim.start();
  const { rest, ws, control } = sim.urls;
  console.log(`simulator: rest ${rest} ws ${ws} control ${control} (${sim.symbols.length} symbols, seed ${opts.seed ?? 42}, rate ${opts.ratePerSymbol ?? 4}/s per stream)`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => {
        const t = sim.view().totals;
        console.log(`simulator: stopped on ${signal} (${t.connectionsOpened} connections, ${t.messagesSent} messages, ${t.restRequests} REST requests)`);
        process.exitCode = 0;
      },
      (e: unknown) => {
        console.error('simulator: stop failed', e);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error('simulator: failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
