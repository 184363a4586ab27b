// The standalone simulator's command line (node:util parseArgs, strict).
import { parseArgs } from 'node:util';
import type { SimulatorOptions } from './exchange-simulator';

export const USAGE = `usage: node out/simulator/cli.cjs [options]
  --port N      listen port (default 0 = a free port)
  --host H      listen address (default 127.0.0.1)
  --seed N      price path seed (default 42)
  --symbols N   how many symbols (default 20)
  --rate R      messages per second per subscribed stream (default 4)
  --ping-ms N   server ping interval, 0 = none (default 20000)
  --history-minutes N
                minutes each market has traded before it is first used, so charts
                load that much history (default 0, at most 10080)
  -h, --help    this text
Faults: curl -X POST <control>/fault -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' -d '{"kind":"drop","code":1006}'`;

export type CliParse = { help: true } | { help: false; options: SimulatorOptions };

function nonNegativeInt(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`--${flag} needs a non-negative integer, got "${value}"`);
  return n;
}

/** Parses the command line (strict: unknown options and stray arguments are errors). */
export function parseCli(argv: string[]): CliParse {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      symbols: { type: 'string' },
      rate: { type: 'string' },
      'ping-ms': { type: 'string' },
      'history-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const options: SimulatorOptions = {};
  if (values.port !== undefined) options.port = nonNegativeInt('port', values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values.seed !== undefined) options.seed = nonNegativeInt('seed', values.seed);
  if (values.symbols !== undefined) options.symbols = nonNegativeInt('symbols', values.symbols);
  if (values['ping-ms'] !== undefined) options.pingIntervalMs = nonNegativeInt('ping-ms', values['ping-ms']);
  if (values['history-minutes'] !== undefined) options.historyMinutes = nonNegativeInt('history-minutes', values['history-minutes']);
  if (values.rate !== undefined) {
    const r = Number(values.rate);
    if (values.rate.trim() === '' || !Number.isFinite(r) || r < 0) throw new Error(`--rate needs a number >= 0, got "${values.rate}"`);
    options.ratePerSymbol = r;
  }
  return { help: false, options };
}
