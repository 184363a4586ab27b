import { describe, expect, it } from 'vitest';
import { MAX_PENDING_REQUESTS, SubscribeRequests } from '../../electron/streaming/subscribe-requests';
import { isTradeStreamOf, streamMarketId } from '../../electron/streaming/stream-names';

describe('SubscribeRequests', () => {
  it('keeps each SUBSCRIBE until its answer, which returns its streams once', () => {
    const r = new SubscribeRequests();
    r.sent({ method: 'SUBSCRIBE', params: ['ethusdt@trade', 'ethusdt@ticker'], id: 7 });
    r.sent({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: '8' });
    expect(r.answered('7')).toEqual(['ethusdt@trade', 'ethusdt@ticker']); // ids compare as text, as they come back
    expect(r.answered(7)).toBeUndefined();
    expect(r.answered(8)).toEqual(['btcusdt@trade']);
    expect(r.size).toBe(0);
  });

  it('ignores what is not a SUBSCRIBE request with an id, and non-text streams', () => {
    const r = new SubscribeRequests();
    for (const m of ['{"method":"SUBSCRIBE"}', null, 42, { method: 'UNSUBSCRIBE', params: ['a@trade'], id: 1 }, { method: 'SUBSCRIBE', params: ['a@trade'] }, { method: 'SUBSCRIBE', params: ['a@trade'], id: null }, { method: 'SUBSCRIBE', params: 'a@trade', id: 2 }]) r.sent(m);
    expect(r.size).toBe(0);
    r.sent({ method: 'SUBSCRIBE', params: ['a@trade', 3, { x: 1 }], id: 3 });
    expect(r.answered(3)).toEqual(['a@trade']);
  });

  it('never holds more than MAX_PENDING_REQUESTS: an exchange that does not answer forgets the oldest', () => {
    const r = new SubscribeRequests();
    for (let id = 0; id < MAX_PENDING_REQUESTS + 10; id++) r.sent({ method: 'SUBSCRIBE', params: [`s${id}@trade`], id });
    expect(r.size).toBe(MAX_PENDING_REQUESTS);
    expect(r.answered(9)).toBeUndefined();
    expect(r.answered(10)).toEqual(['s10@trade']);
    expect(r.answered(MAX_PENDING_REQUESTS + 9)).toEqual([`s${MAX_PENDING_REQUESTS + 9}@trade`]);
  });
});

describe('isTradeStreamOf', () => {
  it("matches a market's trade and aggregate-trade streams only", () => {
    expect(isTradeStreamOf('ethusdt@trade', 'ethusdt')).toBe(true);
    expect(isTradeStreamOf('ethusdt@aggTrade', 'ethusdt')).toBe(true);
    expect(isTradeStreamOf('ethusdt@ticker', 'ethusdt')).toBe(false);
    expect(isTradeStreamOf('ethusdt@depth@100ms', 'ethusdt')).toBe(false);
    expect(isTradeStreamOf('xethusdt@trade', 'ethusdt')).toBe(false);
    expect(isTradeStreamOf('eth@trade', 'ethusdt')).toBe(false);
  });
});

describe('streamMarketId', () => {
  it("spells ccxt's market id as the stream names do", () => {
    expect(streamMarketId({ id: 'ETHUSDT', lowercaseId: 'ethusdt' })).toBe('ethusdt');
    expect(streamMarketId({ id: 'ETHUSDT' })).toBe('ethusdt');
    expect(streamMarketId({ symbol: 'ETH/USDT' })).toBeUndefined();
    expect(streamMarketId(undefined)).toBeUndefined();
  });
});
