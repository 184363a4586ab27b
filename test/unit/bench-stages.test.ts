import { describe, expect, it } from 'vitest';
import { idleWatchlist } from '../../bench/stages/idle';
import { DEFAULT_WATCHLIST } from '../../shared/settings';

describe('idle stage watchlist', () => {
  it('is the default watchlist\'s simulated rows, moved to the benchmark\'s simulator; real exchanges are left out', () => {
    const { watchlist, leftOut } = idleWatchlist(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT', 'DOGE/USDT']);
    expect(watchlist.map((w) => `${w.exchange} ${w.symbol} ${w.channels.join('+')}`)).toEqual([
      'sim BTC/USDT ticker', 'sim ETH/USDT ticker', 'sim SOL/USDT ticker', 'sim BNB/USDT ticker', 'sim XRP/USDT ticker', 'sim ADA/USDT ticker',
    ]);
    expect(leftOut).toBe(DEFAULT_WATCHLIST.length - 6);
  });

  it('leaves out symbols the simulator does not serve, and counts them', () => {
    const { watchlist, leftOut } = idleWatchlist(['BTC/USDT']);
    expect(watchlist).toHaveLength(1);
    expect(leftOut).toBe(DEFAULT_WATCHLIST.length - 1);
  });
});
