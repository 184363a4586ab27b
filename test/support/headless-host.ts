// Running the built headless host (or a fixture bundled beside it) as a user does, for
// the headless integration tests: one way to start it, find its URL, connect a
// renderer, and leave nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { until } from './until';

export const SERVE = resolve(__dirname, '../../out/headless/serve.cjs');

/**
 * One simulated exchange watching BTC/USDT: the config the headless tests start from.
 * These tests assert that a shutdown is clean, not how fast it is (the benchmark's
 * shutdown stage and terminal-shutdown.test.ts measure deadlines). On a machine
 * loaded several times over its cores the default 3 s deadline can run out and the
 * kill path (tested elsewhere) takes over with exit 1, so their deadline is generous.
 */
export const SIM_ONLY = {
  exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
  watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }],
  shutdown: { deadlineMs: 15_000 },
};

export interface RunningHost {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output: () => string;
  exited: Promise<number | null>;
}

/** The children and temp dirs a test file starts; call `cleanup()` in `afterEach`. */
export class HostTestResources {
  private readonly dirs: string[] = [];
  private readonly children: ChildProcess[] = [];
  /** Processes the test did not spawn itself (the host's streaming child): killed at cleanup too. */
  private readonly pids: number[] = [];

  tempDir(prefix: string): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  /** A temp data dir holding `config.json` with SIM_ONLY. */
  simDataDir(prefix: string): { dir: string; cfg: string } {
    const dir = this.tempDir(prefix);
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify(SIM_ONLY));
    return { dir, cfg };
  }

  /** `node script ...args`; stdin is piped only when the test drives the child through it. */
  run(script: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): RunningHost {
    const child = spawn(process.execPath, [script, ...args], { stdio: [stdin, 'pipe', 'pipe'] });
    this.children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return { child, output: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  }

  /** Kills `pid` at cleanup if it is still there (a test may stop it, or stop the host that owned it). */
  trackPid(pid: number): number {
    this.pids.push(pid);
    return pid;
  }

  cleanup(): void {
    for (const c of this.children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    for (const pid of this.pids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

/** The URL (with its token) the host prints once it listens. */
export async function printedUrl(output: () => string): Promise<URL> {
  try {
    const line = await until(() => output().split('\n').find((l) => l.includes('http://')), 'the URL', 15_000, 25);
    return new URL(line.slice(line.indexOf('http://')).trim());
  } catch {
    throw new Error(`no URL printed:\n${output()}`);
  }
}

export interface RendererSocket<M> {
  ws: WebSocket;
  /** Every message the host sent, parsed, in order. */
  received: M[];
}

/** A renderer's WebSocket to the API: the URL's token and a same-origin page. */
export function connectRenderer<M = { type: string }>(url: URL): Promise<RendererSocket<M>> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`, { headers: { Origin: `http://${url.host}` } });
    const received: M[] = [];
    ws.on('message', (d) => received.push(JSON.parse(d.toString()) as M));
    ws.once('open', () => res({ ws, received }));
    ws.once('error', rej);
  });
}

type SettingsMessage = { type: string; settings?: { watchlist: { symbol: string }[] } };

/** Watches `symbol` on the simulated exchange and resolves once the host echoes it in the settings (applied, its save still debounced). */
export async function watchApplied(r: RendererSocket<SettingsMessage>, symbol: string): Promise<void> {
  r.ws.send(JSON.stringify({ type: 'watch', exchange: 'sim', symbol, channels: ['ticker'] }));
  await until(() => r.received.some((m) => m.type === 'settings' && m.settings!.watchlist.some((w) => w.symbol === symbol)), 'the watch to be applied');
}

/** The status of a WebSocket upgrade: 'open', or the HTTP status it was refused with. */
export function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((res) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      res('open');
    });
    ws.on('unexpected-response', (_req, r) => res(r.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

/** Resolves once the engine has started (serve.ts logs it): a SIGTERM then tests shutdown, not start-up under load. */
export async function engineStarted(dataDir: string): Promise<void> {
  const log = join(dataDir, 'logs', 'main.log');
  await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('headless host listening'), 'the engine to start', 30_000, 25);
}

/** The log's warnings and errors: the message of a failed exit-code assertion. */
export function logProblems(dataDir: string): string {
  const log = join(dataDir, 'logs', 'main.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /\[(warn|error)\]/.test(l)).join('\n') : 'no log';
}

/**
 * Every live streaming process of the host on `dataDir`, whether or not the log named
 * it (a quit can end one before the supervisor logs it): found by the market cache
 * argument the host gives it, which names the data dir. Linux (/proc); elsewhere, none.
 */
export function streamingProcessesOf(dataDir: string): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const wanted = `--market-cache=${join(dataDir, 'cache', 'markets')}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      // a zombie's cmdline is empty: it has exited
      if (argv.includes(wanted) && argv.some((a) => a.endsWith('streaming.cjs'))) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** The streaming process's pid, from the host's log ("streaming process ready {"pid":N}", or "spawned"). */
export function streamingPid(dataDir: string, when: 'ready' | 'spawned' = 'ready'): number | undefined {
  const file = join(dataDir, 'logs', 'main.log');
  if (!existsSync(file)) return undefined;
  const m = new RegExp(`streaming process ${when} \\{"pid":(\\d+)\\}`).exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : undefined;
}
