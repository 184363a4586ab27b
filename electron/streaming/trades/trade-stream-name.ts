// Binance names a market's trade streams <lowercase market id>@trade and
// <lowercase market id>@aggTrade; ccxt's watchTrades subscribes one of them (its
// options choose which).

export function isTradeStreamOf(stream: string, lowercaseMarketId: string): boolean {
  return stream === `${lowercaseMarketId}@trade` || stream === `${lowercaseMarketId}@aggTrade`;
}

/** The market id as stream names spell it: ccxt's `lowercaseId`, else its `id` in lower case; undefined for no market. */
export function streamMarketId(market: unknown): string | undefined {
  if (typeof market !== 'object' || market === null) return undefined;
  const m = market as { lowercaseId?: unknown; id?: unknown };
  if (typeof m.lowercaseId === 'string') return m.lowercaseId;
  return typeof m.id === 'string' ? m.id.toLowerCase() : undefined;
}
