import { describe, expect, it } from 'vitest';
import { futuSymbolOf, parseFutuSymbol } from '../../shared/futu-notation';

describe('Futu notation', () => {
  it('parses stocks, futures and dotted US codes into OpenD securities', () => {
    expect(parseFutuSymbol('HK.00700')).toEqual({ market: 'HK', qotMarket: 1, code: '00700' });
    expect(parseFutuSymbol('US.AAPL')).toEqual({ market: 'US', qotMarket: 11, code: 'AAPL' });
    expect(parseFutuSymbol('US.BRK.B')).toEqual({ market: 'US', qotMarket: 11, code: 'BRK.B' });
    expect(parseFutuSymbol('SH.600519')).toEqual({ market: 'SH', qotMarket: 21, code: '600519' });
    expect(parseFutuSymbol('HK.HSImain')).toEqual({ market: 'HK', qotMarket: 1, code: 'HSImain' });
  });

  it('refuses invalid notation with a message saying what was expected', () => {
    for (const bad of ['00700', 'XX.00700', 'HK.', 'HK.00 700', 'US.AAPL.', 'hk.00700', 'BTC/USDT']) {
      const r = parseFutuSymbol(bad);
      expect(r, bad).toHaveProperty('error');
      expect((r as { error: string }).error).toContain('expected MARKET.CODE');
      expect((r as { error: string }).error).toContain(`"${bad}"`);
    }
    expect((parseFutuSymbol('HK.700') as { error: string }).error).toMatch(/HK codes have 5 digits \(e\.g\. HK\.00700\)/);
    expect((parseFutuSymbol('SZ.1') as { error: string }).error).toMatch(/SZ codes have 6 digits/);
  });

  it('names OpenD securities back in the same notation', () => {
    expect(futuSymbolOf(1, '00700')).toBe('HK.00700');
    expect(futuSymbolOf(11, 'AAPL')).toBe('US.AAPL');
    expect(futuSymbolOf(999, 'X')).toBeUndefined();
  });
});
