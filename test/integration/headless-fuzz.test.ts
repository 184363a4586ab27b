// Fuzz (issue 8 "Done when"): random request targets, headers, raw bytes, upgrade
// attempts and renderer messages thrown at the real headless host for a few
// seconds. Afterwards it must still serve, still be guarded (no token, a foreign
// Host or Origin → refused), have logged no uncaught fault, and have lost nothing:
// a watch sent just before the fuzz (its save still debounced) is in the settings
// file after SIGTERM, exit 0. Seeded (FOXTROT_FUZZ_SEED) so a failure replays.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectRenderer, engineStarted, HostTestResources, logProblems, printedUrl, SERVE, watchApplied, wsStatus } from '../support/headless-host';
import { mulberry32 } from '../support/seeded-random';

const SEED = Number(process.env.FOXTROT_FUZZ_SEED ?? 20261201);
const FUZZ_MS = 4000;
const CONCURRENCY = 6;

class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(max: number): Buffer {
    const b = Buffer.alloc(this.int(max) + 1);
    for (let i = 0; i < b.length; i++) b[i] = this.int(256);
    return b;
  }
  /** Printable-ish text with the characters parsers trip on. */
  text(max: number): string {
    const alphabet = ['a', 'Z', '0', '/', '.', '..', '%', '%ff', '%2f', '%00', '%E0%A4%A', '?', '#', '&', '=', ';', '\\', ' ', '~', 'é', '😀', '\u0000', '\r', '\n', '"', "'", '<', '{'];
    let s = '';
    const n = this.int(max);
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
}

interface Target {
  host: string; // "127.0.0.1:PORT"
  port: number;
  token: string;
}

/** One raw HTTP exchange over TCP, whatever is written; resolves when the server answers or closes. */
function raw(port: number, payload: Buffer | string, abortEarly: boolean): Promise<void> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    const done = (): void => {
      s.destroy();
      res();
    };
    s.setTimeout(2000, done);
    s.on('error', done);
    s.on('close', done);
    s.on('data', () => (abortEarly ? done() : undefined));
    s.on('connect', () => {
      s.write(payload);
      if (abortEarly) setTimeout(done, 5); // a peer that resets mid-request
      else s.end();
    });
  });
}

function randomRequest(g: Gen, t: Target): string {
  const method = g.pick(['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'TRACE', 'G\u00e9T', '']);
  const path = g.pick([
    () => `/${g.text(40)}`,
    () => `/?token=${t.token}${g.text(5)}`,
    () => `/${g.text(10)}?token=${t.token}`,
    () => `//${g.text(10)}/?token=${t.token}`,
    () => `/api?token=${g.pick([t.token, '', g.text(30)])}`,
    () => g.pick(['*', 'http://127.0.0.1/', '', '%ff', `/${'a'.repeat(g.int(20_000))}`]),
  ])();
  const headers: string[] = [];
  const hostHeader = g.pick([t.host, t.host, 'evil.example', `evil.example:${t.port}`, `localhost:${t.port}`, g.text(20), '']);
  if (g.next() < 0.9) headers.push(`Host: ${hostHeader}`);
  if (g.next() < 0.5) headers.push(`Cookie: ${g.pick([`foxtrot-${t.port}=${t.token}`, `foxtrot-${t.port}=${g.text(24)}`, g.text(60), ';;;=', `a=b; foxtrot-${t.port}`])}`);
  if (g.next() < 0.3) headers.push(`Origin: ${g.pick(['http://evil.example', `http://${t.host}`, 'null', g.text(20)])}`);
  if (g.next() < 0.2) headers.push('Connection: Upgrade', 'Upgrade: websocket', `Sec-WebSocket-Version: ${g.pick(['13', '8', 'x'])}`, `Sec-WebSocket-Key: ${g.pick(['dGhlIHNhbXBsZSBub25jZQ==', g.text(10)])}`);
  if (g.next() < 0.2) headers.push(`${g.text(10)}: ${g.text(50)}`);
  if (g.next() < 0.05) headers.push(`X-Big: ${'x'.repeat(20_000 + g.int(20_000))}`);
  if (g.next() < 0.1) headers.push(`Content-Length: ${g.pick(['5', '-1', 'abc', '99999999'])}`);
  return `${method} ${path} HTTP/1.${g.pick(['1', '0', '9'])}\r\n${headers.join('\r\n')}\r\n\r\n`;
}

/** A renderer message: schema-shaped, schema-breaking, or not JSON at all. Never quit, never unwatch the watched. */
function randomMessage(g: Gen): string | Buffer {
  const junk = (): unknown => g.pick([null, 0, -1, Number.MAX_VALUE, 'x', g.text(30), [], {}, [g.text(5)], { type: g.text(5) }, true]);
  return g.pick<() => string | Buffer>([
    () => g.bytes(200),
    () => g.text(200),
    () => JSON.stringify({ type: 'frame-ack', seq: g.pick([g.int(1e6), -5, 1.5, 'x']), frameTime: junk() }),
    () => JSON.stringify({ type: 'watch', exchange: g.pick(['sim', 'nope', '', g.text(40)]), symbol: g.pick(['DOGE/USDT', 'bad', g.text(12)]), channels: g.pick([['ticker'], [], ['x'], junk()]) }),
    () => JSON.stringify({ type: 'unwatch', exchange: g.pick(['nope', g.text(8)]), symbol: g.pick(['XRP/USDT', g.text(12)]) }),
    () => JSON.stringify({ type: 'set-ui', showDiagnostics: g.pick([true, false, junk()]) }),
    () => JSON.stringify({ type: 'log', level: g.pick(['info', 'warn', 'fatal']), message: g.text(300) }),
    () => JSON.stringify({ type: 'sim-fault', fault: junk() }),
    () => JSON.stringify({ type: g.pick(['hello', 'frame', 'quit!', '__proto__', g.text(8)]), extra: junk() }),
    () => JSON.stringify(junk()),
    () => '{"type":"frame-ack","seq":1e309}', // Infinity after parsing
    () => `{"type":"watch","exchange":"sim",${g.text(30)}`,
    () => 'x'.repeat(70 * 1024), // over the 64 KiB limit: the host closes that socket
  ])();
}

/** An authenticated socket that sends a burst of random messages, then closes (politely or not). */
function chatter(g: Gen, t: Target): Promise<void> {
  return new Promise((res) => {
    const ws = new WebSocket(`ws://${t.host}/api?token=${t.token}`, { headers: { Origin: `http://${t.host}` } });
    const finish = (): void => {
      ws.terminate();
      res();
    };
    const timer = setTimeout(finish, 2000);
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(timer);
      res();
    });
    ws.on('open', () => {
      const n = 1 + g.int(30);
      for (let i = 0; i < n && ws.readyState === ws.OPEN; i++) ws.send(randomMessage(g));
      if (g.next() < 0.5) ws.close();
      else setTimeout(finish, g.int(50));
    });
  });
}

function upgradeAttempt(g: Gen, t: Target): Promise<void> {
  return new Promise((res) => {
    const path = g.pick([`/api?token=${g.text(24)}`, `/api?token=${t.token}`, `/${g.text(20)}`, '/api']);
    const origin = g.pick(['http://evil.example', `http://${t.host}`, `https://${t.host}`, g.text(10)]);
    let ws: WebSocket;
    try {
      ws = new WebSocket(`ws://${t.host}${path.replace(/[^\x21-\x7e]/g, '')}`, { headers: { Origin: origin.replace(/[^\x21-\x7e]/g, '') || 'null' } });
    } catch {
      return res();
    }
    const timer = setTimeout(() => (ws.terminate(), res()), 2000);
    const end = (): void => {
      clearTimeout(timer);
      ws.terminate();
      res();
    };
    ws.on('open', end);
    ws.on('error', end);
    ws.on('unexpected-response', end);
  });
}

function status(t: Target, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port: t.port, path, headers }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', rej);
    req.end();
  });
}

