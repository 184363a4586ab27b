// The ceiling: raw ccxt (ccxt.pro.binance pointed at the simulator, exactly as the
// streaming process points it) in one Node process, watchTicker / watchTrades
// loops over N symbols, no Foxtrot code in between. Counts ticker and trade
// messages ccxt parsed (its handleTicker / handleTrade calls) and the updates the
// watch calls resolved with; CPU from process.cpuUsage(). The screen stage also
// watches books and 1m candles, on two simulators at once (one exchange each, in
// this one process, as the streaming process holds one session per exchange).
import ccxt from 'ccxt';
import { pointCcxtAt } from '../simulator/ccxt-config';
import { serveRpc } from './rpc';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt's exchange classes are untyped here */
const exchanges: any[] = [];
let running = false;
let parsed = 0;
let resolved = 0;
const loops: Promise<void>[] = [];

/** Market data events counted as parsed ticks (binance's payload "e"). */
const TICK_EVENTS = new Set(['24hrTicker', 'trade', 'depthUpdate', 'kline']);

/** `urls`: the simulator to watch (default SIM_REST / SIM_WS); each call adds an exchange. */
async function watch(symbols: string[], channels: string[], urls?: { rest: string; ws: string }): Promise<void> {
  const ex = new (ccxt.pro as any).binance({ enableRateLimit: false, newUpdates: true, options: { fetchMarkets: { types: ['spot'] } } });
  exchanges.push(ex);
  pointCcxtAt(ex, urls ?? { rest: process.env.SIM_REST!, ws: process.env.SIM_WS! });
  // every socket message goes through handleMessage (binance routes 24hrTicker to
  // handleTickers and trade to handleTrade from there): count the ones it parses as ticks
  const orig = ex.handleMessage as (client: unknown, message: { e?: unknown }) => unknown;
  ex.handleMessage = function (this: unknown, client: unknown, message: { e?: unknown }) {
    if (TICK_EVENTS.has(message?.e as string)) parsed++;
    return orig.call(this, client, message);
  };
  await ex.loadMarkets();
  running = true;
  for (const symbol of symbols) {
    if (channels.includes('ticker'))
      loops.push((async () => {
        while (running) {
          try {
            await ex.watchTicker(symbol, { name: 'ticker' });
            resolved++;
          } catch {
            if (running) await new Promise((r) => setTimeout(r, 100));
          }
        }
      })());
    if (channels.includes('trades'))
      loops.push((async () => {
        while (running) {
          try {
            const trades = (await ex.watchTrades(symbol)) as unknown[];
            resolved += trades.length;
          } catch {
            if (running) await new Promise((r) => setTimeout(r, 100));
          }
        }
      })());
    if (channels.includes('book')) loop(() => ex.watchOrderBook(symbol));
    if (channels.includes('ohlcv')) loop(() => ex.watchOHLCV(symbol, '1m'));
  }
}

/** A watch loop that counts each resolved update; a failed watch is retried (a book resync raises once). */
function loop(watchOnce: () => Promise<unknown>): void {
  loops.push((async () => {
    while (running) {
      try {
        await watchOnce();
        resolved++;
      } catch {
        if (running) await new Promise((r) => setTimeout(r, 100));
      }
    }
  })());
}
/* eslint-enable @typescript-eslint/no-explicit-any */

serveRpc({
  watch: async ({ symbols, channels, urls }: { symbols: string[]; channels: string[]; urls?: { rest: string; ws: string } }) => {
    await watch(symbols, channels, urls);
  },
  counts: () => {
    const cpu = process.cpuUsage();
    return { parsed, resolved, cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage().rss, at: performance.now() };
  },
  stop: async () => {
    running = false;
    try {
      await Promise.race([Promise.all(exchanges.map((ex) => ex.close())), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      setImmediate(() => process.exit(0));
    }
  },
});
