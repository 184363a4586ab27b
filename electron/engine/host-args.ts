// Command-line options shared by both hosts (`npm run serve -- ...`, the Electron
// app's argv). Parsed strictly: an unknown or malformed option is an error that
// says which and what is expected, never silently ignored.
export interface HostArgs {
  host: string;
  port: number;
  configFile?: string;
  dataDir?: string;
}

export class HostArgsError extends Error {}

const USAGE = 'usage: serve [--host 127.0.0.1] [--port N] [--config FILE] [--data-dir DIR]';

export function parseHostArgs(argv: readonly string[], { allowUnknown = false } = {}): HostArgs {
  const out: HostArgs = { host: '127.0.0.1', port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) throw new HostArgsError(`${name} needs a value; ${USAGE}`);
      return v;
    };
    switch (name) {
      case '--host': {
        const v = takeValue();
        if (!/^[A-Za-z0-9.:_-]+$/.test(v)) throw new HostArgsError(`--host "${v}" is not a host name or IP address`);
        out.host = v;
        break;
      }
      case '--port': {
        const v = takeValue();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new HostArgsError(`--port "${v}" is not a port number (0-65535; 0 picks a free port)`);
        out.port = n;
        break;
      }
      case '--config':
        out.configFile = takeValue();
        break;
      case '--data-dir':
        out.dataDir = takeValue();
        break;
      case '--help':
      case '-h':
        throw new HostArgsError(USAGE);
      default:
        if (!allowUnknown) throw new HostArgsError(`unknown option "${arg}"; ${USAGE}`);
    }
  }
  return out;
}
