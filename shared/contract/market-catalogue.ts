// The market catalogue: every market an exchange lists (from ccxt loadMarkets; for
// Futu, what OpenD lists: adapters/futu/futu-catalogue.ts), in
// the compact form the symbol search needs. Sent by the streaming process once per
// load (not per tick), kept by the engine, and sent to a renderer only on request.
import { z } from 'zod';

/** Bounds of one exchange's catalogue: Binance lists ~3,000 spot markets, big derivative venues ~10,000. */
export const MAX_MARKETS_PER_EXCHANGE = 20_000;
export const MAX_MARKET_TEXT = 64;
/** `stock`: a share or fund on a stock exchange (brokers' cash equities). */
export const MARKET_TYPES = ['spot', 'swap', 'future', 'option', 'stock'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

const text = z.string().min(1).max(MAX_MARKET_TEXT);

export const MarketEntrySchema = z
  .object({
    /** The venue's notation as the watchlist takes it: ccxt's unified 'BTC/USDT', 'BTC/USDT:USDT'; Futu's 'HK.00700'. */
    symbol: text,
    base: text,
    quote: text,
    type: z.enum(MARKET_TYPES),
    active: z.boolean(),
  })
  .strict();
export type MarketEntry = z.infer<typeof MarketEntrySchema>;

export const ExchangeMarketsSchema = z
  .object({
    exchange: z.string().min(1).max(32),
    markets: z.array(MarketEntrySchema).max(MAX_MARKETS_PER_EXCHANGE),
  })
  .strict();
export type ExchangeMarkets = z.infer<typeof ExchangeMarketsSchema>;
