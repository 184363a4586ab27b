// Packaging, checked as far as an offline machine allows (`npm run dist` itself
// needs Electron's download): electron-builder.yml against electron-builder's
// own schema; app.asar built from out/ with electron-builder's own file selection
// and @electron/asar; every path main.ts computes found inside it; and the
// streaming process started from the extracted archive, as the headless host
// forks it.
import { extractFile, statFile } from '@electron/asar';
import Ajv from 'ajv';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appPaths, appRootOfMain } from '../../electron/main/app-paths';
import { nodeStreamingSpawner } from '../../electron/headless/node-streaming-process';
import type { StreamingProcess, StreamingProcessExit } from '../../electron/engine/supervisor/streaming-process';
import { parseFromStreaming, type FromStreaming } from '../../shared/contract/streaming-protocol';
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import { until } from '../support/until';
import { extractApp, packAppAsar, readBuilderConfig, ROOT, type BuilderConfig } from './app-package';
import { fastStreaming, keys } from './streaming-harness';

/** electron-builder's validator: scheme.json from app-builder-lib, with the ajv options app-builder-lib's schemaValidator uses. */
function builderValidator() {
  const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
  return new Ajv({ allErrors: true, verbose: true, coerceTypes: true, strict: false }).compile(schema);
}

describe('electron-builder.yml', () => {
  const validate = builderValidator();

  it("is valid against electron-builder's own JSON schema", () => {
    const ok = validate(readBuilderConfig());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check refuses a misspelt option and a wrong type (so the check above can fail)', () => {
    const config = readBuilderConfig();
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, grantFileProtocolExtraPrivilege: false } })).toBe(false);
    expect(validate.errors?.map((e) => e.params)).toContainEqual({ additionalProperty: 'grantFileProtocolExtraPrivilege' });
    expect(validate({ ...config, files: { not: 'a file list' } })).toBe(false);
  });

  it('flips the security fuses: no extra file:// privileges, no run-as-node, no NODE_OPTIONS or --inspect, the app only from an integrity-checked asar', () => {
    expect(readBuilderConfig().electronFuses).toMatchObject({
      grantFileProtocolExtraPrivileges: false,
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

// The renderer bundle is built by `npm run build`; vitest's global setup builds only
// the Node bundles, so build it here when missing (Vite writes only out/renderer).
async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'renderer/vite.config.mts'), logLevel: 'warn' });
}

/** The entry of the archive: package.json's `main` as electron-builder rewrites it (extraMetadata). */
function mainEntry(config: BuilderConfig): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  return config.extraMetadata?.main ?? pkg.main;
}

function inArchive(asar: string, absolute: string): 'file' | 'directory' | 'missing' | 'outside' {
  const rel = relative(asar, absolute);
  if (rel.startsWith('..') || rel === '' || !absolute.startsWith(asar + sep)) return 'outside';
  try {
    return 'files' in statFile(asar, rel) ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/** Bare module names a CommonJS bundle requires at run time. */
function requiredPackages(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(/\brequire\("([^"./][^"]*)"\)/g)) {
    const spec = m[1]!;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return [...names].sort();
}

describe('app.asar packed from out/ the way electron-builder packs it', () => {
  const config = readBuilderConfig();
  let work = '';
  let asar = '';
  let packed: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'foxtrot-asar-'));
    asar = join(work, 'resources', 'app.asar');
    await ensureRendererBuilt();
    packed = await packAppAsar(config, asar);
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds package.json, and the main entry it names', () => {
    expect(packed).toContain('package.json');
    const main = mainEntry(config);
    expect(main).toBe('out/electron/main.cjs');
    expect(inArchive(asar, join(asar, main))).toBe('file');
  });

  it('every path main.ts computes from its own location resolves inside the archive', () => {
    const paths = appPaths(appRootOfMain(dirname(join(asar, mainEntry(config)))));
    expect({
      preload: inArchive(asar, paths.preload),
      streamingEntry: inArchive(asar, paths.streamingEntry),
      rendererDir: inArchive(asar, paths.rendererDir),
      rendererIndex: inArchive(asar, paths.rendererIndex),
    }).toEqual({ preload: 'file', streamingEntry: 'file', rendererDir: 'directory', rendererIndex: 'file' });
    // The page's scripts are in the archive too, where index.html points.
    const html = extractFile(asar, relative(asar, paths.rendererIndex)).toString('utf8');
    const scripts = [...html.matchAll(/src="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(inArchive(asar, join(paths.rendererDir, s)), s).toBe('file');
  });

  it('leaves out the benchmark, the headless host, the simulator CLI, test fixtures, source maps, sources, tests and the config itself', () => {
    const notShipped = /^out\/(bench|headless|simulator|test-fixtures)\//;
    expect(packed.filter((f) => notShipped.test(f) || f.endsWith('.map') || !/^(out\/|package\.json$)/.test(f))).toEqual([]);
    // Exactly the desktop app's bundles and the renderer.
    expect(packed.filter((f) => f.endsWith('.cjs')).sort()).toEqual(['out/electron/main.cjs', 'out/electron/preload.cjs', 'out/streaming/futu-api.cjs', 'out/streaming/streaming.cjs']);
  });

  it("a bundle's relative requires (futu-api, built once and loaded on demand) name files packed beside it", () => {
    const streaming = extractFile(asar, 'out/streaming/streaming.cjs').toString('utf8');
    const relative = [...new Set([...streaming.matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)].map((m) => m[1]!))];
    expect(relative).toEqual(['../streaming/futu-api.cjs']);
    for (const entry of ['out/electron/main.cjs', 'out/streaming/streaming.cjs']) {
      const code = extractFile(asar, entry).toString('utf8');
      for (const m of code.matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)) {
        expect(inArchive(asar, join(asar, dirname(entry), m[1]!)), `${entry} requires ${m[1]}`).toBe('file');
      }
    }
  });

  it('its bundles require only Node built-ins, electron and package.json dependencies (what electron-builder ships)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...builtinModules, ...builtinModules.map((b) => `node:${b}`), 'electron', ...Object.keys(pkg.dependencies)]);
    for (const entry of ['out/electron/main.cjs', 'out/electron/preload.cjs', 'out/streaming/streaming.cjs']) {
      const needs = requiredPackages(extractFile(asar, entry).toString('utf8'));
      expect(needs.length, entry).toBeGreaterThan(0);
      expect(needs.filter((n) => !allowed.has(n)), entry).toEqual([]);
    }
  });
});

