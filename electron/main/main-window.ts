// The terminal's window, locked down per Electron's security checklist: context
// isolation, sandbox, no Node integration, no navigation, no new windows, no webviews.
import { BrowserWindow, shell } from 'electron';
import { APP_ORIGIN } from './app-protocol';
import type { Settings } from '../../shared/settings';

export function createMainWindow(preload: string, state: Settings['window']): BrowserWindow {
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 640,
    minHeight: 400,
    title: 'Foxtrot Terminal',
    backgroundColor: '#0d1117',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
      // Ticks must keep painting when the window is behind others.
      backgroundThrottling: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links a trader clicks open in the system browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** The window's bounds in settings' shape, for saving. */
export function windowState(win: BrowserWindow): Settings['window'] {
  const b = win.getNormalBounds();
  return { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() };
}
