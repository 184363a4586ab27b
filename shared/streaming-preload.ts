// The streaming process's arguments from its host: --preload, the ccxt classes of
// the enabled exchanges, so an early-started process loads them before it is
// configured; --market-cache, where it keeps each exchange's markets between starts.
import type { ExchangeSettings } from './settings';

export const PRELOAD_FLAG = '--preload=';

/** The exchange fields the --preload argument is made of. */
export type PreloadSource = { readonly exchanges: readonly Pick<ExchangeSettings, 'enabled' | 'ccxtId'>[] };

export function preloadArgs(settings: PreloadSource): string[] {
  const ids = [...new Set(settings.exchanges.flatMap((e) => (e.enabled && e.ccxtId !== undefined ? [e.ccxtId] : [])))];
  return ids.length ? [`${PRELOAD_FLAG}${ids.join(',')}`] : [];
}

/** The ids in a --preload argument (ccxt ids only: anything else is ignored). */
export function parsePreload(argv: readonly string[]): string[] {
  const arg = argv.find((a) => a.startsWith(PRELOAD_FLAG));
  if (!arg) return [];
  return arg
    .slice(PRELOAD_FLAG.length)
    .split(',')
    .filter((id) => /^[a-z0-9]{1,32}$/.test(id));
}

export const MARKET_CACHE_FLAG = '--market-cache=';

/** `dir`: <data dir>/cache/markets, joined by the host (this module stays free of node:path). */
export function marketCacheArgs(dir: string): string[] {
  return [`${MARKET_CACHE_FLAG}${dir}`];
}

/** The directory in a --market-cache argument: an absolute path (POSIX or Windows), else none. */
export function parseMarketCacheDir(argv: readonly string[]): string | undefined {
  const arg = argv.find((a) => a.startsWith(MARKET_CACHE_FLAG));
  const dir = arg?.slice(MARKET_CACHE_FLAG.length);
  if (!dir || dir.length > 4096 || dir.includes('\0')) return undefined;
  return dir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith('\\\\') ? dir : undefined;
}
