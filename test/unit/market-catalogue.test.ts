// The market catalogue: its message from the streaming process (bounded), the
// request/response with the renderer, ccxt markets → compact list, and the engine's copy.
import { describe, expect, it } from 'vitest';
import { MAX_MARKETS_PER_EXCHANGE, type ExchangeMarkets, type MarketEntry } from '../../shared/contract/market-catalogue';
import { parseFromStreaming } from '../../shared/contract/streaming-protocol';
import { FromRendererSchema, ToRendererSchema } from '../../shared/contract/renderer-api';
import { MarketCatalogue } from '../../electron/engine/market/market-catalogue';
import { marketList } from '../../electron/streaming/market-list';

const sol: MarketEntry = { symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', type: 'spot', active: true };
const many = (n: number): MarketEntry[] => Array.from({ length: n }, (_, i) => ({ ...sol, symbol: `S${i}/USDT`, base: `S${i}` }));

describe('markets message from the streaming process', () => {
  it('accepts a catalogue of the largest allowed size', () => {
    const r = parseFromStreaming({ type: 'markets', catalogue: { exchange: 'sim', markets: many(MAX_MARKETS_PER_EXCHANGE) } });
    expect(r.ok).toBe(true);
  });

  it('refuses more markets than the bound, over-long text, unknown types and extra fields', () => {
    const bad = [
      { exchange: 'sim', markets: many(MAX_MARKETS_PER_EXCHANGE + 1) },
      { exchange: 'sim', markets: [{ ...sol, symbol: 'X'.repeat(65) }] },
      { exchange: 'sim', markets: [{ ...sol, type: 'index' }] },
      { exchange: 'sim', markets: [{ ...sol, active: 'yes' }] },
      { exchange: 'sim', markets: [{ ...sol, price: 1 }] },
      { exchange: '', markets: [] },
    ];
    for (const catalogue of bad) {
      const r = parseFromStreaming({ type: 'markets', catalogue });
      expect(r.ok, JSON.stringify(catalogue).slice(0, 120)).toBe(false);
    }
    const r = parseFromStreaming({ type: 'markets', catalogue: { exchange: 'sim', markets: many(MAX_MARKETS_PER_EXCHANGE + 1) } });
    expect(!r.ok && r.error).toMatch(/markets/);
  });
});

describe('markets request and response with the renderer', () => {
  it('the request carries nothing else', () => {
    expect(FromRendererSchema.safeParse({ type: 'markets' }).success).toBe(true);
    expect(FromRendererSchema.safeParse({ type: 'markets', exchange: 'sim' }).success).toBe(false);
  });

  it('the response is validated like the streaming message', () => {
    expect(ToRendererSchema.safeParse({ type: 'markets', catalogues: [{ exchange: 'sim', markets: [sol] }] }).success).toBe(true);
    expect(ToRendererSchema.safeParse({ type: 'markets', catalogues: [{ exchange: 'sim', markets: [{ ...sol, base: '' }] }] }).success).toBe(false);
  });
});

describe('marketList (ccxt markets → catalogue)', () => {
  it('keeps symbol, base, quote, type and active; undefined active counts as active', () => {
    const ccxtMarkets = {
      'SOL/USDT': { id: 'SOLUSDT', symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', type: 'spot', active: true, precision: {} },
      'BTC/USDT:USDT': { symbol: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT', type: 'swap', active: undefined },
      'OLD/BTC': { symbol: 'OLD/BTC', base: 'OLD', quote: 'BTC', type: 'spot', active: false },
    };
    expect(marketList(ccxtMarkets)).toEqual({
      markets: [
        sol,
        { symbol: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT', type: 'swap', active: true },
        { symbol: 'OLD/BTC', base: 'OLD', quote: 'BTC', type: 'spot', active: false },
      ],
      skipped: 0,
    });
  });

  it('skips kinds the search does not show, incomplete entries, and everything beyond the cap', () => {
    const ccxtMarkets: Record<string, unknown> = {
      idx: { symbol: 'BTCDOM', base: 'BTC', quote: 'DOM', type: 'index' },
      nobase: { symbol: 'X/Y', quote: 'Y', type: 'spot' },
      junk: null,
    };
    for (let i = 0; i < MAX_MARKETS_PER_EXCHANGE + 5; i++) ccxtMarkets[`m${i}`] = { symbol: `M${i}/USDT`, base: `M${i}`, quote: 'USDT', type: 'spot' };
    const list = marketList(ccxtMarkets);
    expect(list.markets).toHaveLength(MAX_MARKETS_PER_EXCHANGE);
    expect(list.skipped).toBe(3 + 5);
    expect(marketList(undefined)).toEqual({ markets: [], skipped: 0 });
  });
});

describe('MarketCatalogue (engine)', () => {
  const cat = (exchange: string, markets: MarketEntry[] = [sol]): ExchangeMarkets => ({ exchange, markets });

  it('answers a request with the enabled exchanges only, and again when a catalogue arrives', () => {
    let enabled = new Set(['sim', 'binance']);
    const c = new MarketCatalogue(() => enabled);
    c.set(cat('sim'));
    c.set(cat('off'));
    const got: string[][] = [];
    c.request('r1', (all) => got.push(all.map((x) => `${x.exchange}:${x.markets.length}`)));
    c.set(cat('binance', many(3)));
    c.set(cat('off', many(2))); // not enabled: nobody is told
    c.set(cat('sim', many(5))); // reloaded: replaces, keeps its place
    expect(got).toEqual([['sim:1'], ['sim:1', 'binance:3'], ['sim:5', 'binance:3']]);
    enabled = new Set(['binance']);
    expect(c.catalogues().map((x) => x.exchange)).toEqual(['binance']);
    expect(c.size).toBe(5 + 3 + 2);
  });

  it('answers a repeated request only once, and nothing once the renderer is forgotten (detached)', () => {
    const c = new MarketCatalogue(() => new Set(['sim']));
    let calls = 0;
    c.request('r1', () => calls++);
    for (let i = 0; i < 100; i++) c.request('r1', () => calls++);
    expect(calls).toBe(1);
    c.forget('r1');
    c.set(cat('sim'));
    expect(calls).toBe(1);
    c.request('r1', () => calls++); // the same page reloaded: detached, attached, asks again
    expect(calls).toBe(2);
  });
});
