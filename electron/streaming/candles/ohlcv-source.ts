// A ccxt (pro) exchange as the candle feeds' source: every call waits for the
// exchange to be ready (markets loaded), and a stalled stream is redialled by
// closing the sockets that carry its symbol.
import type { OhlcvSource } from './candle-feed';
import { redialSockets } from './candle-sockets';
import type { WsClientLike } from '../instrumented-exchange';

/** The part of a ccxt exchange the source calls (its OHLCV and trade rows are wider than the feed's types). */
export interface CcxtCandleExchange {
  has: Record<string, unknown>;
  clients: Record<string, WsClientLike>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown>;
  watchOHLCV(symbol: string, timeframe?: string): Promise<unknown>;
  watchTrades(symbol: string): Promise<unknown>;
}

/** `redialled`: told of each redial (for the log), with the number of sockets closed. */
export function ohlcvSourceOf(ex: CcxtCandleExchange, ready: Promise<unknown>, redialled: (symbol: string, sockets: number, why: Error) => void): OhlcvSource {
  /* eslint-disable @typescript-eslint/no-explicit-any -- ccxt's rows, as the feed validates them (toCandles) */
  return {
    has: ex.has,
    fetchOHLCV: async (...a) => (await ready, (await ex.fetchOHLCV(...a)) as any),
    watchOHLCV: async (...a) => (await ready, (await ex.watchOHLCV(...a)) as any),
    watchTrades: async (symbol) => (await ready, (await ex.watchTrades(symbol)) as any),
    redial: (symbol, why) => redialled(symbol, redialSockets(ex.clients, symbol, why), why),
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
