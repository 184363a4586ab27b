// Packs the desktop app's files the way electron-builder does, as far as that can
// be done offline: electron-builder's own file matcher (app-builder-lib's
// getMainFileMatchers: the `files:` globs of electron-builder.yml plus its default
// exclusions, in its order) and its own directory walk select the files, and
// @electron/asar, the library electron-builder packs with, writes app.asar.
// Production dependencies are not selected by `files:`: electron-builder copies
// package.json's `dependencies` by itself; extractApp links exactly those in.
import { createPackageFromFiles, extractAll } from '@electron/asar';
import { walk } from 'builder-util';
import { load } from 'js-yaml';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher.js';
import type { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';

export const ROOT = join(__dirname, '..', '..');

export interface BuilderConfig {
  files?: string[];
  asarUnpack?: string | string[];
  extraMetadata?: { main?: string };
  directories?: { output?: string; buildResources?: string };
  electronFuses?: Record<string, boolean>;
  [key: string]: unknown;
}

export function readBuilderConfig(file = join(ROOT, 'electron-builder.yml')): BuilderConfig {
  return load(readFileSync(file, 'utf8')) as BuilderConfig;
}

// getMainFileMatchers is internal to app-builder-lib (not in its .d.ts); it needs
// only these fields of the packager.
type GetMainFileMatchers = (
  appDir: string,
  destination: string,
  macroExpander: (pattern: string) => string,
  platformSpecificBuildOptions: unknown,
  platformPackager: { info: { projectDir: string; buildResourcesDir: string; isPrepackedAppAsar: boolean; config: BuilderConfig; debugLogger: { isEnabled: boolean } } },
  outDir: string,
  isElectronCompile: boolean,
) => FileMatcher[];

/** The app's files (paths relative to the project, '/'-separated) electron-builder would put into app.asar. */
export async function selectAppFiles(config: BuilderConfig, root = ROOT): Promise<string[]> {
  const getMainFileMatchers = (fileMatcher as unknown as { getMainFileMatchers: GetMainFileMatchers }).getMainFileMatchers;
  const info = {
    projectDir: root,
    buildResourcesDir: join(root, config.directories?.buildResources ?? 'build'),
    isPrepackedAppAsar: false,
    config,
    debugLogger: { isEnabled: false },
  };
  const outDir = join(root, config.directories?.output ?? 'dist');
  const [matcher] = getMainFileMatchers(root, join(outDir, 'app'), (p) => p, config.linux ?? {}, { info }, outDir, false);
  if (!matcher) throw new Error('electron-builder produced no file matcher for `files:`');
  const files = await walk(root, matcher.createFilter());
  return files.map((f) => relative(root, f).split(sep).join('/')).sort();
}

/** Writes app.asar from the selected files; returns them. */
export async function packAppAsar(config: BuilderConfig, asarPath: string, root = ROOT): Promise<string[]> {
  const files = await selectAppFiles(config, root);
  await createPackageFromFiles(
    root,
    asarPath,
    files.map((f) => join(root, f)),
  );
  return files;
}

/**
 * Extracts app.asar into `dir` and links in package.json's production
 * dependencies by name (what electron-builder ships in app.asar/node_modules):
 * code that requires anything else fails here as it would in the package.
 */
export function extractApp(asarPath: string, dir: string, root = ROOT): void {
  extractAll(asarPath, dir);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (name.includes('/')) mkdirSync(join(dir, 'node_modules', name.split('/')[0]!), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'junction');
  }
}
