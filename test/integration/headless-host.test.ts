// The headless host as a user runs it: `node out/headless/serve.cjs ...`.
// Command-line and config errors are refused clearly; --help and --version answer;
// every request needs a known Host and the URL's token (then its cookie), the API
// also a same-origin page; static files cannot escape the bundle; a malformed
// request is a 400, not a crash; one host per data dir; a SIGTERM shuts it down
// cleanly with the report in the log file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineStarted, HostTestResources, logProblems, printedUrl, SERVE, wsStatus } from '../support/headless-host';

const host = new HostTestResources();
afterEach(() => host.cleanup());

const run = (args: string[]): ReturnType<HostTestResources['run']> => host.run(SERVE, args);
const urlOf = async (output: () => string): Promise<string> => (await printedUrl(output)).href;

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
    const { dir, cfg } = host.simDataDir('foxtrot-host-');
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
    const { dir, cfg } = host.simDataDir('foxtrot-host-');
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

    const dir = host.tempDir('foxtrot-host-');
    const cfg = join(dir, 'bad.json');
    writeFileSync(cfg, JSON.stringify({ watchlist: [{ exchange: 'sim', symbol: 'btcusdt' }] }));
    const b = run(['--config', cfg, '--data-dir', dir]);
    expect(await b.exited).toBe(2);
    expect(b.output()).toMatch(/watchlist\[0\]\.symbol/);
    // The refused file is left exactly as it was.
    expect(JSON.parse(readFileSync(cfg, 'utf8'))).toEqual({ watchlist: [{ exchange: 'sim', symbol: 'btcusdt' }] });
  });

  it('guards the renderer API with the token and the origin, serves only the bundle, and exits cleanly on SIGTERM', async () => {
    const { dir, cfg } = host.simDataDir('foxtrot-host-');
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