const host = new HostTestResources();
afterEach(() => host.cleanup());

describe(`headless host fuzz (seed ${SEED})`, () => {
  it('stays up, stays guarded and loses nothing under random requests, headers, bytes and messages', async () => {
    const { dir, cfg } = host.simDataDir('foxtrot-fuzz-');
    const { child, output, exited } = host.run(SERVE, ['--port', '0', '--data-dir', dir, '--config', cfg]);
    const url = await printedUrl(output);
    const t: Target = { host: url.host, port: Number(url.port), token: url.searchParams.get('token')! };

    // The watch: applied (the host echoes the settings) but, debounced, not yet saved.
    const renderer = await connectRenderer(url);
    const ws = renderer.ws;
    await watchApplied(renderer, 'ETH/USDT');

    const g = new Gen(mulberry32(SEED));
    const counts = { raw: 0, bytes: 0, upgrade: 0, chatter: 0 };
    const stopAt = Date.now() + FUZZ_MS;
    const worker = async (): Promise<void> => {
      while (Date.now() < stopAt && child.exitCode === null) {
        const r = g.next();
        if (r < 0.45) {
          counts.raw++;
          await raw(t.port, randomRequest(g, t), g.next() < 0.2);
        } else if (r < 0.6) {
          counts.bytes++;
          await raw(t.port, g.bytes(2000), g.next() < 0.5);
        } else if (r < 0.8) {
          counts.upgrade++;
          await upgradeAttempt(g, t);
        } else {
          counts.chatter++;
          await chatter(g, t);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const context = `seed ${SEED}, ${JSON.stringify(counts)}\n${output()}`;
    expect(child.exitCode, context).toBeNull();
    expect(counts.raw + counts.bytes + counts.upgrade + counts.chatter, context).toBeGreaterThan(30); // the fuzz really ran

    // Still serving...
    expect(await status(t, `/?token=${t.token}`), context).toBe(302);
    expect(await status(t, '/', { Cookie: `foxtrot-${t.port}=${t.token}` }), context).toBe(200);
    expect(await wsStatus(`ws://${t.host}/api?token=${t.token}`, { Origin: `http://${t.host}` }), context).toBe('open');
    // ...and still guarded.
    expect(await status(t, '/'), context).toBe(401);
    expect(await status(t, `/?token=${t.token}`, { Host: `evil.example:${t.port}` }), context).toBe(403);
    expect(await wsStatus(`ws://${t.host}/api`, { Origin: `http://${t.host}` }), context).toBe(403);
    expect(await wsStatus(`ws://${t.host}/api?token=${t.token}`, { Origin: 'http://evil.example' }), context).toBe(403);
    expect(await wsStatus(`ws://${t.host}/api?token=${t.token}`, { Host: `evil.example:${t.port}` }), context).toBe(403);
    // The socket opened before the fuzz is still there.
    expect(ws.readyState, context).toBe(ws.OPEN);

    // Started long ago unless the machine is starved: then SIGTERM would test start-up, not the fuzz.
    await engineStarted(dir);
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, `${context}\n${logProblems(dir)}`).toBe(0);
    const saved = JSON.parse(readFileSync(cfg, 'utf8')) as { watchlist: { exchange: string; symbol: string }[] };
    expect(saved.watchlist.filter((w) => w.exchange === 'sim').map((w) => w.symbol), context).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/USDT']));
    const log = readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
    expect(log, context).not.toMatch(/uncaught exception|unhandled rejection|request failed/);
    expect(log, context).toMatch(/shutdown report .*"clean":true/);
  }, 60_000);
});
