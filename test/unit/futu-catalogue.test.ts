// What OpenD lists becomes the symbol search's catalogue: Futu notation, the market's
// currency, stock/future/option, delisted as inactive; other kinds and markets left out.
import { describe, expect, it } from 'vitest';
import { MarketEntrySchema } from '../../shared/contract/market-catalogue';
import { CATALOGUE_REQUESTS, futuMarketEntry, futuMarketList } from '../../electron/streaming/adapters/futu/futu-catalogue';

const info = (market: number, code: string, secType: number, delisting?: boolean) => ({ basic: { security: { market, code }, id: 1, lotSize: 100, secType, name: code, listTime: '', ...(delisting === undefined ? {} : { delisting }) } });

describe('Futu catalogue entries', () => {
  it('maps stocks, funds, futures and options of the markets Foxtrot speaks, delisted as inactive', () => {
    expect(futuMarketEntry(info(1, '00700', 3))).toEqual({ symbol: 'HK.00700', base: '00700', quote: 'HKD', type: 'stock', active: true });
    expect(futuMarketEntry(info(11, 'SPY', 4, false))).toEqual({ symbol: 'US.SPY', base: 'SPY', quote: 'USD', type: 'stock', active: true });
    expect(futuMarketEntry(info(1, 'HSImain', 10))).toEqual({ symbol: 'HK.HSImain', base: 'HSImain', quote: 'HKD', type: 'future', active: true });
    expect(futuMarketEntry(info(21, '600519', 3, true))).toEqual({ symbol: 'SH.600519', base: '600519', quote: 'CNY', type: 'stock', active: false });
    expect(futuMarketEntry(info(22, '000001', 8))?.type).toBe('option');
    for (const e of [info(1, '00700', 3), info(11, 'SPY', 4)]) expect(MarketEntrySchema.parse(futuMarketEntry(e))).toBeTruthy();
  });

  it('leaves out warrants, indices, unknown markets and malformed entries', () => {
    expect(futuMarketEntry(info(1, '12345', 5))).toBeUndefined(); // warrant
    expect(futuMarketEntry(info(1, '800000', 6))).toBeUndefined(); // index
    expect(futuMarketEntry(info(999, 'X', 3))).toBeUndefined();
    expect(futuMarketEntry({ basic: { security: { market: '1', code: '00700' }, secType: 3 } })).toBeUndefined();
    expect(futuMarketEntry(undefined)).toBeUndefined();
  });

  it('merges the answers of every request, each symbol once, skipping answers without a list', () => {
    const list = futuMarketList([
      { retType: 0, s2c: { staticInfoList: [info(1, '00700', 3), info(1, '12345', 5)] } },
      { retType: 0, s2c: { staticInfoList: [info(1, '00700', 3), info(11, 'AAPL', 3)] } },
      { retType: 0 },
    ]);
    expect(list.map((m) => m.symbol)).toEqual(['HK.00700', 'US.AAPL']);
  });

  it('asks equities and funds of HK, US, SH and SZ and futures of HK and US', () => {
    expect(CATALOGUE_REQUESTS.map((r) => `${r.market}:${r.secType}`)).toEqual(['1:3', '1:4', '11:3', '11:4', '21:3', '21:4', '22:3', '22:4', '1:10', '11:10']);
  });
});
