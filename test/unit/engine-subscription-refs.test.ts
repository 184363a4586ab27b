import { describe, expect, it } from 'vitest';
import { SubscriptionRefs } from '../../electron/engine/market/subscription-refs';
import type { SubscriptionKey } from '../../shared/market';

const book = (symbol: string): SubscriptionKey => ({ exchange: 'sim', symbol, channel: 'book' });
const trades = (symbol: string): SubscriptionKey => ({ exchange: 'sim', symbol, channel: 'trades' });

describe('SubscriptionRefs: a subscription lives while a consumer holds it', () => {
  it('the first holder subscribes, the last to let go unsubscribes', () => {
    const r = new SubscriptionRefs();
    expect(r.add('r1', [book('BTC/USDT'), trades('BTC/USDT')])).toEqual({ added: [book('BTC/USDT'), trades('BTC/USDT')], removed: [] });
    expect(r.add('r2', [book('BTC/USDT')])).toEqual({ added: [], removed: [] });
    expect(r.holders(book('BTC/USDT'))).toBe(2);
    expect(r.release('r1')).toEqual({ added: [], removed: [trades('BTC/USDT')] });
    expect(r.release('r2')).toEqual({ added: [], removed: [book('BTC/USDT')] });
    expect(r.keys()).toEqual([]);
  });

  it('holding twice counts once; letting go of what one does not hold changes nothing', () => {
    const r = new SubscriptionRefs();
    r.add('r1', [book('ETH/USDT')]);
    expect(r.add('r1', [book('ETH/USDT')])).toEqual({ added: [], removed: [] });
    expect(r.remove('r2', [book('ETH/USDT')])).toEqual({ added: [], removed: [] });
    expect(r.release('nobody')).toEqual({ added: [], removed: [] });
    expect(r.holders(book('ETH/USDT'))).toBe(1);
  });

  it('set: a renderer moving its focus releases the old instrument and takes the new one; the watchlist keeps what it holds', () => {
    const r = new SubscriptionRefs();
    r.set('watchlist', [book('BTC/USDT')]);
    r.set('r1', [book('BTC/USDT'), trades('BTC/USDT')]);
    expect(r.set('r1', [book('ETH/USDT'), trades('ETH/USDT')])).toEqual({ added: [book('ETH/USDT'), trades('ETH/USDT')], removed: [trades('BTC/USDT')] });
    expect(r.keys().map((k) => `${k.symbol}|${k.channel}`).sort()).toEqual(['BTC/USDT|book', 'ETH/USDT|book', 'ETH/USDT|trades']);
    expect(r.set('r1', [book('ETH/USDT'), trades('ETH/USDT')])).toEqual({ added: [], removed: [] });
  });
});
