import { describe, expect, it } from 'vitest';
import { RowStore } from '../../renderer/src/state/row-store';
import { tickerRow } from './renderer-test-rows';

describe('RowStore', () => {
  it('applies frames, marks rows dirty and reports receipt-time bounds', () => {
    const store = new RowStore();
    const stats = store.apply([tickerRow('sim', 'BTC/USDT', { receivedAt: 1010 }), tickerRow('sim', 'ETH/USDT', { receivedAt: 1003 })], 2000);
    expect(stats).toEqual({ rows: 2, receivedAtMin: 1003, receivedAtMax: 1010 });
    expect(store.takeDirty().sort()).toEqual(['sim|BTC/USDT', 'sim|ETH/USDT']);
    expect(store.takeDirty()).toEqual([]);
    expect(store.get('sim|BTC/USDT')?.data?.receivedAt).toBe(1010);
  });

  it('starts an up or down flash only for prices that moved', () => {
    const store = new RowStore();
    store.apply([tickerRow('sim', 'BTC/USDT')], 1000);
    expect(store.get('sim|BTC/USDT')?.flash).toEqual({});
    store.apply([tickerRow('sim', 'BTC/USDT', { bid: 99.6, ask: 100.4, last: 100 })], 1500);
    expect(store.get('sim|BTC/USDT')?.flash).toEqual({ bid: { direction: 'up', at: 1500 }, ask: { direction: 'down', at: 1500 } });
  });

  it('attaches the ticker subscription state and marks only changed rows dirty', () => {
    const store = new RowStore();
    store.reset([tickerRow('sim', 'BTC/USDT')]);
    store.takeDirty();
    const live = { id: 'sim|BTC/USDT|ticker', exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker' as const, state: 'live' as const, source: 'ws' as const };
    store.setSubscriptions([live]);
    expect(store.takeDirty()).toEqual(['sim|BTC/USDT']);
    store.setSubscriptions([{ ...live }]);
    expect(store.takeDirty()).toEqual([]);
    // A storm leaves the state live: being behind, and trades shed, are changes of their own.
    store.setSubscriptions([{ ...live, behind: true }]);
    expect(store.takeDirty()).toEqual(['sim|BTC/USDT']);
    expect(store.get('sim|BTC/USDT')?.subscription?.behind).toBe(true);
    store.setSubscriptions([{ ...live, behind: true, tradesShed: 3 }]);
    expect(store.takeDirty()).toEqual(['sim|BTC/USDT']);
    store.setSubscriptions([{ ...live }]);
    expect(store.takeDirty()).toEqual(['sim|BTC/USDT']);
    // the exchange's word that a quiet row is current changes its look too
    store.setSubscriptions([{ ...live, quietAt: 2000 }]);
    expect(store.takeDirty()).toEqual(['sim|BTC/USDT']);
    expect(store.get('sim|BTC/USDT')?.subscription?.quietAt).toBe(2000);
    store.setSubscriptions([{ ...live, state: 'stale' }]);
    expect(store.takeDirty()).toEqual(['sim|BTC/USDT']);
    expect(store.get('sim|BTC/USDT')?.subscription?.state).toBe('stale');
    store.setSubscriptions([]);
    expect(store.get('sim|BTC/USDT')?.subscription).toBeUndefined();
  });

  it('tracks exchange modes and dirties only the rows of exchanges that changed', () => {
    const store = new RowStore();
    store.reset([tickerRow('sim', 'BTC/USDT'), tickerRow('binance', 'BTC/USDT')]);
    store.takeDirty();
    store.setExchanges([{ exchange: 'sim', mode: 'live' }, { exchange: 'binance', mode: 'live' }]);
    expect(store.takeDirty().sort()).toEqual(['binance|BTC/USDT', 'sim|BTC/USDT']);
    store.setExchanges([{ exchange: 'sim', mode: 'live' }, { exchange: 'binance', mode: 'down' }]);
    expect(store.takeDirty()).toEqual(['binance|BTC/USDT']);
    expect(store.exchangeMode('binance')).toBe('down');
    store.setExchanges([{ exchange: 'sim', mode: 'live' }]);
    expect(store.exchangeMode('binance')).toBeUndefined();
    expect(store.takeDirty()).toEqual(['binance|BTC/USDT']);
  });

  it('forgets unwatched rows so a re-added one shows no old numbers', () => {
    const store = new RowStore();
    store.apply([tickerRow('sim', 'BTC/USDT'), tickerRow('sim', 'ETH/USDT')], 1000);
    store.retain(new Set(['sim|ETH/USDT']));
    expect(store.get('sim|BTC/USDT')).toBeUndefined();
    expect(store.takeDirty()).toEqual(['sim|ETH/USDT']);
  });
});
