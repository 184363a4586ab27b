import { describe, expect, it } from 'vitest';
import ccxtFull from 'ccxt';
import { ccxt, createExchangeLoader, exchangeLoader } from '../../electron/streaming/exchange-loader';

describe('exchange loader', () => {
  it('loads an exchange from its own module without loading all of ccxt', () => {
    const loader = createExchangeLoader();
    const Binance = loader.exchangeClass('binance');
    expect(typeof Binance).toBe('function');
    expect(loader.loadedFrom('binance')).toBe('class');
    expect(loader.fullyLoaded).toBe(false);
    expect(new Binance!({}).id).toBe('binance');
    expect(loader.exchangeClass('binance')).toBe(Binance); // cached
  });

  it('says no for ids ccxt.pro does not have, and never turns an id into a path', () => {
    const loader = createExchangeLoader();
    expect(loader.exchangeClass('nosuchexchange')).toBeUndefined();
    expect(loader.exchangeClass('../base/Exchange')).toBeUndefined();
    expect(loader.exchangeClass('toString')).toBeUndefined(); // an inherited property is not an exchange
    expect(loader.loadedFrom('../base/Exchange')).toBe('full');
  });

  it('shares one module graph: the error classes are the ones the exchanges and all of ccxt use', () => {
    const Binance = exchangeLoader.exchangeClass('binance')!;
    expect(ccxtFull.pro.binance).toBe(Binance);
    expect(ccxt.NetworkError).toBe(ccxtFull.NetworkError);
    expect(new ccxt.RequestTimeout('x')).toBeInstanceOf(ccxt.NetworkError);
  });
});
