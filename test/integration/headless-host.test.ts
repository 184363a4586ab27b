// The headless host as a user runs it: `node out/headless/serve.cjs ...`.
// Command-line and config errors are refused clearly; the renderer API needs the
// URL's token and a same-origin page; static files cannot escape the bundle; a
// SIGTERM shuts it down cleanly with the report in the log file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('headless host', () => {
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

    const page = await fetch(`http://${url.host}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<div id="root">|id="root"/);
    const escape = await fetch(`http://${url.host}/..%2f..%2fpackage.json`);
    expect([403, 404]).toContain(escape.status);

    h.child.kill('SIGTERM');
    expect(await h.exited).toBe(0);
    const logText = readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
    expect(logText).toMatch(/shutdown report .*"clean":true/);
  }, 30_000);
});
