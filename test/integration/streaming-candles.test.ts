// Candles through the streaming process's protocol: candles-open starts a series
// (history, then live updates, all valid on the engine's side), candles-close of
// the last consumer stops it, and the process still shuts down clean.
import { afterEach, describe, expect, it } from 'vitest';
import type { CandleKey } from '../../shared/contract/candles';
import { Harness } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('streaming process: candles', () => {
  it('opens a series on demand, streams it, stops it with its last consumer, and shuts down clean', async () => {
    h = await new Harness().start();
    const key: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1s' };
    h.parent.send({ type: 'candles-open', key, consumer: 'chart-1' });
    h.parent.send({ type: 'candles-open', key: { ...key, exchange: 'nope' }, consumer: 'chart-1' });
    const history = await h.until(() => h!.of('candle-history')[0], 'candle history');
    expect(history.state).toBe('live');
    await h.until(() => h!.of('candle-update').length >= 3, 'live candle updates');
    expect(h.of('candle-state').find((m) => m.key.exchange === 'nope')).toMatchObject({ state: 'error' });
    expect(h.invalid).toEqual([]);
    expect(h.service.workTasks()['candle-feed']).toBe(1);
    h.parent.send({ type: 'candles-close', key, consumer: 'chart-1' });
    await h.until(() => h!.service.workTasks()['candle-feed'] === undefined, 'the series stopped');
    const after = h.of('candle-update').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.of('candle-update').length).toBe(after);
    const report = await h.service.shutdown(3000);
    expect(report.clean).toBe(true);
  }, 20_000);

  it('a chart opened with the first rows takes the tick session\'s markets: the exchange lists them once', async () => {
    h = await new Harness().start();
    // as at start-up: configure (the search's market load), the watchlist and a chart at once
    h.subscribe(['BTC/USDT']);
    h.parent.send({ type: 'candles-open', key: { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' }, consumer: 'chart-1' });
    await h.until(() => h!.of('candle-history')[0], 'candle history');
    await h.until(() => h!.tickerRows('sim|BTC/USDT') >= 1, 'BTC ticks');
    expect(h.sim.restLog().filter((r) => r.path.endsWith('/exchangeInfo'))).toHaveLength(1);
    expect(h.invalid).toEqual([]);
  }, 20_000);
});
