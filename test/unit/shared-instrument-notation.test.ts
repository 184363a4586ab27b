import { describe, expect, it } from 'vitest';
import { checkAnyNotation, checkNotation, formatIbNotation, parseFutuNotation, parseIbNotation } from '../../shared/instrument-notation';
import { addToWatchlist, defaultSettings, parseSettings } from '../../shared/settings';

describe('IB notation', () => {
  it('reads stocks, futures and FX into contract fields', () => {
    expect(parseIbNotation('AAPL@SMART:STK:USD')).toEqual({ ok: true, value: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' } });
    expect(parseIbNotation('SAP@IBIS:STK:EUR')).toEqual({ ok: true, value: { symbol: 'SAP', secType: 'STK', exchange: 'IBIS', currency: 'EUR' } });
    expect(parseIbNotation('MSFT@SMART:STK')).toEqual({ ok: true, value: { symbol: 'MSFT', secType: 'STK', exchange: 'SMART', currency: 'USD' } });
    expect(parseIbNotation('ES@CME:FUT:202612')).toEqual({
      ok: true,
      value: { symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' },
    });
    expect(parseIbNotation('FGBL@EUREX:FUT:20261208:EUR')).toMatchObject({ ok: true, value: { lastTradeDateOrContractMonth: '20261208', currency: 'EUR' } });
    expect(parseIbNotation('EUR.USD@IDEALPRO:CASH')).toEqual({ ok: true, value: { symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' } });
  });

  it('writes back what it reads', () => {
    for (const text of ['AAPL@SMART:STK:USD', 'ES@CME:FUT:202612:USD', 'EUR.USD@IDEALPRO:CASH']) {
      const r = parseIbNotation(text);
      expect(r.ok && formatIbNotation(r.value)).toBe(text);
    }
  });

  it('refuses invalid notation saying what was wrong and what was expected', () => {
    const expected = 'expected IB notation SYMBOL@EXCHANGE:TYPE such as "AAPL@SMART:STK:USD", "ES@CME:FUT:202612" or "EUR.USD@IDEALPRO:CASH"';
    expect(parseIbNotation('AAPL')).toEqual({ ok: false, error: `"AAPL" has no @EXCHANGE: ${expected}` });
    expect(parseIbNotation('AAPL@SMART:OPT')).toEqual({ ok: false, error: `"OPT" is not a supported type (STK, FUT or CASH): ${expected}` });
    expect(parseIbNotation('ES@CME:FUT:2026')).toEqual({ ok: false, error: `a future needs its expiry as YYYYMM or YYYYMMDD after FUT (got "2026"): ${expected}` });
    expect(parseIbNotation('ES@CME:FUT:202613')).toMatchObject({ ok: false });
    expect(parseIbNotation('EURUSD@IDEALPRO:CASH')).toEqual({ ok: false, error: `"EURUSD" is not a currency pair BASE.QUOTE: ${expected}` });
    expect(parseIbNotation('AAPL@SMART:STK:DOLLARS')).toEqual({ ok: false, error: `"DOLLARS" is not a currency code: ${expected}` });
    expect(parseIbNotation('aapl@smart:STK')).toMatchObject({ ok: false });
  });
});

describe('Futu notation', () => {
  it('reads MARKET.CODE and refuses anything else', () => {
    expect(parseFutuNotation('HK.00700')).toEqual({ ok: true, value: { market: 'HK', code: '00700' } });
    expect(parseFutuNotation('US.BRK.B')).toEqual({ ok: true, value: { market: 'US', code: 'BRK.B' } });
    expect(parseFutuNotation('XX.00700')).toMatchObject({ ok: false, error: expect.stringContaining('"XX" does not start with a market') });
    expect(parseFutuNotation('00700')).toMatchObject({ ok: false, error: expect.stringContaining('expected Futu notation MARKET.CODE') });
  });
});

describe('notation in settings', () => {
  const ibEntry = { id: 'ib', kind: 'ib', ib: { host: '127.0.0.1', port: 7497, clientId: 7 } };

  it('checks each watchlist symbol in the notation of its exchange kind', () => {
    const ok = parseSettings({ exchanges: [ibEntry, { id: 'sim', ccxtId: 'binance', simulated: true }], watchlist: [{ exchange: 'ib', symbol: 'AAPL@SMART:STK:USD' }, { exchange: 'sim', symbol: 'BTC/USDT' }] });
    expect(ok.ok).toBe(true);
    expect(parseSettings({ exchanges: [ibEntry], watchlist: [{ exchange: 'ib', symbol: 'BTC/USDT' }] })).toEqual({
      ok: false,
      errors: [`watchlist[0].symbol: exchange "ib" (kind ib) expects ${'IB notation SYMBOL@EXCHANGE:TYPE such as "AAPL@SMART:STK:USD", "ES@CME:FUT:202612" or "EUR.USD@IDEALPRO:CASH"'}`],
    });
    expect(checkNotation('ccxt', 'AAPL@SMART:STK')).toBe('a unified symbol such as "BTC/USDT"');
    expect(checkAnyNotation('AAPL@SMART:STK:USD')).toBeUndefined();
    expect(checkAnyNotation('AAPL@SMART')).toContain('is not a supported type');
  });

  it('refuses a watch in the wrong notation for its exchange', () => {
    const s = defaultSettings();
    expect(addToWatchlist(s, { exchange: 'sim', symbol: 'AAPL@SMART:STK:USD' })).toEqual({
      ok: false,
      level: 'error',
      message: 'Invalid watchlist entry: symbol: exchange "sim" (kind ccxt) expects a unified symbol such as "BTC/USDT"',
    });
  });
});

describe('adapter kind and connection fields', () => {
  const errorsOf = (exchanges: unknown[]): string[] => {
    const r = parseSettings({ exchanges, watchlist: [] });
    return r.ok ? [] : r.errors;
  };

  it('defaults to ccxt; IB and Futu connections get defaults and bounds', () => {
    const r = parseSettings({ exchanges: [{ id: 'b', ccxtId: 'binance' }, { id: 'ib', kind: 'ib', ib: {} }, { id: 'f', kind: 'futu', futu: { key: 'k' } }], watchlist: [] });
    expect(r.ok && r.settings.exchanges.map((e) => [e.kind, e.ib, e.futu])).toEqual([
      ['ccxt', undefined, undefined],
      ['ib', { host: '127.0.0.1', port: 7497, clientId: 0 }, undefined],
      ['futu', undefined, { host: '127.0.0.1', port: 33333, key: 'k' }],
    ]);
    expect(errorsOf([{ id: 'ib', kind: 'ib', ib: { port: 70000, clientId: -1 } }])).toEqual([
      'exchanges[0].ib.port: must be between 1 and 65535 (got 70000)',
      'exchanges[0].ib.clientId: must be between 0 and 999999 (got -1)',
    ]);
    expect(errorsOf([{ id: 'f', kind: 'futu', futu: { host: 'a b' } }])).toEqual(['exchanges[0].futu.host: a host name or IP address such as "127.0.0.1"']);
  });

  it('refuses fields of another kind, and a ccxt entry without its ccxt id', () => {
    expect(errorsOf([{ id: 'x' }])).toEqual(['exchanges[0].ccxtId: required for kind "ccxt": a ccxt exchange id such as "binance"']);
    expect(errorsOf([{ id: 'x', kind: 'ib', ccxtId: 'binance', futu: {} }])).toEqual([
      'exchanges[0].ccxtId: only for kind "ccxt" (this entry is "ib")',
      'exchanges[0].futu: only for kind "futu" (this entry is "ib")',
    ]);
    expect(errorsOf([{ id: 'x', kind: 'schwab' }])[0]).toMatch(/^exchanges\[0\]\.kind: /);
  });
});
