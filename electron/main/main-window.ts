// The terminal's window, locked down per Electron's security checklist: context
// isolation, sandbox, no Node integration, no navigation away from app://foxtrot,
// no new windows, no webviews, no web permissions. The decisions themselves live in
// security-policy.ts (plain code, unit-tested); this file only binds them, to the
// main window and to pop-out windows alike (popout-window.ts).
import { BrowserWindow, shell, type Session, type WebPreferences } from 'electron';
import { APP_ORIGIN } from './app-protocol';
import { externalUrlAllowed, navigationAllowed, permissionDecision } from './security-policy';
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
    webPreferences: secureWebPreferences(preload),
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  lockDown(win);
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Every window of the app (main and pop-outs) runs its page with these. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    spellcheck: false,
    // Ticks must keep painting when the window is behind others.
    backgroundThrottling: false,
  };
}

/** Binds the security policy to a window of the app: permissions, navigation, webviews, new windows. */
export function lockDown(win: BrowserWindow): void {
  const contents = win.webContents;
  applyPermissionPolicy(contents.session);
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  // Sub-frames too (will-navigate sees only the main frame).
  contents.on('will-frame-navigate', (event) => {
    if (!navigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Allow-listed links open in the system browser, never inside the app.
    if (externalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Every permission request and check on the window's session (the app's default session) goes through the policy. */
function applyPermissionPolicy(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionDecision(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin));
}

/** The window's bounds in settings' shape, for saving. */
export function windowState(win: BrowserWindow): Settings['window'] {
  const b = win.getNormalBounds();
  return { width: b.width, height: b.height, x: b.x, y: b.y, maximized: win.isMaximized() };
}
