// The market catalogue: every market an exchange lists (from ccxt loadMarkets), in
// the compact form the symbol search needs. Sent by the streaming process once per
// load (not per tick), kept by the engine, and sent to a renderer only on request.
import { z } from 'zod';

/** Bounds of one exchange's catalogue: Binance lists ~3,000 spot markets, big derivative venues ~10,000. */
export const MAX_MARKETS_PER_EXCHANGE = 20_000;
export const MAX_MARKET_TEXT = 64;
export const MARKET_TYPES = ['spot', 'swap', 'future', 'option'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

const text = z.string().min(1).max(MAX_MARKET_TEXT);

export const MarketEntrySchema = z
  .object({
    /** ccxt unified symbol: 'BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC-251226'. */
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
