// Builds every process of the app.
//   Node-side bundles (esbuild): Electron main, preload, the streaming process,
//   the headless host, the simulator CLI and the benchmark.
//   Renderer (Vite + React): one static bundle served by both hosts.
// Why esbuild + Vite rather than electron-vite: the same streaming-process entry
// must also run under plain Node for the headless host, the simulator and the
// benchmark are Node programs too, and electron-vite only knows main/preload/
// renderer. esbuild builds all Node targets in ~1 s; Vite builds the renderer.
// Dependencies stay external (node_modules ships with the app); only the preload
// is fully bundled, because a sandboxed preload can require nothing but 'electron'.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { asciiSource } from './ascii-source.mjs';

const root = resolve(import.meta.dirname, '..');
const nodeOnly = process.argv.includes('--node-only');

const nodeEntries = [
  { in: 'electron/main/main.ts', out: 'electron/main' },
  { in: 'electron/streaming/entry.ts', out: 'streaming/streaming' },
  { in: 'electron/headless/serve.ts', out: 'headless/serve' },
  { in: 'simulator/cli.ts', out: 'simulator/cli' },
  { in: 'bench/bench.ts', out: 'bench/bench' },
  { in: 'bench/sim-worker.ts', out: 'bench/sim-worker' },
  { in: 'bench/ccxt-worker.ts', out: 'bench/ccxt-worker' },
  { in: 'bench/host-worker.ts', out: 'bench/host-worker' },
  { in: 'bench/store-client.ts', out: 'bench/store-client' },
  { in: 'bench/cycles-worker.ts', out: 'bench/cycles-worker' },
  { in: 'bench/broker-worker.ts', out: 'bench/broker-worker' },
  { in: 'bench/ipc-floor-worker.ts', out: 'bench/ipc-floor-worker' },
  { in: 'bench/frame-floor-worker.ts', out: 'bench/frame-floor-worker' },
  // The Futu client alone, so a test proves the bundled futu-api loads and talks.
  { in: 'electron/streaming/adapters/futu/futu-api.ts', out: 'streaming/futu-api' },
].filter((e) => existsSync(resolve(root, e.in)));

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
};

// futu-api is bundled, not external: its main.js is ESM without "type":"module"
// (plain require() of it fails before Node 20.19), it pins protobufjs 6 in its own
// node_modules (not resolvable from out/), and base.js uses a global WebSocket that
// Node 20 lacks. So futu-api and its protobuf/bytebuffer/long tree go into the
// bundle, and base.js gets `ws` as its WebSocket (scoped to that module, no global).
// base.js also logs every login, timeout and close (whole event objects) to the
// console; the Futu adapter reports all of that itself, so in the bundle its
// console is a silent one (scoped to base.js too). bytebuffer calls the deprecated
// `new Buffer(...)`, which makes Node print DEP0005 at every start of a process that
// loads it: its Buffer is given a constructor-compatible wrapper over Buffer.alloc /
// Buffer.from (scoped to that module). Every other package stays external.
/** `new Buffer(x)` as Buffer.alloc / Buffer.from; statics and instanceof as Buffer's own. */
const bufferWithoutDeprecation = `function (B) {
  function Buffer(x, encodingOrOffset, length) {
    return typeof x === 'number' ? B.alloc(x) : B.from(x, encodingOrOffset, length);
  }
  Object.setPrototypeOf(Buffer, B);
  Buffer.prototype = B.prototype;
  return Buffer;
}`;
const FUTU_TREE = /^(futu-api|protobufjs|@protobufjs\/[^/]+|bytebuffer|long)(\/|$)/;
// zod is bundled too: every process validates with it from its first message, and
// bundled it loads in about half the time its ~100 separate files take (~55 → ~29 ms
// on this machine), once in the host and once in the streaming process, both on the
// path from launch to the first tick.
const BUNDLED = /^zod(\/|$)/;
const BUILTINS = new Set(builtinModules);
const futuApi = {
  name: 'futu-api',
  setup(b) {
    // bytebuffer try-requires the optional native 'memcpy': keep it absent, so the
    // bundle requires no package the app does not ship.
    b.onResolve({ filter: /^memcpy$/ }, () => ({ path: 'memcpy', namespace: 'absent' }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'throw new Error("optional module not shipped");', loader: 'js' }));
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      // Built-ins keep esbuild's own handling (as under packages: 'external').
      FUTU_TREE.test(args.path) || BUNDLED.test(args.path) || args.path.startsWith('node:') || BUILTINS.has(args.path) ? undefined : { path: args.path, external: true },
    );
    b.onLoad({ filter: /[\\/]node_modules[\\/]bytebuffer[\\/]dist[\\/]bytebuffer-node\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = 'Buffer = buffer["Buffer"]';
      if (!source.includes(from)) throw new Error(`bytebuffer changed: "${from}" not found in ${args.path}`);
      return { contents: source.replace(from, `Buffer = (${bufferWithoutDeprecation})(buffer["Buffer"])`), loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]futu-api[\\/]base\.js$/ }, (args) => ({
      contents: `import WebSocket from 'ws';\nconst console = { log() {}, debug() {} };\n${readFileSync(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

// futu-api with its protobuf tree is ~1.1 MB of source, half of the streaming
// bundle, and V8 keeps a script's whole source in memory for as long as it runs. So
// it is built once, as out/streaming/futu-api.cjs, and every other bundle requires
// that file when its Futu code first runs (the adapter loads it on demand): a
// process with no Futu rows never reads it. Every bundle sits one folder below
// out/, so one relative path serves them all.
const FUTU_API_AT_RUN_TIME = '../streaming/futu-api.cjs';
const futuApiAtRunTime = {
  name: 'futu-api-at-run-time',
  setup(b) {
    b.onResolve({ filter: /^\.\/futu-api$/ }, (args) =>
      /[\\/]adapters[\\/]futu$/.test(args.resolveDir) ? { path: FUTU_API_AT_RUN_TIME, external: true } : undefined,
    );
  },
};

/** Rewrites a built bundle as ASCII (see ascii-source.mjs: V8 then holds its source as one-byte text). */
function escapeNonAscii(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = asciiSource(text);
  if (ascii !== text) writeFileSync(file, ascii);
}

const t0 = performance.now();
const nodeBuilds = await Promise.all([
  build({
    ...common,
    entryPoints: nodeEntries,
    outdir: 'out',
    metafile: true,
    plugins: [futuApi, futuApiAtRunTime],
  }),
  existsSync(resolve(root, 'electron/preload/preload.ts')) &&
    build({
      ...common,
      entryPoints: [{ in: 'electron/preload/preload.ts', out: 'electron/preload' }],
      outdir: 'out',
      metafile: true,
      external: ['electron'],
    }),
]);
for (const result of nodeBuilds) {
  if (!result) continue;
  for (const file of Object.keys(result.metafile.outputs)) if (file.endsWith('.cjs')) escapeNonAscii(resolve(root, file));
}

if (!nodeOnly) {
  const { build: viteBuild } = await import('vite');
  rmSync(resolve(root, 'out/renderer'), { recursive: true, force: true });
  await viteBuild({ configFile: resolve(root, 'renderer/vite.config.mts'), logLevel: 'warn' });
}
console.log(`build: done in ${Math.round(performance.now() - t0)} ms`);
