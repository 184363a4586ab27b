// `npm start`: the desktop app where Electron can run, the headless host otherwise.
// Electron 45 fetches its binary on first launch; on an offline machine (or with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) that cannot work, so say so in one line and
// serve the same terminal to a browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules/electron');
const passArgs = process.argv.slice(2);

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

function tryDownload() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  return r.status === 0 ? undefined : 'the download failed (offline?)';
}

let bin = electronBinary();
let why;
if (!bin) {
  why = tryDownload();
  bin = electronBinary();
}
if (bin && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  why = 'no display (DISPLAY is not set)';
  bin = undefined;
}

const child = bin
  ? spawn(bin, [join(root, 'out/electron/main.cjs'), ...passArgs], { stdio: 'inherit' })
  : (console.log(
      `Electron is not available here (${why ?? 'binary missing'}); get it with \`node node_modules/electron/install.js\` on a networked machine. Starting the headless terminal instead; open the URL below in a browser.`,
    ),
    spawn(process.execPath, [join(root, 'out/headless/serve.cjs'), ...passArgs], { stdio: 'inherit' }));

// Forward Ctrl+C / SIGTERM once; the child runs its own coordinated shutdown.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
