// The market catalogue from a real ccxt loadMarkets against the simulator: sent
// once per enabled exchange after configure, without any subscription, and large
// catalogues (5,000 markets) pass the contract's bounds. The market cache: a second
// start subscribes on the markets the first one stored, with real ccxt.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFromStreaming, type FromStreaming } from '../../shared/contract/streaming-protocol';
import { memoryChannel } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { fastStreaming, Harness } from './streaming-harness';

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

describe('streaming: the market cache', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const exchangeInfoAsked = (harness: Harness) => harness.sim.restLog().filter((r) => r.path.endsWith('/exchangeInfo')).length;

  it('a second start subscribes on the stored markets without asking the exchange; a symbol they lack is asked for first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foxtrot-markets-'));
    dirs.push(dir);
    const file = join(dir, 'sim.json');

    // First start: nothing stored; the exchange is asked once (the idle load and the
    // first connection share it), and what it listed is stored.
    h = new Harness({ symbols: 50 });
    h.marketCacheDir = dir;
    await h.start();
    h.subscribe(['SOL/USDT']);
    await h.until(() => h!.tickerRows('sim|SOL/USDT') >= 1, 'SOL ticks', 20_000);
    expect(exchangeInfoAsked(h)).toBe(1);
    const stored = await h.until(() => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { markets: Record<string, unknown> };
      } catch {
        return undefined;
      }
    }, 'the cache file', 10_000);
    expect(Object.keys(stored.markets)).toHaveLength(50);
    await h.stop();

    // Second start, another simulator (another port) with the same markets, minus
    // ETH/USDT in the stored list: SOL starts on the stored markets, no exchangeInfo.
    delete stored.markets['ETH/USDT'];
    writeFileSync(file, JSON.stringify(stored));
    h = new Harness({ symbols: 50 });
    h.marketCacheDir = dir;
    await h.start();
    h.subscribe(['SOL/USDT']);
    await h.until(() => h!.tickerRows('sim|SOL/USDT') >= 1, 'SOL ticks from the stored markets', 20_000);
    expect(exchangeInfoAsked(h)).toBe(0);
    expect(h.of('markets')[0]?.catalogue.markets).toHaveLength(49);
    // ETH/USDT is not refused on the stored list's word: a chart on it (its own ccxt
    // instance, given the stored list) asks the exchange and gets its candles...
    h.parent.send({ type: 'candles-open', key: { exchange: 'sim', symbol: 'ETH/USDT', timeframe: '1m' }, consumer: 'chart-1' });
    const history = await h.until(() => h!.of('candle-history').find((m) => m.key.symbol === 'ETH/USDT'), 'ETH candle history', 20_000);
    expect(history.state).toBe('live');
    expect(history.candles.length).toBeGreaterThan(0);
    // never "binance does not have market symbol ETH/USDT" (it said so until the 10 s check)
    expect(h.of('candle-state').filter((m) => m.error !== undefined)).toEqual([]);
    expect(exchangeInfoAsked(h)).toBe(1);
    // ...and so does the tick session before it subscribes; then it streams.
    h.subscribe(['ETH/USDT']);
    await h.until(() => h!.tickerRows('sim|ETH/USDT') >= 1, 'ETH ticks', 20_000);
    expect(exchangeInfoAsked(h)).toBe(2);
    expect(h.of('markets').at(-1)?.catalogue.markets).toHaveLength(50);
    expect(h.invalid).toEqual([]);
  });
});

describe('streaming: an exchange whose markets never load', () => {
  let silent: Server | undefined;
  afterEach(() => {
    silent?.closeAllConnections();
    silent?.close();
  });

  it('holds up neither shutdown nor the report: the load is cut short', async () => {
    // Accepts every request and never answers: loadMarkets would wait for ccxt's timeout.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const { child, parent } = memoryChannel();
    const received: FromStreaming[] = [];
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (p.ok) received.push(p.value);
    });
    const service = new StreamingService({ port: child, exit: () => undefined });
    service.start();
    parent.send({
      type: 'configure',
      exchanges: [{ id: 'mute', ccxtId: 'binance', simulated: false, enabled: true, urls: { rest: `http://127.0.0.1:${port}/api/v3`, ws: `ws://127.0.0.1:${port}/ws` } }],
      streaming: fastStreaming(),
      parentPid: process.pid,
      heartbeatMs: 200,
    });
    const t0 = Date.now();
    while (!service.allTasks()['load-markets'] && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(service.allTasks()['load-markets']).toBe(1);
    const report = await service.shutdown(2000);
    expect(report.clean).toBe(true);
    expect(report.durationMs).toBeLessThan(2000);
    expect(received.filter((m) => m.type === 'markets')).toEqual([]);
  });
});
