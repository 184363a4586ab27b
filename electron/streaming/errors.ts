// Maps whatever a ccxt call throws to the shared ErrorClass, and a lost
// connection to the reason shown in the connection timeline. Order matters:
// ccxt's classes form a hierarchy (RequestTimeout is a NetworkError, BadSymbol
// is an ExchangeError), so the most specific checks come first.
import { ccxt } from './exchange-loader';
import type { DisconnectReason, ErrorClass } from '../../shared/market';

const { BadSymbol, RateLimitExceeded, DDoSProtection, RequestTimeout, ChecksumError, BadResponse, NullResponse, NetworkError } = ccxt;

export function classifyError(e: unknown): ErrorClass {
  if (e instanceof BadSymbol) return 'bad-symbol';
  if (e instanceof RateLimitExceeded || e instanceof DDoSProtection) return 'rate-limit';
  if (e instanceof RequestTimeout) return 'timeout';
  if (e instanceof ChecksumError || e instanceof BadResponse || e instanceof NullResponse || e instanceof SyntaxError) return 'malformed';
  if (e instanceof NetworkError) return 'network';
  if (e instanceof ccxt.BaseError) return 'exchange';
  // Plain socket errors (ECONNREFUSED, ECONNRESET) surface as Error with a code.
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') return 'network';
  return 'exchange';
}

/** True for errors after which the next watch call may succeed by reconnecting. */
export function isConnectionError(e: unknown): boolean {
  return e instanceof NetworkError;
}

export interface DisconnectCause {
  reason: DisconnectReason;
  code?: number;
  message: string;
}

/** Reads why a socket went away from the error ccxt rejected the pending watches with. */
export function disconnectCause(e: unknown): DisconnectCause {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RequestTimeout && /keepalive/i.test(message)) return { reason: 'keepalive', message };
  const close = /clos\w* code (\d+)/i.exec(message);
  if (close) return { reason: 'close', code: Number(close[1]), message };
  if (/unexpected server response|ECONNREFUSED|connection timeout|ECONNRESET|EHOSTUNREACH/i.test(message)) return { reason: 'refused', message };
  return { reason: 'error', message };
}
