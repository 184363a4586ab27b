// Command-line options shared by both hosts (`npm run serve -- ...`, the Electron
// app's argv), parsed by node:util's parseArgs in strict mode: an unknown or
// malformed option is an error that says which and what is expected, never
// silently ignored.
import { parseArgs } from 'node:util';

export interface HostArgs {
  host: string;
  port: number;
  configFile?: string;
  dataDir?: string;
  /** Extra Host names the headless server answers to (--allow-host, repeatable). */
  allowHosts?: string[];
  /** --help or --version: print it and exit 0 instead of running. */
  show?: 'help' | 'version';
}

export class HostArgsError extends Error {}

export const HOST_USAGE = `usage: serve [--host 127.0.0.1] [--port N] [--config FILE] [--data-dir DIR] [--allow-host NAME]... [--help] [--version]
  --host ADDR        address to listen on (default 127.0.0.1; 0.0.0.0 or :: for every interface)
  --port N           port (default 0: a free one)
  --config FILE      settings file to use (and save back to)
  --data-dir DIR     settings, logs and the instance lock (default: the desktop app's folder)
  --allow-host NAME  also accept requests addressed to NAME (a DNS name or a reverse proxy's); repeatable
  --help, -h         print this and exit
  --version          print the version and exit`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const HOST_NAME = /^[A-Za-z0-9.:_-]+$/;

export function parseHostArgs(argv: readonly string[], { allowUnknown = false } = {}): HostArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: allowUnknown ? ours(argv) : [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw explain(e);
  }
  const out: HostArgs = { host: '127.0.0.1', port: 0 };
  if (values.help) out.show = 'help';
  else if (values.version) out.show = 'version';
  if (values.host !== undefined) out.host = hostName('--host', values.host);
  if (values.port !== undefined) {
    const n = Number(values.port);
    if (!/^\d+$/.test(values.port) || n > 65535) throw new HostArgsError(`--port "${values.port}" is not a port number (0-65535; 0 picks a free port)`);
    out.port = n;
  }
  if (values.config !== undefined) out.configFile = nonEmpty('--config', values.config);
  if (values['data-dir'] !== undefined) out.dataDir = nonEmpty('--data-dir', values['data-dir']);
  if (values['allow-host'] !== undefined) out.allowHosts = values['allow-host'].map((v) => hostName('--allow-host', v));
  return out;
}

function hostName(option: string, v: string): string {
  if (!HOST_NAME.test(v)) throw new HostArgsError(`${option} "${v}" is not a host name or IP address`);
  return v;
}

function nonEmpty(option: string, v: string): string {
  if (v === '') throw new HostArgsError(`${option} needs a value; ${HOST_USAGE.split('\n')[0]}`);
  return v;
}

/**
 * Our options (and their values) out of an argv that Chromium, Playwright and
 * `electron .` also write to; everything else is theirs and left alone.
 */
function ours(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(2, eq) : arg.slice(2)) as keyof typeof OPTIONS;
    const spec = Object.hasOwn(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (!spec) continue;
    kept.push(arg);
    if (spec.type === 'string' && eq < 0 && i + 1 < argv.length) kept.push(argv[++i]!);
  }
  return kept;
}

/** parseArgs' errors, in this command's words. */
function explain(e: unknown): HostArgsError {
  const err = e as { code?: string; message?: string };
  const usage = HOST_USAGE.split('\n')[0];
  const named = /'(-{1,2}[^' ]+)/.exec(err.message ?? '')?.[1] ?? 'an option';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // Also "--config --port 1": strict mode calls a value that looks like an option ambiguous.
      return new HostArgsError(`${named} needs a value; ${usage}`);
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new HostArgsError(`unknown option "${named}"; ${usage}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /argument '([^']*)'/.exec(err.message ?? '')?.[1];
      return new HostArgsError(`unexpected argument${arg === undefined ? '' : ` "${arg}"`}; ${usage}`);
    }
    default:
      return new HostArgsError(`${err.message ?? String(e)}; ${usage}`);
  }
}
