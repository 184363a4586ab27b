// The host-level fault policy in a real headless terminal: a flood of unhandled
// rejections is survived and logged once (plus counts); an uncaught exception runs
// the coordinated shutdown, so a watch whose save was still debounced reaches the
// settings file, and the exit code is 1. Without the policy, Node would die on the
// first rejection with the watch unsaved and nothing in the log.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { until } from '../support/until';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'out/test-fixtures/faulting-host.cjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Bundled next to out/headless so the terminal finds out/renderer and out/streaming.
  await build({
    entryPoints: [join(__dirname, 'fixtures/faulting-host.ts')],
    outfile: FIXTURE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('headless host fault policy', () => {
  it('survives a flood of rejections (logged once), and on an uncaught exception drains, saves the pending watch and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foxtrot-faults-'));
    dirs.push(dir);
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }], watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }] }));
    const child = spawn(process.execPath, [FIXTURE, dir, cfg], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

    const line = await until(() => out.split('\n').find((l) => l.includes('http://')), 'the URL');
    const url = new URL(line.slice(line.indexOf('http://')).trim());
    const messages: { type: string; settings?: { watchlist: { symbol: string }[] } }[] = [];
    const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`);
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as (typeof messages)[number]));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'watch', exchange: 'sim', symbol: 'ETH/USDT', channels: ['ticker'] }));
    await until(() => messages.some((m) => m.type === 'settings' && m.settings!.watchlist.some((w) => w.symbol === 'ETH/USDT')), 'the watch to be applied');

    child.stdin!.write('reject 1500\n');
    await until(() => out.includes('rejected'), 'the rejections');
    expect(child.exitCode).toBeNull(); // carried on
    const log = (): string => readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
    expect(log().match(/unhandled rejection \(host carries on\)/g)).toHaveLength(1);
    expect(log().match(/uncaught fault repeated/g)).toHaveLength(3); // 10, 100, 1000

    // The watch's save is still debounced: only the coordinated shutdown can write it now.
    child.stdin!.write('throw\n');
    expect(await exited).toBe(1);
    const saved = JSON.parse(readFileSync(cfg, 'utf8')) as { watchlist: { symbol: string }[] };
    expect(saved.watchlist.map((w) => w.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(log()).toMatch(/uncaught exception: shutting down .*injected fault/);
    expect(log()).toMatch(/shutdown report .*"trigger":"uncaught-exception"/);
    expect(log()).toMatch(/uncaught faults at exit .*"count":1500/);
  }, 30_000);
});
