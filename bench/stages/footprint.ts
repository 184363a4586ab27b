// The streaming process's idle memory is judged against what it cannot avoid: a
// bare Node process that has loaded only the exchange class in use (ccxt's pro
// binance module, imported by file so the other ~100 exchanges stay unloaded)
// and constructed one instance. If that import is impossible (ccxt's layout
// changed), the whole package is loaded instead and the row says so.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BASELINE = `
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
const file = process.argv[1];
let loaded;
try {
  const m = await import(pathToFileURL(file).href);
  new m.default();
  loaded = 'ccxt pro binance module only';
} catch {
  const ccxt = createRequire(file)('ccxt');
  new ccxt.pro.binance();
  loaded = "all of ccxt (the binance module alone could not be imported)";
}
// let start-up garbage settle as it would in an idle process, without forcing a GC
await new Promise((r) => setTimeout(r, 1000));
process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, loaded }));
`;

export interface BareRss {
  rssBytes: number;
  loaded: string;
}

/** RSS of a bare Node child that loaded ccxt's binance exchange class. */
export async function bareExchangeRss(root: string): Promise<BareRss> {
  const file = join(root, 'node_modules', 'ccxt', 'js', 'src', 'pro', 'binance.js');
  const child = spawn(process.execPath, ['--input-type=module', '-e', BASELINE, file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(killer);
  if (code !== 0) throw new Error(`bare ccxt process exited ${code}: ${err.slice(0, 300)}`);
  const r = JSON.parse(out) as { rss: number; loaded: string };
  return { rssBytes: r.rss, loaded: r.loaded };
}
