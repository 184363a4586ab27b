// `npm run dist` needs the network (electron-builder downloads Electron and its
// tools): scripts/dist-preflight.mjs says so up front instead of failing late.
// The mirrors it honours point it at a local server (reachable) or a closed port.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

function preflight(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'scripts/dist-preflight.mjs')], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (_err, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

describe('dist preflight', () => {
  it('without network: exits 1 before anything is built, naming what it needs, the URL and why', async () => {
    const port = await closedPort();
    const r = await preflight({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, ELECTRON_BUILDER_BINARIES_MIRROR: `http://127.0.0.1:${port}/tools/` });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('npm run dist: cannot package on this machine: electron-builder needs network access');
    expect(r.stderr).toContain(`Electron ${VERSION} (${process.platform}-${process.arch}): http://127.0.0.1:${port}/v${VERSION}/electron-v${VERSION}-${process.platform}-${process.arch}.zip is unreachable (ECONNREFUSED)`);
    expect(r.stderr).toContain(`electron-builder's packaging tools: http://127.0.0.1:${port}/tools/ is unreachable (ECONNREFUSED)`);
    expect(r.stderr).toContain('set ELECTRON_MIRROR to a reachable mirror');
  });

  it('with both downloads reachable: passes (exit 0) after asking for exactly this Electron build', async () => {
    const asked: string[] = [];
    server = createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(req.url?.endsWith('.zip') ? 302 : 404).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const r = await preflight({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, ELECTRON_BUILDER_BINARIES_MIRROR: `http://127.0.0.1:${port}/tools/` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(asked).toEqual([`HEAD /v${VERSION}/electron-v${VERSION}-${process.platform}-${process.arch}.zip`, 'HEAD /tools/']);
  });
});
