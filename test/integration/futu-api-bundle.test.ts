// futu-api loads from our esbuild bundle despite its packaging (ESM main without
// "type":"module", protobufjs 6 nested in its own node_modules, a global WebSocket):
// the built out/streaming/futu-api.cjs logs in to the OpenD stand-in and receives a
// push, with no global WebSocket, and requires only what the app ships.
import { createRequire } from 'node:module';
import { builtinModules } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenDStandIn } from '../../simulator/opend/opend-standin';
import { until } from '../support/until';
import type * as FutuApiModule from '../../electron/streaming/adapters/futu/futu-api';

const root = resolve(import.meta.dirname, '../..');
const bundlePath = resolve(root, 'out/streaming/futu-api.cjs');

describe('futu-api in the built bundle', () => {
  let opend: OpenDStandIn;
  beforeAll(async () => {
    opend = new OpenDStandIn({ pushIntervalMs: 20 });
    await opend.start();
  });
  afterAll(async () => {
    await opend.close();
    vi.restoreAllMocks();
  });

  it('requires only Node built-ins and package.json dependencies', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const code = readFileSync(bundlePath, 'utf8');
    const needs = [...new Set([...code.matchAll(/\brequire\("([^"./][^"]*)"\)/g)].map((m) => m[1]!))];
    expect(needs).toContain('ws');
    const allowed = new Set([...builtinModules, ...Object.keys(pkg.dependencies)]);
    expect(needs.filter((n) => !allowed.has(n.replace(/^node:/, '')))).toEqual([]);
  });

  it('loads without Node deprecation warnings (bytebuffer’s `new Buffer` printed DEP0005 at every start)', () => {
    const probe = `const seen = []; process.on('warning', (w) => seen.push(w.code ?? w.name)); require(${JSON.stringify(bundlePath)});
const { createFutuClient } = require(${JSON.stringify(bundlePath)}); createFutuClient();
setImmediate(() => process.stdout.write(JSON.stringify(seen)));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }))).toEqual([]);
  });

  it('logs in, subscribes and receives a decoded push, with no global WebSocket and no console output', async () => {
    const logged = [vi.spyOn(console, 'debug'), vi.spyOn(console, 'log')];
    const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    try {
      const mod = createRequire(import.meta.url)(bundlePath) as typeof FutuApiModule;
      expect(mod.FUTU_CMD).toEqual({ init: 1, keepAlive: 1004, sub: 3001, updateBasicQot: 3005, updateTicker: 3011, updateOrderBook: 3013 });
      const client = mod.createFutuClient();
      const pushes: [number, unknown][] = [];
      client.onPush = (cmd, msg) => pushes.push([cmd, msg]);
      const login = new Promise<boolean>((r) => (client.onlogin = (ok) => r(ok)));
      client.start('127.0.0.1', opend.port, false, 'k');
      expect(await login).toBe(true);
      const r = await client.Sub({ c2s: { securityList: [{ market: 11, code: 'AAPL' }], subTypeList: [4], isSubOrUnSub: true, isRegOrUnRegPush: true } });
      expect(r.retType).toBe(0);
      const [cmd, msg] = await until(() => pushes[0], 'a ticker push');
      expect(cmd).toBe(3011);
      expect((msg as { s2c: { security: unknown } }).s2c.security).toEqual({ market: 11, code: 'AAPL' });
      client.websock!.close();
      await until(() => opend.view().connections.length === 0, 'the connection closed');
      // base.js would have logged the login and the close event.
      expect(logged.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
    } finally {
      if (saved !== undefined) (globalThis as { WebSocket?: unknown }).WebSocket = saved;
    }
  });
});
