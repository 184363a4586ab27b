import { describe, expect, it } from 'vitest';
import { futuConnectionSchema, futuSymbolOf, futuSymbolSchema, parseFutuSymbol } from '../../shared/futu-notation';

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

describe('Futu schemas', () => {
  it('refuses a bad symbol with the notation message', () => {
    const r = futuSymbolSchema.safeParse('HK.700');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/HK codes have 5 digits/);
    expect(futuSymbolSchema.parse('US.AAPL')).toBe('US.AAPL');
  });

  it('validates OpenD connection fields with defaults and clear messages', () => {
    expect(futuConnectionSchema.parse({ host: '127.0.0.1', port: 33333 })).toEqual({ host: '127.0.0.1', port: 33333, key: '', ssl: false });
    const bad = futuConnectionSchema.safeParse({ host: ' ', port: 70000, extra: 1 });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(expect.arrayContaining(['host: OpenD host is empty (e.g. 127.0.0.1)', 'port: OpenD port must be 1..65535']));
    expect(messages.some((m) => m.includes('extra'))).toBe(true);
  });
});
