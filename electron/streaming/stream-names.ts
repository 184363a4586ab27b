// The names Binance gives a market's streams, as its SUBSCRIBE confirmations list
// them: <lowercase market id>@trade or @aggTrade (ccxt's watchTrades subscribes one
// of them, as its options choose) and <lowercase market id>@ticker (watchTicker with
// name 'ticker', channel-calls.ts).

export function isTradeStreamOf(stream: string, lowercaseMarketId: string): boolean {
  return stream === `${lowercaseMarketId}@trade` || stream === `${lowercaseMarketId}@aggTrade`;
}

export function isTickerStreamOf(stream: string, lowercaseMarketId: string): boolean {
  return stream === `${lowercaseMarketId}@ticker`;
}

/** The market id as stream names spell it: ccxt's `lowercaseId`, else its `id` in lower case; undefined for no market. */
export function streamMarketId(market: unknown): string | undefined {
  if (typeof market !== 'object' || market === null) return undefined;
  const m = market as { lowercaseId?: unknown; id?: unknown };
  if (typeof m.lowercaseId === 'string') return m.lowercaseId;
  return typeof m.id === 'string' ? m.id.toLowerCase() : undefined;
}
