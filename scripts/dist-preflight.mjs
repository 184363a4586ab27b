// `npm run dist` preflight. electron-builder downloads Electron for the target
// platform (and, for AppImage/deb/dmg/nsis, its packaging tools) from GitHub or
// the mirrors set in the environment. Offline, it used to fail late, after the
// build and after rebuilding native modules in node_modules, with a bare
// `getaddrinfo ENOTFOUND github.com`: check both downloads are reachable first
// and say plainly what is missing.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const TIMEOUT_MS = 8000;

const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const target = `${process.platform}-${process.arch}`;
// The environment variables @electron/get and electron-builder read, with their defaults.
const electronMirror = process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/';
const electronDir = process.env.ELECTRON_CUSTOM_DIR || `v${version}`;
const downloads = [
  { what: `Electron ${version} (${target})`, url: `${electronMirror}${electronDir}/electron-v${version}-${target}.zip`, env: 'ELECTRON_MIRROR' },
  {
    what: "electron-builder's packaging tools",
    url: process.env.ELECTRON_BUILDER_BINARIES_MIRROR || 'https://github.com/electron-userland/electron-builder-binaries/releases/download/',
    env: 'ELECTRON_BUILDER_BINARIES_MIRROR',
  },
];

/** Any HTTP answer means the network is there (a mirror may redirect or 404 a HEAD); only no answer is a failure. */
async function unreachable(url) {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    return undefined;
  } catch (e) {
    const cause = e?.cause;
    return cause?.code ? `${cause.code}${cause.hostname ? ` ${cause.hostname}` : ''}` : e?.name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : String(e?.message ?? e);
  }
}

const failures = [];
for (const d of downloads) {
  const why = await unreachable(d.url);
  if (why) failures.push({ ...d, why });
}

if (failures.length > 0) {
  const lines = [
    'npm run dist: cannot package on this machine: electron-builder needs network access to download',
    ...failures.map((f) => `  - ${f.what}: ${f.url} is unreachable (${f.why}); set ${f.env} to a reachable mirror`),
    'Run it on a networked machine (nothing was built or changed). If both are already in',
    "electron-builder's cache, run `npx electron-builder --config electron-builder.yml` directly.",
    'What can be checked offline: npx vitest run test/integration/packaging.test.ts',
  ];
  console.error(lines.join('\n'));
  process.exit(1);
}
console.log(`dist preflight: Electron ${version} (${target}) and electron-builder's tools are reachable`);
