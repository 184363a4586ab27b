// Who may use the headless host, decided per request as plain code (the server
// only carries the decision out). Every request, static files included:
// - must be addressed to a known Host name (the bound address, localhost names, names
//   the user allowed): a DNS-rebinding page reaches us under its own name and is refused;
// - must carry the run's token: the printed URL's ?token= once, which is swapped for
//   an HttpOnly SameSite=Strict cookie and redirected away so it leaves the address
//   bar (and the history), then the cookie. Non-browser clients may keep using ?token=.
// The API socket must also come from this origin when a browser says where it
// comes from (browsers always send Origin on WebSocket upgrades).
// Malformed requests get a 400, never an exception.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { decodeUrlPath } from '../engine/host/bundle-path';

export interface GuardedRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
}

export type GuardDecision =
  | { kind: 'refuse'; status: 400 | 401 | 403 | 404 | 405; reason: string }
  /**
   * `page`: answer with a page that navigates itself (a cross-site link opened the
   * URL: a browser withholds a SameSite=Strict cookie along a cross-site redirect,
   * but sends it on the page's own same-origin navigation). `http`: a plain 302.
   */
  | { kind: 'redirect'; location: string; setCookie: string; via: 'http' | 'page' }
  | { kind: 'serve'; path: string }
  | { kind: 'upgrade' };

export interface RequestGuardOptions {
  token: string;
  port: number;
  /** Host header names accepted, lower case, IPv6 in brackets, no port. */
  hostNames: Iterable<string>;
}

export const API_PATH = '/api';

export class RequestGuard {
  /** Cookies are shared by every port of a host: the name keeps two terminals apart. */
  readonly cookieName: string;
  private readonly token: Buffer;
  private readonly hostNames: ReadonlySet<string>;

  constructor(options: RequestGuardOptions) {
    this.token = Buffer.from(options.token);
    this.hostNames = new Set(options.hostNames);
    this.cookieName = `foxtrot-${options.port}`;
  }

  /** A plain HTTP request: serve a file, redirect to drop the token, or refuse. */
  checkRequest(req: GuardedRequest): GuardDecision {
    const target = this.parseTarget(req);
    if ('kind' in target) return target;
    const { url, host } = target;
    if (req.method !== 'GET' && req.method !== 'HEAD') return { kind: 'refuse', status: 405, reason: 'only GET and HEAD' };
    const path = decodeUrlPath(url.pathname);
    if (path === undefined) return { kind: 'refuse', status: 400, reason: 'malformed path' };
    if (this.tokenMatches(url.searchParams.get('token'))) {
      url.searchParams.delete('token');
      // One leading slash: "//evil.example" would be a redirect to another site.
      const location = url.pathname.replace(/^\/+/, '/') + url.search;
      const crossSite = req.headers['sec-fetch-site'] === 'cross-site' || req.headers['sec-fetch-site'] === 'same-site';
      return {
        kind: 'redirect',
        location,
        setCookie: `${this.cookieName}=${this.token.toString()}; HttpOnly; SameSite=Strict; Path=/`,
        via: crossSite ? 'page' : 'http',
      };
    }
    if (!this.cookieMatches(req.headers.cookie)) return { kind: 'refuse', status: 401, reason: `open the URL the host printed (it carries the token), via ${host}` };
    return { kind: 'serve', path };
  }

  /** A WebSocket upgrade: only the API, only with the token, only from this origin. */
  checkUpgrade(req: GuardedRequest): GuardDecision {
    const target = this.parseTarget(req);
    if ('kind' in target) return target;
    const { url, host } = target;
    if (url.pathname !== API_PATH) return { kind: 'refuse', status: 404, reason: 'no such socket' };
    if (!this.tokenMatches(url.searchParams.get('token')) && !this.cookieMatches(req.headers.cookie))
      return { kind: 'refuse', status: 403, reason: 'no valid token' };
    const origin = req.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}` && origin.toLowerCase() !== `https://${host}`)
      return { kind: 'refuse', status: 403, reason: 'foreign origin' };
    return { kind: 'upgrade' };
  }

  /** The request target and a known Host, or why not. */
  private parseTarget(req: GuardedRequest): { url: URL; host: string } | GuardDecision {
    const raw = req.url;
    // Origin-form only ("/path?query"); absolute-form and "*" are for proxies.
    if (typeof raw !== 'string' || !raw.startsWith('/')) return { kind: 'refuse', status: 400, reason: 'malformed request target' };
    let url: URL;
    try {
      url = new URL(`http://target${raw}`);
    } catch {
      return { kind: 'refuse', status: 400, reason: 'malformed request target' };
    }
    const host = req.headers.host?.toLowerCase();
    if (host === undefined || host === '') return { kind: 'refuse', status: 400, reason: 'no Host header' };
    if (!this.knownHost(host)) return { kind: 'refuse', status: 403, reason: 'unknown Host (start with --allow-host NAME to use this name)' };
    return { url, host };
  }

  /**
   * "name" or "name:port" with a listed name. Any port: behind an SSH tunnel or a
   * proxy the browser's port is not ours, and a rebinding page differs by name.
   */
  private knownHost(host: string): boolean {
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host);
    return m !== null && this.hostNames.has(m[1]!);
  }

  private tokenMatches(given: string | null | undefined): boolean {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === this.token.length && timingSafeEqual(b, this.token);
  }

  private cookieMatches(header: string | undefined): boolean {
    if (!header) return false;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName && this.tokenMatches(part.slice(eq + 1).trim())) return true;
    }
    return false;
  }
}
