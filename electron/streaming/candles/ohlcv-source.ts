// A ccxt (pro) exchange as the candle feeds' source: every call waits for the
// exchange to be ready for its symbol (markets that hold it), and a stalled stream
// is redialled by closing the sockets that carry its symbol.
import type { OhlcvSource } from './candle-feed';
import { redialSockets } from './candle-sockets';
import { undeliveredKlines } from '../undelivered-updates';
import type { WsClientLike } from '../instrumented-exchange';

/** The part of a ccxt exchange the source calls (its OHLCV and trade rows are wider than the feed's types). */
export interface CcxtCandleExchange {
  has: Record<string, unknown>;
  clients: Record<string, WsClientLike>;
  markets?: Record<string, unknown>;
  loadMarkets(reload?: boolean): Promise<unknown>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown>;
  watchOHLCV(symbol: string, timeframe?: string): Promise<unknown>;
  watchTrades(symbol: string): Promise<unknown>;
  /** ccxt pro's kline caches (ArrayCacheByTimestamp), by symbol and timeframe. */
  ohlcvs?: Record<string, Record<string, unknown> | undefined>;
}

/**
 * The `ready` of ohlcvSourceOf for an exchange whose markets are set by `prepared`
 * (the tick session's, perhaps cached): a symbol they lack is not refused on their
 * word, the exchange's list is loaded first, once per such symbol (one still missing
 * then is refused by ccxt as any unknown symbol; concurrent reloads are joined by ccxt).
 */
export function readyForSymbol(ex: Pick<CcxtCandleExchange, 'markets' | 'loadMarkets'>, prepared: Promise<unknown>): (symbol: string) => Promise<void> {
  const askedFor = new Set<string>();
  return async (symbol) => {
    await prepared;
    if (!ex.markets || Object.hasOwn(ex.markets, symbol) || askedFor.has(symbol)) return;
    askedFor.add(symbol);
    await ex.loadMarkets(true);
  };
}

/**
 * `ready(symbol)`: settles once the exchange can take calls for `symbol`.
 * `redialled`: told of each redial (for the log), with the number of sockets closed.
 */
export function ohlcvSourceOf(ex: CcxtCandleExchange, ready: (symbol: string) => Promise<unknown>, redialled: (symbol: string, sockets: number, why: Error) => void): OhlcvSource {
  /* eslint-disable @typescript-eslint/no-explicit-any -- ccxt's rows, as the feed validates them (toCandles) */
  return {
    has: ex.has,
    fetchOHLCV: async (symbol, ...a) => (await ready(symbol), (await ex.fetchOHLCV(symbol, ...a)) as any),
    watchOHLCV: async (symbol, ...a) => (await ready(symbol), (await ex.watchOHLCV(symbol, ...a)) as any),
    watchTrades: async (symbol) => (await ready(symbol), (await ex.watchTrades(symbol)) as any),
    redial: (symbol, why) => redialled(symbol, redialSockets(ex.clients, symbol, why), why),
    undeliveredOHLCV: (symbol, timeframe) => undeliveredKlines(ex.ohlcvs?.[symbol]?.[timeframe]),
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
