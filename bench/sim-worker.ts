// The benchmark's exchange simulator, in its own process so its CPU is not
// counted as Foxtrot's. Counts every trade payload sent per stream and keeps the
// last ticker payload per stream, so the benchmark can check losses and
// convergence. Driven over IPC (rpc.ts).
import { ExchangeSimulator } from '../simulator/exchange-simulator';
import { serveRpc } from './rpc';

const symbols = Number(process.argv[2] ?? 500);
// Load stages: one message = one market step (the stream skips the step's other
// trades). 'every-trade': every trade streamed, as an exchange and the app's own
// simulator do (the idle stage: skipped trades are tape gaps the app recovers over REST).
const everyTrade = process.argv[3] === 'every-trade';
const sim = new ExchangeSimulator({ symbols, ratePerSymbol: 0, everyTrade });
let tradesSent = 0;
const lastTicker = new Map<string, string>();

sim.onSend = (stream, json) => {
  // stream names end in @trade / @ticker; one comparison of the last char is enough on the hot path
  if (stream.charCodeAt(stream.length - 1) === 101 /* e */) tradesSent++;
  else if (stream.endsWith('@ticker')) lastTicker.set(stream, json);
};

serveRpc({
  start: async () => {
    await sim.start();
    return { urls: sim.urls, symbols: sim.symbols };
  },
  setRate: ({ rate }: { rate: number }) => sim.setRate(rate),
  view: () => {
    const v = sim.view();
    return { connections: v.connections.length, streams: Object.keys(v.streams).length, totals: v.totals };
  },
  resetCounts: () => {
    tradesSent = 0;
    lastTicker.clear();
  },
  /** Trades sent since reset and the last ticker's bid/ask per symbol (exchange id). */
  snapshot: () => {
    const tickers: Record<string, { bid: number; ask: number; E: number }> = {};
    for (const json of lastTicker.values()) {
      const t = JSON.parse(json) as { s: string; b: string; a: string; E: number };
      tickers[t.s] = { bid: Number(t.b), ask: Number(t.a), E: t.E };
    }
    return { tradesSent, tickers, streams: lastTicker.size, totals: sim.view().totals };
  },
  cpu: () => process.cpuUsage(),
  stop: async () => {
    await sim.stop();
    setImmediate(() => process.exit(0));
  },
});
