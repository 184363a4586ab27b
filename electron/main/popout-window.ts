// A panel popped out into its own window: the same locked-down page as the main
// window (main-window.ts), showing one panel (?panel=<id>). It is its own renderer
// client of the engine (its ladder or chart subscribes for itself) and follows the
// workspace's link groups through the settings broadcasts. Which windows exist and
// when they close is host/popout-windows.ts; this file only makes the window.
import { BrowserWindow, screen } from 'electron';
import { APP_ORIGIN } from './app-protocol';
import { lockDown, secureWebPreferences } from './main-window';
import { placeOnScreen, popoutPath, type PopoutWindow, type PopoutWindowEvents } from '../engine/host/popout-windows';
import type { WindowBounds } from '../../shared/workspace';

/** `bounds`: where the window was when the app last quit (reopened at start); kept only while a screen shows it. */
export function createPopoutWindow(preload: string, panelId: string, events: PopoutWindowEvents, bounds?: WindowBounds): { window: BrowserWindow; handle: PopoutWindow } {
  const place = bounds ? placeOnScreen(bounds, screen.getAllDisplays().map((d) => d.workArea)) : { width: 640, height: 480 };
  const win = new BrowserWindow({
    ...place,
    minWidth: 320,
    minHeight: 240,
    title: `Foxtrot Terminal · ${panelId}`,
    backgroundColor: '#0d1117',
    show: false,
    webPreferences: secureWebPreferences(preload),
  });
  win.once('ready-to-show', () => win.show());
  win.once('closed', () => events.closed());
  win.on('move', () => events.moved());
  win.on('resize', () => events.moved());
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
      bounds: () => (win.isDestroyed() ? (bounds ?? { x: 0, y: 0, width: 640, height: 480 }) : win.getBounds()),
    },
  };
}
