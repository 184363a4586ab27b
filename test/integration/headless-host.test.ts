// The headless host as a user runs it: `node out/headless/serve.cjs ...`.
// Command-line and config errors are refused clearly; --help and --version answer;
// every request needs a known Host and the URL's token (then its cookie), the API
// also a same-origin page; static files cannot escape the bundle; a malformed
// request is a 400, not a crash; one host per data dir; a SIGTERM shuts it down
// cleanly with the report in the log file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const SERVE = resolve(__dirname, '../../out/headless/serve.cjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'foxtrot-host-'));
  dirs.push(d);
  return d;
}

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

async function urlOf(output: () => string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const line = output().split('\n').find((l) => l.includes('http://'));
    if (line) return line.slice(line.indexOf('http://')).trim();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no URL printed:\n${output()}`);
}

/** Resolves once the engine has started (serve.ts logs it): a SIGTERM then tests shutdown, not start-up under load. */
async function engineStarted(dataDir: string): Promise<void> {
  const log = join(dataDir, 'logs', 'main.log');
  for (let i = 0; i < 1200; i++) {
    if (existsSync(log) && readFileSync(log, 'utf8').includes('headless host listening')) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the engine did not start');
}

/** The log's warnings and errors: the message of a failed exit-code assertion. */
function logProblems(dataDir: string): string {
  const log = join(dataDir, 'logs', 'main.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /\[(warn|error)\]/.test(l)).join('\n') : 'no log';
}

function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
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

/** A raw GET (fetch would normalize the path and refuses to set Host). */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((res, rej) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (r) => {
      r.resume();
      res({ status: r.statusCode ?? 0, headers: r.headers });
    });
    req.on('error', rej);
    req.end();
  });
}

const SIM_ONLY = { exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }], watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }] };

describe('headless host', () => {
  it('prints the usage and the version to stdout and exits 0', async () => {
    const help = run(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/^usage: serve .*--allow-host NAME/);
    const version = run(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.output().trim()).toBe((JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version);
  });

  it('answers a malformed request with 400 and keeps serving (it used to exit on /%ff)', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify(SIM_ONLY));
    const h = run(['--port', '0', '--data-dir', dir, '--config', cfg]);
    const url = await urlOf(h.output);
    for (const path of ['/%ff', '/%E0%A4%A', '/a%00b']) expect((await get(url, path)).status, path).toBe(400);
    expect(await wsStatus(`ws://${new URL(url).host}/%ff?token=x`)).toBe(404);
    const first = await get(url, new URL(url).pathname + new URL(url).search);
    expect(first.status).toBe(302);
    expect(h.child.exitCode).toBeNull();
    await engineStarted(dir);
    h.child.kill('SIGTERM');
    expect(await h.exited, logProblems(dir)).toBe(0);
  }, 30_000);

  it('lets one host own a data dir: a second one says who holds it and exits 2; the lock goes with the first', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify(SIM_ONLY));
    const first = run(['--port', '0', '--data-dir', dir, '--config', cfg]);
    await urlOf(first.output);
    const second = run(['--port', '0', '--data-dir', dir, '--config', cfg]);
    expect(await second.exited, second.output()).toBe(2);
    expect(second.output()).toMatch(new RegExp(`in use by another Foxtrot Terminal \\(pid ${first.child.pid} `));
    expect(existsSync(join(dir, 'foxtrot.lock'))).toBe(true);
    await engineStarted(dir);
    first.child.kill('SIGTERM');
    expect(await first.exited, logProblems(dir)).toBe(0);
    expect(existsSync(join(dir, 'foxtrot.lock'))).toBe(false);
    // The log is the first host's alone: the second wrote nothing to it.
    expect(readFileSync(join(dir, 'logs', 'main.log'), 'utf8')).not.toMatch(/in use by another/);
  }, 30_000);

  it('refuses a bad option and an invalid config file with messages that say what and where', async () => {
    const a = run(['--port', 'eighty']);
    expect(await a.exited).toBe(2);
    expect(a.output()).toMatch(/--port "eighty" is not a port number/);

    const dir = tempDir();
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ watchlist: [{ exchange: 'sim', symbol: 'btcusdt' }] }));
    const b = run(['--config', cfg, '--data-dir', dir]);
    expect(await b.exited).toBe(2);
    expect(b.output()).toMatch(/watchlist\[0\]\.symbol/);
    // The refused file is left exactly as it was.
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toEqual({ watchlist: [{ exchange: 'sim', symbol: 'btcusdt' }] });
  });

  it('guards the renderer API with the token and the origin, serves only the bundle, and exits cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }], watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }] }));
    const h = run(['--port', '0', '--data-dir', dir, '--config', cfg]);
    const url = new URL(await urlOf(h.output));
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.searchParams.get('token')!;
    const api = `ws://${url.host}/api`;

    expect(await wsStatus(`${api}?token=wrong${token.slice(5)}`)).toBe(403);
    expect(await wsStatus(api)).toBe(403);
    expect(await wsStatus(`${api}?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await wsStatus(`${api}?token=${token}`, { Origin: `http://${url.host}` })).toBe('open');

    // Static files too: nothing without the token; the token becomes a cookie and leaves the address bar.
    expect((await get(url.href, '/')).status).toBe(401);
    expect((await get(url.href, '/index.html')).status).toBe(401);
    const first = await get(url.href, `/?token=${token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    // From a link on another site: the same cookie, and a page that goes on to "/" by itself.
    const fromLink = await fetch(`http://${url.host}/?token=${token}`, { headers: { 'Sec-Fetch-Site': 'cross-site' }, redirect: 'manual' });
    expect(fromLink.status).toBe(200);
    expect(fromLink.headers.get('set-cookie')).toBe(setCookie);
    expect(await fromLink.text()).toMatch(/<meta http-equiv="refresh" content="0;url=\/">/);
    // A page under another name (DNS rebinding) is refused even with the token.
    expect((await get(url.href, `/?token=${token}`, { Host: `evil.example:${url.port}` })).status).toBe(403);
    expect((await get(url.href, '/', { Host: `evil.example:${url.port}`, Cookie: cookie })).status).toBe(403);

    const page = await fetch(`http://${url.host}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<div id="root">|id="root"/);
    const escape = await get(url.href, '/..%2f..%2fpackage.json', { Cookie: cookie });
    expect([403, 404]).toContain(escape.status);
    expect(await wsStatus(`${api}?token=`, { Origin: `http://${url.host}`, Cookie: cookie })).toBe('open');

    await engineStarted(dir);
    h.child.kill('SIGTERM');
    expect(await h.exited, logProblems(dir)).toBe(0);
    const logText = readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
    expect(logText).toMatch(/shutdown report .*"clean":true/);
  }, 30_000);
});
