// Where the app keeps its data: the same folder Electron's app.getPath('userData')
// returns, so the desktop app and the headless host share one settings file.
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

export interface DataDirEnvironment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/**
 * Linux: $XDG_CONFIG_HOME (or ~/.config)/<name>; macOS: ~/Library/Application
 * Support/<name>; Windows: %APPDATA%/<name> (Electron's appData + product name).
 */
export function defaultDataDir(
  productName = 'Foxtrot Terminal',
  environment: DataDirEnvironment = { platform: process.platform, env: process.env, home: homedir() },
): string {
  const { platform, env, home } = environment;
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), productName);
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', productName);
  // Chromium's GetXDGDirectory: a non-empty XDG_CONFIG_HOME wins, else ~/.config.
  return posix.join(env.XDG_CONFIG_HOME || posix.join(home, '.config'), productName);
}

export function settingsFilePath(dataDir: string): string {
  return join(dataDir, 'settings.json');
}
