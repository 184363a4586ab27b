// Turns a record's message and fields into the one line the log file gets:
// credentials redacted, control characters escaped (a renderer cannot start a
// forged line with "\n[2026-...] [error]"), and the length capped with a marker
// saying how much was cut (one 5 MB record must not make a 5 MB log).

import { isSecretName } from '../../../shared/redact';

export { isSecretName };

/** Characters per line at most (before the timestamp/level/scope prefix). */
export const MAX_RECORD_CHARS = 8 * 1024;
/** A scope names a source (engine, streaming:ws, renderer:c1): short and plain. */
export const MAX_SCOPE_CHARS = 64;

// scheme://user:pass@host → scheme://***@host (any userinfo, with or without a password).
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
// ?name=value / &name=value / ;name=value in URLs and query strings.
const QUERY_PARAM = /([?&;]([^=&#\s"'<>?;]+)=)([^&#\s"'<>;]*)/g;
// Control characters: C0, DEL, C1, and the Unicode line/paragraph separators some viewers break on.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const REDACTED = '***';

/** Removes credentials from URLs in `text`: userinfo, and query values of secret-looking names. */
export function redactSecrets(text: string): string {
  if (text.indexOf('://') < 0 && text.indexOf('=') < 0) return text;
  return text
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(QUERY_PARAM, (whole, prefix: string, name: string) => (isSecretName(name) ? `${prefix}${REDACTED}` : whole));
}

/**
 * Escapes control characters and caps the result at `maxChars`; a cut line ends
 * with "… [N more chars cut]", N counted in the input.
 */
export function escapeAndCap(text: string, maxChars = MAX_RECORD_CHARS): string {
  const { line, cut } = escapeUpTo(text, maxChars);
  return cut > 0 ? cutMarker(line, cut) : line;
}

function cutMarker(line: string, cut: number): string {
  return `${line}… [${cut} more chars cut]`;
}

/** The escaped prefix of `text` that fits in `maxChars`, and how many input characters did not fit. */
function escapeUpTo(text: string, maxChars: number): { line: string; cut: number } {
  if (text.length <= maxChars && !CONTROL.test(text)) return { line: text, cut: 0 };
  let out = '';
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let piece: string;
    if (c === 10) piece = '\\n';
    else if (c === 13) piece = '\\r';
    else if (c === 9) piece = '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) piece = `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) piece = text.slice(i, i + 2); // keep surrogate pairs whole
    else piece = text[i]!;
    if (out.length + piece.length > maxChars) break;
    out += piece;
    if (piece.length === 2 && c >= 0xd800 && c <= 0xdbff) i++;
  }
  return { line: out, cut: text.length - i };
}

/** JSON of `fields` with secret-named keys blanked; never throws. */
export function fieldsJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (key, value: unknown) => (key !== '' && isSecretName(key) && isSecretValue(value) ? REDACTED : value)) ?? '';
  } catch {
    return '[unserializable fields]';
  }
}

// Only plain values under a secret-looking name are blanked: `{ tokenCount: 3 }` stays.
function isSecretValue(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** The line for a record: "message {fields}", redacted, escaped, capped. */
export function formatRecord(message: string, fields?: Record<string, unknown>, maxChars = MAX_RECORD_CHARS): string {
  const json = fields && Object.keys(fields).length > 0 ? fieldsJson(fields) : '';
  const full = message.length + (json ? json.length + 1 : 0);
  // Redact and escape only what can reach the line, plus a margin so a secret at the cut is still recognised.
  const budget = maxChars * 2 + 1024;
  let text = message.length > budget ? message.slice(0, budget) : message;
  if (json && text.length < budget) text += ` ${json.slice(0, budget - text.length)}`;
  const { line, cut } = escapeUpTo(redactSecrets(text), maxChars);
  const notShown = cut + (full - text.length);
  return notShown > 0 ? cutMarker(line, notShown) : line;
}

/** A scope as written: escaped and short. */
export function formatScope(scope: string): string {
  return escapeAndCap(scope, MAX_SCOPE_CHARS);
}
