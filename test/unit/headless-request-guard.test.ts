import { describe, expect, it } from 'vitest';
import { bundleFile, decodeUrlPath } from '../../electron/engine/host/bundle-path';
import { RequestGuard, type GuardedRequest } from '../../electron/headless/request-guard';
import { acceptedHostNames, reachableHosts, type Interfaces } from '../../electron/headless/listen-addresses';

const TOKEN = 'tok3n-tok3n-tok3n-tok3n-';
const guard = new RequestGuard({ token: TOKEN, port: 4000, hostNames: ['localhost', '127.0.0.1', '[::1]', 'box.lan'] });
const COOKIE = `foxtrot-4000=${TOKEN}`;

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): GuardedRequest {
  return { method, url, headers: { host: '127.0.0.1:4000', ...headers } };
}

describe('RequestGuard: plain requests', () => {
  it('swaps the URL token for an HttpOnly SameSite=Strict cookie and redirects it out of the address bar, keeping other parameters', () => {
    expect(guard.checkRequest(get(`/?token=${TOKEN}&perf=1`))).toEqual({
      kind: 'redirect',
      location: '/?perf=1',
      setCookie: `foxtrot-4000=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`,
      via: 'http',
    });
    expect(guard.checkRequest(get(`/?token=${TOKEN}`))).toMatchObject({ location: '/' });
    // Opened from a link on another site: the cookie would be withheld along a cross-site 302, so the page navigates itself.
    expect(guard.checkRequest(get(`/?token=${TOKEN}`, { 'sec-fetch-site': 'cross-site' }))).toMatchObject({ location: '/', via: 'page' });
    expect(guard.checkRequest(get(`/?token=${TOKEN}`, { 'sec-fetch-site': 'none' }))).toMatchObject({ via: 'http' });
  });

  it('serves a file only with the cookie, static files included', () => {
    expect(guard.checkRequest(get('/assets/index.js'))).toMatchObject({ kind: 'refuse', status: 401 });
    expect(guard.checkRequest(get('/', { cookie: `foxtrot-4000=${TOKEN.slice(1)}x` }))).toMatchObject({ kind: 'refuse', status: 401 });
    expect(guard.checkRequest(get('/', { cookie: `foxtrot-3999=${TOKEN}` }))).toMatchObject({ kind: 'refuse', status: 401 }); // another port's terminal
    expect(guard.checkRequest(get('/assets/index%20a.js', { cookie: `theme=dark; ${COOKIE}` }))).toEqual({ kind: 'serve', path: '/assets/index a.js' });
    expect(guard.checkRequest(get('/?token=wrong', { cookie: COOKIE }))).toEqual({ kind: 'serve', path: '/' });
  });

  it('answers malformed requests with 400 instead of throwing', () => {
    expect(guard.checkRequest(get('/%ff', { cookie: COOKIE }))).toMatchObject({ kind: 'refuse', status: 400 });
    expect(guard.checkRequest(get('/%E0%A4%A', { cookie: COOKIE }))).toMatchObject({ kind: 'refuse', status: 400 });
    expect(guard.checkRequest(get('/a%00b', { cookie: COOKIE }))).toMatchObject({ kind: 'refuse', status: 400 });
    expect(guard.checkRequest(get('http://127.0.0.1:4000/', { cookie: COOKIE }))).toMatchObject({ kind: 'refuse', status: 400 });
    expect(guard.checkRequest(get('*'))).toMatchObject({ kind: 'refuse', status: 400 });
    expect(guard.checkRequest({ method: 'GET', url: '/', headers: {} })).toMatchObject({ kind: 'refuse', status: 400 });
    expect(guard.checkRequest(get('/', { cookie: COOKIE }, 'POST'))).toMatchObject({ kind: 'refuse', status: 405 });
  });

  it('never redirects to another site', () => {
    expect(guard.checkRequest(get(`//evil.example/?token=${TOKEN}`))).toMatchObject({ kind: 'redirect', location: '/evil.example/' });
  });

  it('refuses a Host name it does not know (DNS rebinding); accepts listed names on any port (SSH tunnel) or none (TLS proxy)', () => {
    for (const host of ['evil.example:4000', 'evil.example', 'localhost.evil.example', '127.0.0.1:4000:1', '[::1', '127.0.0.1:port', ''])
      expect(guard.checkRequest(get(`/?token=${TOKEN}`, { host })), host).toMatchObject({ kind: 'refuse' });
    for (const host of ['LOCALHOST:4000', '[::1]:4000', 'box.lan', 'box.lan:4000', '127.0.0.1:8080'])
      expect(guard.checkRequest(get('/', { host, cookie: COOKIE })), host).toEqual({ kind: 'serve', path: '/' });
  });
});

