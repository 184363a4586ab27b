// Symbol search ranking: exact base asset first, then prefix, then fuzzy; ties by
// activity, market type and quote; extra words narrow by quote, exchange or type.
import { describe, expect, it } from 'vitest';
import type { ExchangeMarkets, MarketEntry, MarketType } from '../../shared/contract/market-catalogue';
import { MarketIndex, MAX_RESULTS } from '../../renderer/src/search/market-search';

function m(symbol: string, type: MarketType = 'spot', active = true): MarketEntry {
  const [base, rest] = symbol.split('/') as [string, string];
  return { symbol, base, quote: rest.split(':')[0]!, type, active };
}

const sim: ExchangeMarkets = {
  exchange: 'sim',
  markets: [m('ASOL/USDT'), m('SOLVE/USDT'), m('SOL/BTC'), m('BTC/USDT'), m('SOL/USDT:USDT', 'swap'), m('SOL/USDT'), m('SOL/EUR', 'spot', false), m('ETH/USDT')],
};
const other: ExchangeMarkets = { exchange: 'binance', markets: [m('SOL/USDC'), m('XSOLX/USDT')] };

const found = (index: MarketIndex, q: string) => index.search(q).map((h) => `${h.tier}:${h.market.exchange}:${h.market.symbol}`);

describe('MarketIndex.search', () => {
  const index = new MarketIndex([sim, other]);

  it('ranks exact base-asset hits first, then prefix, then fuzzy', () => {
    expect(found(index, 'sol')).toEqual([
      'exact:sim:SOL/USDT', // active spot with the most common quote
      'exact:binance:SOL/USDC',
      'exact:sim:SOL/BTC',
      'exact:sim:SOL/USDT:USDT', // a swap after every spot
      'exact:sim:SOL/EUR', // inactive last
      'prefix:sim:SOLVE/USDT',
      'fuzzy:sim:ASOL/USDT',
      'fuzzy:binance:XSOLX/USDT',
    ]);
  });

  it('ignores case and surrounding space', () => {
    expect(found(index, '  SoL ')[0]).toBe('exact:sim:SOL/USDT');
  });

  it('narrows exact and prefix hits by quote, exchange or type', () => {
    expect(found(index, 'sol/btc')[0]).toBe('exact:sim:SOL/BTC');
    expect(found(index, 'sol usdc')[0]).toBe('exact:binance:SOL/USDC');
    expect(found(index, 'sol swap')[0]).toBe('exact:sim:SOL/USDT:USDT');
    expect(found(index, 'sol binance').filter((h) => h.startsWith('exact'))).toEqual(['exact:binance:SOL/USDC']);
  });

  it('finds fuzzy matches with a typo (swapped letters)', () => {
    expect(found(index, 'bct')[0]).toBe('fuzzy:sim:BTC/USDT');
    expect(found(index, 'eht')).toEqual(['fuzzy:sim:ETH/USDT']);
  });

  it('lists every market in preference order when nothing is typed, and nothing for a miss', () => {
    const all = index.search('');
    expect(all).toHaveLength(10);
    expect(all.every((h) => h.tier === 'all')).toBe(true);
    expect(all.at(-1)!.market.symbol).toBe('SOL/EUR'); // the only inactive one
    expect(index.search('zzzzqqq')).toEqual([]);
  });

  it('returns at most the limit, exact hits first', () => {
    const many: ExchangeMarkets = { exchange: 'big', markets: Array.from({ length: 2000 }, (_, i) => m(`SOL${i}/USDT`)) };
    const big = new MarketIndex([many, sim]);
    const hits = big.search('sol');
    expect(hits).toHaveLength(MAX_RESULTS);
    expect(hits.slice(0, 5).map((h) => h.tier)).toEqual(['exact', 'exact', 'exact', 'exact', 'prefix']); // sim's four SOL markets
    expect(hits[0]!.market.symbol).toBe('SOL/USDT');
    expect(big.search('sol', 3)).toHaveLength(3);
  });
});
