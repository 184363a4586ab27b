// Credentials in custom exchange URLs (`wss://user:secret@host/...`, `?apiKey=...`)
// must not reach renderers: a renderer is a web page, and the headless one is served
// to a browser. What renderers receive is redacted here; the saved file keeps the
// real values. Pure string work, so the URL otherwise reads exactly as written.
import type { Settings } from './settings';

export const REDACTED = '***';

// Names whose values are secrets (apiKey, x-api-key, access_token, secret, password,
// passphrase, signature, ...), matched as whole words of the name so that `signal`,
// `author` or `monkey` are not taken for `sig`, `auth` or `key`.
const SECRET_WORD = /(?:^|[^a-z])(?:(?:api)?key|secret|token|pass(?:word|wd|phrase)?|pwd|sig|signature|auth|authorization|credentials?)(?:$|[^a-z])/i;

/** True when a parameter or field name names a secret (used for URLs here and for log fields). */
export function isSecretName(name: string): boolean {
  // camelCase words get a separator: apiKey → api_Key.
  return SECRET_WORD.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/** The URL with its userinfo and the values of credential-like parameters replaced by ***. */
export function redactUrlCredentials(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_, scheme: string, userinfo: string) =>
    `${scheme}${userinfo.includes(':') ? `${REDACTED}:${REDACTED}` : REDACTED}@`,
  );
  out = out.replace(/([?#&;])([^=&#;]*)=([^&#;]*)/g, (whole, sep: string, key: string, value: string) =>
    value !== '' && isSecretName(decodeKey(key)) ? `${sep}${key}=${REDACTED}` : whole,
  );
  return out;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/**
 * Settings as renderers may see them: exchange URLs and Futu OpenD keys redacted.
 * Returns the same object when there is nothing to redact (the usual case), so it
 * costs nothing then.
 */
export function redactSettings(settings: Settings): Settings {
  let changed = false;
  const exchanges = settings.exchanges.map((e) => {
    const rest = e.urls.rest === undefined ? undefined : redactUrlCredentials(e.urls.rest);
    const ws = e.urls.ws === undefined ? undefined : redactUrlCredentials(e.urls.ws);
    const futuKey = e.futu?.key ? '***' : e.futu?.key;
    if (rest === e.urls.rest && ws === e.urls.ws && futuKey === e.futu?.key) return e;
    changed = true;
    const urls = { ...(rest !== undefined ? { rest } : {}), ...(ws !== undefined ? { ws } : {}) };
    return e.futu ? { ...e, urls, futu: { ...e.futu, key: futuKey ?? '' } } : { ...e, urls };
  });
  return changed ? { ...settings, exchanges } : settings;
}
