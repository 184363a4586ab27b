// A panel popped out into its own window: the same locked-down page as the main
// window (main-window.ts), showing one panel (?panel=<id>). It is its own renderer
// client of the engine (its ladder or chart subscribes for itself) and follows the
// workspace's link groups through the settings broadcasts. Which windows exist and
// when they close is host/popout-windows.ts; this file only makes the window.
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './app-protocol';
import { lockDown, secureWebPreferences } from './main-window';
import { popoutPath, type PopoutWindow } from '../engine/host/popout-windows';

export function createPopoutWindow(preload: string, panelId: string, closed: () => void): { window: BrowserWindow; handle: PopoutWindow } {
  const win = new BrowserWindow({
    width: 640,
    height: 480,
    minWidth: 320,
    minHeight: 240,
    title: `Foxtrot Terminal · ${panelId}`,
    backgroundColor: '#0d1117',
    show: false,
    webPreferences: secureWebPreferences(preload),
  });
  win.once('ready-to-show', () => win.show());
  win.once('closed', closed);
  lockDown(win);
  void win.loadURL(`${APP_ORIGIN}${popoutPath(panelId)}`);
  return {
    window: win,
    handle: {
      focus: () => {
        if (!win.isDestroyed()) win.focus();
      },
      close: () => {
        if (!win.isDestroyed()) win.close();
      },
    },
  };
}
