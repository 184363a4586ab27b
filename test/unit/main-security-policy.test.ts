// The Electron shell's security decisions (electron/main/security-policy.ts), bound
// by main-window.ts to setPermissionRequestHandler/CheckHandler, will-navigate,
// will-frame-navigate and setWindowOpenHandler.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../electron/main/app-origin';
import { externalUrlAllowed, ipcSenderAllowed, isAppUrl, navigationAllowed, permissionDecision } from '../../electron/main/security-policy';

/** Every permission name Electron's own types declare for setPermissionRequestHandler. */
function electronPermissionNames(): string[] {
  const dts = readFileSync(resolve(__dirname, '../../node_modules/electron/electron.d.ts'), 'utf8');
  const start = dts.indexOf('setPermissionRequestHandler(handler:');
  const end = dts.indexOf('callback:', start);
  if (start < 0 || end < 0) throw new Error('setPermissionRequestHandler signature not found in electron.d.ts');
  return [...dts.slice(start, end).matchAll(/'([a-zA-Z-]+)'/g)].map((m) => m[1]!);
}

const LOOK_ALIKES = [
  'app://foxtrot.evil.com/index.html',
  'app://foxtrot@evil/index.html',
  'app://evil@foxtrot/index.html',
  'app://foxtrot:8080/index.html',
  'app://other/index.html',
  'app:foxtrot/index.html',
  'file:///etc/passwd',
  'https://foxtrot/index.html',
  'http://127.0.0.1:5173/',
  'javascript:alert(1)',
  'about:blank',
  'not a url',
  '',
];

describe('navigationAllowed', () => {
  it('allows the app origin and its pages', () => {
    expect(navigationAllowed(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(navigationAllowed(`${APP_ORIGIN}/`)).toBe(true);
    expect(navigationAllowed(`${APP_ORIGIN}/assets/x.js?v=1#a`)).toBe(true);
  });

  it('refuses every other origin, look-alike hosts, credentials and ports', () => {
    for (const url of LOOK_ALIKES) expect(navigationAllowed(url), url).toBe(false);
    expect(navigationAllowed('https://www.binance.com/')).toBe(false);
  });
});

describe('permissionDecision', () => {
  const names = electronPermissionNames();

  it('reads the permission list from Electron’s types', () => {
    expect(names.length).toBeGreaterThan(30);
    expect(names).toEqual(expect.arrayContaining(['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read', 'usb', 'unknown']));
  });

  it('denies every permission Electron knows, to the app itself and to any other origin', () => {
    for (const p of names) {
      expect(permissionDecision(p, APP_ORIGIN), `${p} from the app origin`).toBe(false);
      expect(permissionDecision(p, `${APP_ORIGIN}/index.html`), `${p} from the app page`).toBe(false);
      expect(permissionDecision(p, 'https://evil.example'), `${p} from elsewhere`).toBe(false);
      expect(permissionDecision(p, ''), `${p} with no origin`).toBe(false);
    }
  });

  it('a permission granted to the app is granted to the app origin only', () => {
    const granted = new Set(['clipboard-sanitized-write']);
    expect(permissionDecision('clipboard-sanitized-write', APP_ORIGIN, granted)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`, granted)).toBe(true);
    expect(permissionDecision('clipboard-read', APP_ORIGIN, granted)).toBe(false);
    for (const url of LOOK_ALIKES) expect(permissionDecision('clipboard-sanitized-write', url, granted), url).toBe(false);
  });
});

describe('externalUrlAllowed', () => {
  it('opens https links to allow-listed hosts', () => {
    expect(externalUrlAllowed('https://www.binance.com/en/trade/BTC_USDT')).toBe(true);
    expect(externalUrlAllowed('https://docs.ccxt.com/#/README')).toBe(true);
    expect(externalUrlAllowed('https://WWW.BINANCE.COM/')).toBe(true);
  });

  it('refuses any other https site, which is what a bare https:// check allowed', () => {
    expect(externalUrlAllowed('https://evil.example/phish')).toBe(false);
    expect(externalUrlAllowed('https://www.binance.com.evil.example/')).toBe(false);
    expect(externalUrlAllowed('https://evilbinance.com/')).toBe(false);
  });

  it('refuses other schemes, credentials, explicit ports and sub-domains not listed', () => {
    for (const url of [
      'http://www.binance.com/',
      'file:///etc/passwd',
      'smb://www.binance.com/share',
      'javascript:alert(1)',
      'https://user:pw@www.binance.com/',
      'https://www.binance.com@evil.example/',
      'https://www.binance.com:8443/',
      'https://www.binance.com./',
      'https://api.binance.com/',
      `${APP_ORIGIN}/index.html`,
      'not a url',
    ])
      expect(externalUrlAllowed(url), url).toBe(false);
  });

  it('uses the allow-list it is given', () => {
    const hosts = new Set(['example.org']);
    expect(externalUrlAllowed('https://example.org/a', hosts)).toBe(true);
    expect(externalUrlAllowed('https://www.binance.com/', hosts)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('accepts the origin as Chromium reports it and any page under it', () => {
    expect(isAppUrl(APP_ORIGIN)).toBe(true);
    expect(isAppUrl('app://FOXTROT/index.html')).toBe(true);
  });
});

describe('ipcSenderAllowed', () => {
  it('takes messages from the app page and its sub-pages only', () => {
    expect(ipcSenderAllowed(`${APP_ORIGIN}/index.html?panel=chart-2`)).toBe(true);
    expect(ipcSenderAllowed(`${APP_ORIGIN}/`)).toBe(true);
  });

  it('refuses a destroyed frame, other origins, look-alike hosts, credentials and ports', () => {
    expect(ipcSenderAllowed(undefined)).toBe(false);
    expect(ipcSenderAllowed('https://evil.example/')).toBe(false);
    expect(ipcSenderAllowed('app://foxtrot.evil/index.html')).toBe(false);
    expect(ipcSenderAllowed('app://user:pw@foxtrot/index.html')).toBe(false);
    expect(ipcSenderAllowed('app://foxtrot:8080/index.html')).toBe(false);
    expect(ipcSenderAllowed('not a url')).toBe(false);
  });
});
