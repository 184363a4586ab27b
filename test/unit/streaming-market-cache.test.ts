import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKET_CACHE_FORMAT, MarketCacheFile, parseMarketCache, serializeMarketCache } from '../../electron/streaming/market-cache';
import { marketCacheArgs, parseMarketCacheDir } from '../../shared/streaming-preload';

const BTC = { id: 'BTCUSDT', symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', precision: { price: 0.01 }, info: { status: 'TRADING' } };

describe('parseMarketCache', () => {
  it('reads back what serializeMarketCache wrote, for the same ccxt class only', () => {
    const text = serializeMarketCache('binance', { 'BTC/USDT': BTC }, { BTC: { code: 'BTC' } }, 1234);
    expect(parseMarketCache(text, 'binance')).toEqual({ ok: true, value: { markets: { 'BTC/USDT': BTC }, currencies: { BTC: { code: 'BTC' } }, savedAt: 1234 } });
    expect(parseMarketCache(text, 'okx')).toEqual({ ok: false, error: 'markets of binance, expected okx' });
  });

  it('refuses the whole file for anything it cannot trust', () => {
    const good = { format: MARKET_CACHE_FORMAT, ccxtId: 'binance', savedAt: 1, markets: { 'BTC/USDT': BTC } };
    const bad = (patch: Record<string, unknown>) => parseMarketCache(JSON.stringify({ ...good, ...patch }), 'binance');
    expect(parseMarketCache('{"format":1,', 'binance').ok).toBe(false);
    expect(parseMarketCache('[]', 'binance')).toEqual({ ok: false, error: 'not an object' });
    expect(bad({ format: 2 })).toEqual({ ok: false, error: `format 2, expected ${MARKET_CACHE_FORMAT}` });
    expect(bad({ savedAt: 'yesterday' })).toEqual({ ok: false, error: 'no savedAt' });
    expect(bad({ markets: {} })).toEqual({ ok: false, error: 'no markets' });
    expect(bad({ markets: [] })).toEqual({ ok: false, error: 'no markets' });
    expect(bad({ currencies: 'x' })).toEqual({ ok: false, error: 'currencies not an object' });
    // keyed by another symbol than its own, or missing what ccxt looks markets up by
    expect(bad({ markets: { 'ETH/USDT': BTC } })).toEqual({ ok: false, error: 'market "ETH/USDT" incomplete' });
    expect(bad({ markets: { 'BTC/USDT': BTC, 'X/Y': { symbol: 'X/Y', id: '', base: 'X', quote: 'Y', type: 'spot' } } })).toEqual({ ok: false, error: 'market "X/Y" incomplete' });
    expect(bad({ markets: { 'BTC/USDT': { ...BTC, type: undefined } } }).ok).toBe(false);
  });
});

describe('MarketCacheFile', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const setup = () => {
    const root = mkdtempSync(join(tmpdir(), 'foxtrot-market-cache-'));
    dirs.push(root);
    const logged: string[] = [];
    const log = { record: (level: string, _scope: string, message: string, fields?: Record<string, unknown>) => void logged.push(`${level}: ${message}: ${String(fields?.error ?? '')}`) };
    return { root, dir: join(root, 'cache', 'markets'), logged, log };
  };

  it('no file is a silent miss; written markets are read back; the directory is made on the first write, with no temp file left', async () => {
    const { dir, logged, log } = setup();
    const file = new MarketCacheFile(dir, 'sim', 'binance', log, () => 42);
    expect(await file.read()).toBeUndefined();
    expect(logged).toEqual([]);
    await file.write({ 'BTC/USDT': BTC }, undefined);
    expect(await file.read()).toEqual({ markets: { 'BTC/USDT': BTC }, currencies: undefined, savedAt: 42 });
    expect(readdirSync(dir)).toEqual(['sim.json']);
  });

  it('a corrupt file is ignored with a warning and replaced by the next write', async () => {
    const { dir, logged, log } = setup();
    const file = new MarketCacheFile(dir, 'sim', 'binance', log);
    await file.write({ 'BTC/USDT': BTC }, undefined);
    writeFileSync(file.path, '{"format":1,"ccxtId":"bin');
    expect(await file.read()).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^warn: market cache ignored: not JSON/);
    await file.write({ 'BTC/USDT': BTC }, undefined);
    expect((await file.read())?.markets).toEqual({ 'BTC/USDT': BTC });
  });

  it("an exchange id never leaves the directory; a write that cannot be made is a warning, not a throw", async () => {
    const { root, dir, logged, log } = setup();
    const file = new MarketCacheFile(dir, '../../evil.id', 'binance', log);
    expect(file.path.startsWith(dir + '/')).toBe(true);
    expect(file.path.slice(dir.length + 1)).not.toMatch(/[/\\]|\.\./);
    writeFileSync(join(root, 'blocker'), 'a file where a directory should be');
    const blocked = new MarketCacheFile(join(root, 'blocker', 'markets'), 'sim', 'binance', log);
    await blocked.write({ 'BTC/USDT': BTC }, undefined);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^warn: market cache not written: /);
    expect(readFileSync(join(root, 'blocker'), 'utf8')).toBe('a file where a directory should be');
  });
});

describe('the --market-cache argument', () => {
  it('carries an absolute directory and nothing else', () => {
    expect(parseMarketCacheDir(['--preload=binance', ...marketCacheArgs('/data/cache/markets')])).toBe('/data/cache/markets');
    expect(parseMarketCacheDir(marketCacheArgs('C:\\Users\\t\\cache'))).toBe('C:\\Users\\t\\cache');
    expect(parseMarketCacheDir(['--market-cache=relative/dir'])).toBeUndefined();
    expect(parseMarketCacheDir(['--market-cache='])).toBeUndefined();
    expect(parseMarketCacheDir(['--market-cache=/a\0b'])).toBeUndefined();
    expect(parseMarketCacheDir([])).toBeUndefined();
  });
});
