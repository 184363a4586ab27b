// The market catalogue from a real ccxt loadMarkets against the simulator: sent
// once per enabled exchange after configure, without any subscription, and large
// catalogues (5,000 markets) pass the contract's bounds.
import { createServer, type Server } from 'node:http';
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
