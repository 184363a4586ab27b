// Builders shared by the renderer unit tests.
import type { TickerRow } from '../../shared/contract/renderer-api';
import { instrumentId } from '../../shared/market';

export function tickerRow(exchange: string, symbol: string, over: Partial<TickerRow> = {}): TickerRow {
  return {
    key: instrumentId(exchange, symbol),
    exchange,
    symbol,
    bid: 99.5,
    ask: 100.5,
    last: 100,
    changePct: 1.5,
    volume: 12_345,
    eventTime: 990,
    receivedAt: 1000,
    source: 'ws',
    ...over,
  };
}