describe('the streaming process from the packaged layout', () => {
  const config = readBuilderConfig();
  let work = '';
  let child: StreamingProcess | undefined;
  let sim: ExchangeSimulator | undefined;

  afterEach(async () => {
    child?.kill();
    await sim?.stop();
  });
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'foxtrot-app-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the config unpacks nothing: the streaming process runs from inside app.asar (utilityProcess reads asar)', () => {
    expect(config.asarUnpack).toBeUndefined();
  });

  it('forked from the extracted archive as the headless host forks it: ready, streams from the simulator, exits 0 after a clean shutdown', async () => {
    await ensureRendererBuilt();
    const asar = join(work, 'app.asar');
    await packAppAsar(config, asar);
    const app = join(work, 'app');
    extractApp(asar, app);
    const entry = appPaths(appRootOfMain(dirname(join(app, mainEntry(config))))).streamingEntry;
    expect(entry).toBe(join(app, 'out', 'streaming', 'streaming.cjs'));

    sim = new ExchangeSimulator({ port: 0, ratePerSymbol: 20 });
    await sim.start();
    child = nodeStreamingSpawner(entry)();
    const got: FromStreaming[] = [];
    const refused: string[] = [];
    child.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (p.ok) got.push(p.value);
      else refused.push(JSON.stringify(m));
    });
    let exit: StreamingProcessExit | undefined;
    const exited = new Promise<StreamingProcessExit>((r) => child!.onExit((e) => r((exit = e))));

    const ready = await until(() => {
      if (exit) throw new Error(`the packaged streaming process exited before ready: ${JSON.stringify(exit)}`);
      return got.find((m) => m.type === 'ready');
    }, 'ready from the packaged streaming process');
    expect(ready).toEqual({ type: 'ready', pid: child.pid });
    child.post({
      type: 'configure',
      exchanges: [{ id: 'sim', kind: 'ccxt', ccxtId: 'binance', simulated: true, enabled: true, urls: { rest: sim.urls.rest, ws: sim.urls.ws } }],
      streaming: fastStreaming(),
      parentPid: process.pid,
      heartbeatMs: 100,
    });
    child.post({ type: 'subscribe', subs: keys(['BTC/USDT'], 'ticker') });
    // ccxt, required from the packaged bundle, really streams.
    await until(() => got.find((m) => m.type === 'ticks' && m.tickers.length > 0), 'a tick batch');

    child.post({ type: 'shutdown', deadlineMs: 2000 });
    expect(await exited).toEqual({ code: 0, signal: null });
    const report = got.find((m) => m.type === 'shutdown-report');
    expect(report?.type === 'shutdown-report' && report.report).toMatchObject({ clean: true, leftoverTasks: {} });
    expect(refused).toEqual([]);
  }, 60_000);
});
