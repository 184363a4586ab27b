// Where the desktop app finds its parts, relative to the app root: the project
// directory in development, resources/app.asar when packaged (electron-builder's
// `files:` keep out/ and package.json at the archive's root). Plain code so the
// packaging test can check every path against a real asar's layout.
import { join, resolve } from 'node:path';

export interface AppPaths {
  /** The preload script of every window (sandboxed: one bundled file). */
  readonly preload: string;
  /** The streaming process's entry, forked with utilityProcess. */
  readonly streamingEntry: string;
  /** The renderer bundle that app://foxtrot serves. */
  readonly rendererDir: string;
  /** The page app://foxtrot/ loads. */
  readonly rendererIndex: string;
}

export function appPaths(appRoot: string): AppPaths {
  const out = join(appRoot, 'out');
  const rendererDir = join(out, 'renderer');
  return {
    preload: join(out, 'electron', 'preload.cjs'),
    streamingEntry: join(out, 'streaming', 'streaming.cjs'),
    rendererDir,
    rendererIndex: join(rendererDir, 'index.html'),
  };
}

/** main.cjs is bundled to <app root>/out/electron/: the app root from its __dirname. */
export function appRootOfMain(mainDir: string): string {
  return resolve(mainDir, '..', '..');
}