describe('RequestGuard: the API socket', () => {
  const api = (url: string, headers: Record<string, string> = {}): GuardedRequest => get(url, headers);

  it('needs the token (query or cookie) and, from a browser, this origin', () => {
    expect(guard.checkUpgrade(api(`/api?token=${TOKEN}`))).toEqual({ kind: 'upgrade' });
    expect(guard.checkUpgrade(api('/api?token=', { cookie: COOKIE, origin: 'http://127.0.0.1:4000' }))).toEqual({ kind: 'upgrade' });
    expect(guard.checkUpgrade(api('/api', { host: 'box.lan', cookie: COOKIE, origin: 'https://box.lan' }))).toEqual({ kind: 'upgrade' });
    expect(guard.checkUpgrade(api('/api'))).toMatchObject({ kind: 'refuse', status: 403 });
    expect(guard.checkUpgrade(api(`/api?token=${TOKEN}`, { origin: 'http://evil.example' }))).toMatchObject({ kind: 'refuse', status: 403 });
    expect(guard.checkUpgrade(api(`/api?token=${TOKEN}`, { origin: 'http://localhost:4000' }))).toMatchObject({ kind: 'refuse', status: 403 });
    expect(guard.checkUpgrade(api(`/api?token=${TOKEN}`, { host: 'evil.example:4000', origin: 'http://evil.example:4000' }))).toMatchObject({
      kind: 'refuse',
      status: 403,
    });
    expect(guard.checkUpgrade(api(`/other?token=${TOKEN}`))).toMatchObject({ kind: 'refuse', status: 404 });
    expect(guard.checkUpgrade(api('%ff'))).toMatchObject({ kind: 'refuse', status: 400 });
  });
});

describe('listen addresses', () => {
  const interfaces: Interfaces = {
    lo: [
      { address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: '127.0.0.1/8' },
      { address: '::1', family: 'IPv6', internal: true, netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', mac: '00:00:00:00:00:00', cidr: '::1/128', scopeid: 0 },
    ],
    eth0: [
      { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: '192.168.1.20/24' },
      { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:00:00:00:00:01', cidr: 'fe80::1/64', scopeid: 2 },
      { address: '2001:db8::20', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:00:00:00:00:01', cidr: '2001:db8::20/64', scopeid: 0 },
    ],
  };

  it('prints loopback first, then every external address, for a wildcard bind (never 0.0.0.0)', () => {
    expect(reachableHosts('0.0.0.0', interfaces)).toEqual(['127.0.0.1', '192.168.1.20']);
    expect(reachableHosts('::', interfaces)).toEqual(['127.0.0.1', '192.168.1.20', '[2001:db8::20]']);
    expect(reachableHosts('127.0.0.1', interfaces)).toEqual(['127.0.0.1']);
    expect(reachableHosts('::1', interfaces)).toEqual(['[::1]']);
  });

  it('accepts loopback names, the bound address (or every interface address for a wildcard) and the names the user allowed', () => {
    expect(acceptedHostNames('127.0.0.1', interfaces)).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(acceptedHostNames('192.168.1.20', interfaces, ['Box.LAN'])).toEqual(['localhost', '127.0.0.1', '[::1]', '192.168.1.20', 'box.lan']);
    expect(acceptedHostNames('0.0.0.0', interfaces)).toEqual(['localhost', '127.0.0.1', '[::1]', '192.168.1.20', '[fe80::1]', '[2001:db8::20]']);
  });
});

describe('bundle paths (both hosts)', () => {
  it('decodes, refuses malformed escapes and NUL, and never leaves the bundle', () => {
    expect(decodeUrlPath('/assets/a%20b.js')).toBe('/assets/a b.js');
    expect(decodeUrlPath('/%ff')).toBeUndefined();
    expect(decodeUrlPath('/a%00')).toBeUndefined();
    expect(bundleFile('/srv/r', '/')).toBe('/srv/r/index.html');
    expect(bundleFile('/srv/r', '/assets/x.js')).toBe('/srv/r/assets/x.js');
    expect(bundleFile('/srv/r', '/../../etc/passwd')).toBe('/srv/r/etc/passwd'); // normalized inside the root
    expect(bundleFile('/srv/r', '..\\..')).toBe('/srv/r/..\\..');
    expect(bundleFile('/srv/r', '../r2/x')).toBeUndefined();
  });
});
