// Binance names a market's trade streams <lowercase market id>@trade and
// <lowercase market id>@aggTrade; ccxt's watchTrades subscribes one of them (its
// options choose which).

export function isTradeStreamOf(stream: string, lowercaseMarketId: string): boolean {
  return stream === `${lowercaseMarketId}@trade` || stream === `${lowercaseMarketId}@aggTrade`;
}
