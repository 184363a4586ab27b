// The market catalogue from a real ccxt loadMarkets against the simulator: sent
// once per enabled exchange after configure, without any subscription, and large
// catalogues (5,000 markets) pass the contract's bounds.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('streaming: market catalogue', () => {
  it('sends every market of the simulator once after configure, nothing subscribed', async () => {
    h = await new Harness({ symbols: 5000 }).start();
    const msg = await h.until(() => h!.of('markets')[0], 'the markets message', 20_000);
    expect(msg.catalogue.exchange).toBe('sim');
    expect(msg.catalogue.markets).toHaveLength(5000);
    expect(msg.catalogue.markets).toContainEqual({ symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', type: 'spot', active: true });
    expect(h.invalid).toEqual([]);
    // Subscribing reuses the loaded markets: no second catalogue.
    h.subscribe(['SOL/USDT']);
    await h.until(() => h!.tickerRows('sim|SOL/USDT') >= 1, 'SOL ticks', 20_000);
    expect(h.of('markets')).toHaveLength(1);
  });
});
