// The page's Content-Security-Policy, in one place: both hosts send it as a header
// (app:// in Electron, HTTP in the headless host) and renderer/index.html carries it
// as a meta tag for the dev server; a unit test checks the tag equals CSP_META.
// Scripts and styles come from our own origin only, no inline code; the only network
// access is the host's WebSocket ('self' covers same-origin ws: in CSP 3).
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
] as const;

/** The policy as a meta tag may carry it (browsers ignore frame-ancestors there). */
export const CSP_META = DIRECTIVES.join('; ');

/** The policy as the hosts send it in the Content-Security-Policy header. */
export const CSP_HEADER = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
