// Who may use the simulator's control endpoint (/__sim). It is meant for curl and
// for the process that started the simulator, never for a web page: a page can
// POST text/plain to any localhost port without a CORS preflight, so the fault
// endpoint must not trust "it came from this machine". Rules, in order:
//   1. any Origin header is refused (curl and Node's fetch from the engine send none;
//      browsers always send one on a cross-origin POST and on DNS-rebinding requests);
//   2. a POST must be Content-Type application/json (text/plain, form posts are the
//      preflight-free "simple requests" a page can make);
//   3. a POST must carry the per-run token: `Authorization: Bearer <token>`.
// GET /view (read-only) needs no token, so tools can watch a run they did not start.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export type ControlVerdict = { ok: true } | { ok: false; status: 401 | 403 | 415; error: string };

/** A fresh per-run token: 192 random bits, URL-safe. */
export function newControlToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The media type of a Content-Type header without parameters, lower case ('application/json'). */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Decides whether a control request may proceed; `headers` are Node's lower-cased request headers. */
export function checkControlRequest(method: string, headers: Readonly<Record<string, string | string[] | undefined>>, token: string): ControlVerdict {
  if (headers.origin !== undefined) return { ok: false, status: 403, error: 'control requests from a web page (any Origin header) are refused' };
  if (method !== 'POST') return { ok: true };
  const type = headers['content-type'];
  if (mediaType(typeof type === 'string' ? type : undefined) !== 'application/json') {
    return { ok: false, status: 415, error: 'Content-Type must be application/json' };
  }
  const auth = headers.authorization;
  const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (!m) return { ok: false, status: 401, error: 'missing control token: send "Authorization: Bearer <token>" (printed by whoever started the simulator)' };
  if (!sameToken(m[1]!, token)) return { ok: false, status: 401, error: 'wrong control token' };
  return { ok: true };
}
