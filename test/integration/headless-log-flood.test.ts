// A renderer flooding the headless host (built out/headless/serve.cjs) with log
// records and invalid messages for a few seconds: the log file stays small, holds
// no forged line, says what it refused, and the host keeps serving and shuts down.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { connectRenderer, HostTestResources, printedUrl, SERVE } from '../support/headless-host';

const host = new HostTestResources();
afterEach(() => host.cleanup());

type Received = { type: string; message?: string };

/**
 * Sends `make()` for `ms`, in bursts of 20 every few milliseconds (thousands a second:
 * a flood, but one that leaves the machine to the tests running beside this one).
 */
async function flood(ws: WebSocket, ms: number, make: (i: number) => string): Promise<number> {
  const end = Date.now() + ms;
  let i = 0;
  while (Date.now() < end) {
    for (let k = 0; k < 20; k++) ws.send(make(i++));
    await new Promise((r) => setTimeout(r, ws.bufferedAmount > 1_000_000 ? 20 : 5));
  }
  return i;
}

describe('headless host under a log flood', () => {
  it('keeps the log file bounded and one line per record, and still serves', async () => {
    const { dir, cfg } = host.simDataDir('foxtrot-flood-');
    const { child, output, exited } = host.run(SERVE, ['--port', '0', '--data-dir', dir, '--config', cfg]);
    const url = await printedUrl(output);

    const a = await connectRenderer<Received>(url);
    const b = await connectRenderer<Received>(url);
    const forged = `x\n[2026-01-01 00:00:00.000] [error] forged ${'f'.repeat(3900)}`;
    const junk = JSON.stringify({ type: 'nonsense', pad: 'j\n'.repeat(3_000) });
    const [logsSent, invalidSent] = await Promise.all([
      flood(a.ws, 2_000, (i) => JSON.stringify({ type: 'log', level: 'error', message: `${i} ${forged}` })),
      flood(b.ws, 2_000, () => junk),
    ]);
    expect(logsSent).toBeGreaterThan(1_000);
    expect(invalidSent).toBeGreaterThan(100);

    // Still serving: a new client is greeted and the page loads.
    const c = await connectRenderer<Received>(url);
    for (let i = 0; i < 200 && !c.received.some((m) => m.type === 'hello'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(c.received.some((m) => m.type === 'hello')).toBe(true);
    // The page: the token earns a cookie (302), the cookie earns the page.
    const first = await fetch(`http://${url.host}/?token=${url.searchParams.get('token')}`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`http://${url.host}/`, { headers: { cookie } })).status).toBe(200);
    // The flooding client got a bounded number of notices, not one per message.
    const notices = b.received.filter((m) => m.type === 'notice' && m.message?.startsWith('Request refused'));
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.length).toBeLessThan(200);
    for (const s of [a, b, c]) s.ws.close();

    child.kill('SIGTERM');
    // 0 or, on a machine too loaded to stop the streaming process within the deadline, 1 (forced).
    expect([0, 1]).toContain(await exited);
    const logs = join(dir, 'logs');
    expect(readdirSync(logs)).toEqual(['main.log']);
    const path = join(logs, 'main.log');
    // The flood was megabytes a second; the file keeps about 70 KB of burst plus a few KB/s.
    expect(statSync(path).size).toBeLessThan(512 * 1024);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[\w+\]/);
    expect(lines.some((l) => l.startsWith('[2026-01-01 00:00:00.000]'))).toBe(false);
    expect(lines.filter((l) => l.includes('forged')).length).toBeLessThan(200);
    expect(lines.some((l) => /renderer log records from ws-\d+ refused \d+ times/.test(l))).toBe(true);
    expect(lines.some((l) => /invalid renderer messages from ws-\d+ refused \d+ times/.test(l))).toBe(true);
    expect(lines.some((l) => /\(engine\)\s+shutdown report \{/.test(l))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  }, 60_000);
});
