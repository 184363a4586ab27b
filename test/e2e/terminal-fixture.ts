// Starts a real Foxtrot Terminal for a spec: the headless host with Debian's
// Chromium, or the Electron app through Playwright's Electron support. The same
// spec drives both. Every shutdown is bounded: Playwright's own close() waits
// forever for an app that does not exit.
import { test as base, chromium, _electron, type Browser, type Page, type ElectronApplication } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type HostKind = 'headless' | 'electron';
export const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The Electron binary installed by the electron package, if it was downloaded. */
export function electronBinary(): string | undefined {
  const dir = join(ROOT, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

export const ELECTRON_SKIP_REASON =
  'Electron binary not installed here (offline machine: ELECTRON_SKIP_BINARY_DOWNLOAD=1); this spec runs against Electron wherever node_modules/electron/dist exists.';

export interface TerminalOptions {
  /** Settings file content (same format as settings.json); written to a temp file and passed as --config. */
  config?: Record<string, unknown>;
  /** Reuse a data dir (restart tests). */
  dataDir?: string;
}

export interface Terminal {
  page: Page;
  dataDir: string;
  /** pid of the host process (headless host or Electron main). */
  pid: number;
  /** Resolves with the exit code once the host process has exited (bounded by timeoutMs). */
  waitForExit(timeoutMs: number): Promise<number | null>;
  /** Stops the terminal if still running: SIGTERM, then SIGKILL after a bound. */
  dispose(): Promise<void>;
}

/**
 * The spec's settings as a --config file. Specs assert a clean quit, not its speed
 * (the benchmark measures that): unless a spec sets its own, the shutdown deadline is
 * generous, so a machine loaded several times over cannot turn a clean quit into
 * the kill path's exit 1.
 */
function writeConfig(dataDir: string, config: Record<string, unknown>): string {
  const file = join(dataDir, 'e2e-config.json');
  writeFileSync(file, JSON.stringify({ shutdown: { deadlineMs: 15_000 }, ...config }));
  return file;
}

async function startHeadless(opts: TerminalOptions, browser: Browser): Promise<Terminal> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'foxtrot-e2e-'));
  const args = [join(ROOT, 'out/headless/serve.cjs'), '--port', '0', '--data-dir', dataDir];
  if (opts.config) args.push('--config', writeConfig(dataDir, opts.config));
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let output = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`headless host printed no URL in 20 s:\n${output}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const line = output.split('\n').find((l) => l.includes('http://'));
      if (line) {
        clearTimeout(timer);
        res(line.slice(line.indexOf('http://')).trim());
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => rej(new Error(`headless host exited (${code}) before printing a URL:\n${output}`)));
  });
  const page = await browser.newPage();
  await page.goto(url);
  const waitForExit = (timeoutMs: number): Promise<number | null> =>
    Promise.race([exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`host still running after ${timeoutMs} ms`)), timeoutMs))]);
  return {
    page,
    dataDir,
    pid: child.pid!,
    waitForExit,
    async dispose() {
      await page.close().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await waitForExit(5000).catch(() => child.kill('SIGKILL'));
      }
    },
  };
}

async function startElectron(opts: TerminalOptions): Promise<Terminal> {
  const executablePath = electronBinary()!;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'foxtrot-e2e-'));
  const args = [join(ROOT, 'out/electron/main.cjs'), '--data-dir', dataDir];
  if (opts.config) args.push('--config', writeConfig(dataDir, opts.config));
  const app: ElectronApplication = await _electron.launch({ executablePath, args, timeout: 30_000 });
  const proc = app.process();
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const page = await app.firstWindow();
  const waitForExit = (timeoutMs: number): Promise<number | null> =>
    Promise.race([exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`app still running after ${timeoutMs} ms`)), timeoutMs))]);
  return {
    page,
    dataDir,
    pid: proc.pid!,
    waitForExit,
    async dispose() {
      if (proc.exitCode === null && proc.signalCode === null) {
        // app.close() waits forever for an app that does not exit: bound it.
        await Promise.race([app.close(), new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
    },
  };
}

export const test = base.extend<{ launch: (opts?: TerminalOptions) => Promise<Terminal> }, { host: HostKind; hostBrowser: Browser | undefined }>({
  host: ['headless', { option: true, scope: 'worker' }],
  // One Chromium per worker for the headless host; none for Electron.
  hostBrowser: [
    async ({ host }, use) => {
      if (host === 'electron' && !electronBinary()) console.log(`[electron] every spec is skipped: ${ELECTRON_SKIP_REASON}`);
      const browser = host === 'headless' ? await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true }) : undefined;
      await use(browser);
      await browser?.close();
    },
    { scope: 'worker' },
  ],
  launch: async ({ host, hostBrowser }, use, testInfo) => {
    if (host === 'electron' && !electronBinary()) testInfo.skip(true, ELECTRON_SKIP_REASON);
    const started: Terminal[] = [];
    await use(async (opts = {}) => {
      const t = host === 'electron' ? await startElectron(opts) : await startHeadless(opts, hostBrowser!);
      started.push(t);
      return t;
    });
    for (const t of started) await t.dispose();
    // A failed test keeps its data dirs and attaches their logs: a shutdown that ends
    // unclean once in many runs says why in the report, not only "exit 1".
    const failed = testInfo.status !== testInfo.expectedStatus;
    for (const dir of new Set(started.map((t) => t.dataDir))) {
      const log = join(dir, 'logs', 'main.log');
      if (failed && existsSync(log)) await testInfo.attach(`main.log (${dir})`, { path: log, contentType: 'text/plain' });
      if (!failed) rmSync(dir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
