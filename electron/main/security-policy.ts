// What the Electron shell lets a page do, as plain decisions over URLs and
// permission names: main-window.ts binds them to Electron's session and
// webContents events, and they are unit-tested under Node. Everything not
// explicitly allowed is refused.
import { APP_HOST, APP_SCHEME } from './app-origin';

/**
 * Sites a link in the terminal may open in the system browser (https only, exact
 * host): the exchange the default settings stream from, its testnet, and ccxt's
 * documentation. Any other URL a page asks to open is dropped.
 */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set(['www.binance.com', 'testnet.binance.vision', 'docs.ccxt.com']);

/**
 * Web permissions the terminal's own page may use. It needs none (no camera,
 * notifications, clipboard, devices...), so every request and check is denied.
 */
export const APP_PERMISSIONS: ReadonlySet<string> = new Set();

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** app://foxtrot itself or a page under it; no credentials, no port, no look-alike host. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== undefined && u.protocol === `${APP_SCHEME}:` && u.host.toLowerCase() === APP_HOST && u.username === '' && u.password === '';
}

/**
 * Whether an IPC message comes from the app's own page: the sending frame's URL
 * (undefined once the frame is gone) must pass the same check as navigation.
 */
export function ipcSenderAllowed(frameUrl: string | undefined): boolean {
  return frameUrl !== undefined && isAppUrl(frameUrl);
}

/** The window only ever shows the app's own pages (will-navigate, will-frame-navigate). */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Whether a permission request or check from `origin` (an origin or the requesting
 * frame's URL) is granted: only the app's own page, and only what it needs.
 */
export function permissionDecision(permission: string, origin: string, granted: ReadonlySet<string> = APP_PERMISSIONS): boolean {
  return granted.has(permission) && isAppUrl(origin);
}

/** Whether a URL a page asks to open (window.open, target=_blank) may go to the system browser. */
export function externalUrlAllowed(url: string, hosts: ReadonlySet<string> = EXTERNAL_LINK_HOSTS): boolean {
  const u = parse(url);
  return u !== undefined && u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && hosts.has(u.hostname);
}
