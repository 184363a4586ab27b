// readyForSymbol: the candle instance takes the tick session's markets, which may be
// the cached ones; a symbol they lack makes it load the exchange's list, once.
import { describe, expect, it } from 'vitest';
import { readyForSymbol } from '../../electron/streaming/candles/ohlcv-source';

function fakeExchange(markets: Record<string, unknown> | undefined) {
  const loads: boolean[] = [];
  const ex = {
    markets,
    loadMarkets: async (reload?: boolean) => {
      loads.push(reload === true);
      ex.markets = { ...(ex.markets ?? {}), 'NEW/USDT': {} };
      return ex.markets;
    },
  };
  return { ex, loads };
}

describe('readyForSymbol', () => {
  it('waits for the markets to be set, then asks the exchange only for a symbol they lack, once per symbol', async () => {
    const { ex, loads } = fakeExchange({ 'BTC/USDT': {} });
    let prepare!: () => void;
    const ready = readyForSymbol(ex, new Promise<void>((r) => (prepare = r)));
    let settled = false;
    const first = ready('BTC/USDT').then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    prepare();
    await first;
    expect(loads).toEqual([]);
    await ready('NEW/USDT');
    expect(loads).toEqual([true]);
    await ready('NEW/USDT'); // held now
    await ready('GONE/USDT'); // not listed even by the exchange: asked once, then left to ccxt's refusal
    await ready('GONE/USDT');
    expect(loads).toEqual([true, true]);
  });

  it('an instance without markets yet loads them itself on its first call, as ccxt does', async () => {
    const { ex, loads } = fakeExchange(undefined);
    await readyForSymbol(ex, Promise.resolve())('BTC/USDT');
    expect(loads).toEqual([]);
  });
});
