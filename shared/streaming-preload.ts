// The streaming process's --preload argument: the ccxt classes of the enabled
// exchanges, so an early-started process loads them before it is configured.
import type { Settings } from './settings';

export const PRELOAD_FLAG = '--preload=';

export function preloadArgs(settings: Pick<Settings, 'exchanges'>): string[] {
  const ids = [...new Set(settings.exchanges.filter((e) => e.enabled).map((e) => e.ccxtId))];
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
