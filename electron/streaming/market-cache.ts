// The markets an exchange listed the last time, kept on disk so that the next start
// subscribes at once instead of waiting for the exchange's whole list: Binance's
// exchangeInfo is megabytes, and loading it was the longest step between launch and
// the first tick (a request plus ~250-650 ms of parsing for 500 simulated markets).
// The cache only answers for symbols it holds; the session still loads the
// exchange's own list a little later, and at once for a symbol the cache lacks
// (market-loader.ts). One file per exchange entry, in <data dir>/cache/markets,
// replaced by a rename, so a reader sees a whole file or the previous one; no fsync:
// what a power cut may lose is only a cache, and a torn file is refused like any
// file that is unreadable, of another format or for another ccxt class (ignored
// with a warning, never trusted in part).
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../shared/error-message';

/** Bumped when what is stored changes meaning; another number is a miss. */
export const MARKET_CACHE_FORMAT = 1;
/** A file larger than this is not read (Binance's ~3,500 spot markets with ccxt's `info`: ~10 MB). */
export const MAX_MARKET_CACHE_BYTES = 64 * 1024 * 1024;

export interface CachedMarkets {
  markets: Record<string, unknown>;
  currencies: Record<string, unknown> | undefined;
  savedAt: number;
}

export type ParsedCache = { ok: true; value: CachedMarkets } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TEXT = (v: unknown): boolean => typeof v === 'string' && v.length > 0 && v.length <= 200;

/**
 * The stored markets if `text` is a cache of this format for `ccxtId` whose every
 * market has what ccxt's lookups need (id, symbol, base, quote, type), keyed by its
 * own symbol. Anything else is refused whole.
 */
export function parseMarketCache(text: string, ccxtId: string): ParsedCache {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${errorMessage(e)})` };
  }
  if (!isRecord(data)) return { ok: false, error: 'not an object' };
  if (data.format !== MARKET_CACHE_FORMAT) return { ok: false, error: `format ${String(data.format)}, expected ${MARKET_CACHE_FORMAT}` };
  if (data.ccxtId !== ccxtId) return { ok: false, error: `markets of ${String(data.ccxtId)}, expected ${ccxtId}` };
  if (typeof data.savedAt !== 'number' || !Number.isFinite(data.savedAt)) return { ok: false, error: 'no savedAt' };
  const { markets, currencies } = data;
  if (!isRecord(markets)) return { ok: false, error: 'no markets' };
  if (currencies !== undefined && !isRecord(currencies)) return { ok: false, error: 'currencies not an object' };
  let count = 0;
  for (const [symbol, m] of Object.entries(markets)) {
    if (!isRecord(m) || m.symbol !== symbol || !TEXT(m.id) || !TEXT(m.base) || !TEXT(m.quote) || !TEXT(m.type)) {
      return { ok: false, error: `market ${JSON.stringify(symbol.slice(0, 40))} incomplete` };
    }
    count++;
  }
  if (count === 0) return { ok: false, error: 'no markets' };
  return { ok: true, value: { markets, currencies, savedAt: data.savedAt } };
}

export function serializeMarketCache(ccxtId: string, markets: unknown, currencies: unknown, savedAt: number): string {
  return JSON.stringify({ format: MARKET_CACHE_FORMAT, ccxtId, savedAt, markets, currencies: currencies ?? undefined });
}

export interface MarketCacheLog {
  record(level: 'info' | 'warn', scope: string, message: string, fields?: Record<string, unknown>): void;
}

/** One exchange entry's cache file. read() and write() never throw: a cache is an optimisation. */
export class MarketCacheFile {
  readonly path: string;

  constructor(
    private readonly dir: string,
    exchangeId: string,
    private readonly ccxtId: string,
    private readonly log: MarketCacheLog,
    private readonly clock: () => number = Date.now,
  ) {
    // Exchange ids are the user's names: only safe characters reach the file name.
    this.path = join(dir, `${encodeURIComponent(exchangeId).replace(/[%.*]/g, '_')}.json`);
  }

  /**
   * The stored markets, or undefined (no file: silently; a bad file: with a warning).
   * Read synchronously: a read from the page cache takes ~1 ms per MB, while an
   * asynchronous one waited ~80 ms for its turns of a start-up's busy event loop, on
   * the path to the first tick (JSON.parse, the bigger cost, is synchronous anyway).
   */
  async read(): Promise<CachedMarkets | undefined> {
    let text: string;
    try {
      const size = statSync(this.path).size;
      if (size > MAX_MARKET_CACHE_BYTES) {
        this.log.record('warn', 'markets', 'market cache ignored', { path: this.path, error: `${size} bytes, over ${MAX_MARKET_CACHE_BYTES}` });
        return undefined;
      }
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.record('warn', 'markets', 'market cache ignored', { path: this.path, error: errorMessage(e) });
      return undefined;
    }
    const parsed = parseMarketCache(text, this.ccxtId);
    if (!parsed.ok) {
      this.log.record('warn', 'markets', 'market cache ignored', { path: this.path, error: parsed.error });
      return undefined;
    }
    return parsed.value;
  }

  async write(markets: unknown, currencies: unknown): Promise<void> {
    const temp = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, serializeMarketCache(this.ccxtId, markets, currencies, this.clock()), { mode: 0o600 });
      await rename(temp, this.path);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      this.log.record('warn', 'markets', 'market cache not written', { path: this.path, error: errorMessage(e) });
    }
  }
}
