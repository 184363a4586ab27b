// Stream names as Binance spot spells them: '<symbol>@<kind>[@<speed>]' and
// '<symbol>@kline_<interval>', symbol in lower case.
import { isKlineInterval, type KlineInterval } from './klines';

export type StreamKind = 'ticker' | 'miniTicker' | 'trade' | 'aggTrade' | 'bookTicker' | 'depth' | 'kline' | 'allTickers' | 'allMiniTickers';

export interface ParsedStream {
  /** Lower-case exchange id, e.g. 'btcusdt'; '' for the all-market streams. */
  lowerId: string;
  kind: StreamKind;
  /** The candle interval of a kline stream. */
  interval?: KlineInterval;
}

/** All-market streams: one array of every symbol's ticker per message. */
const ALL: Record<string, StreamKind> = { '!ticker@arr': 'allTickers', '!miniTicker@arr': 'allMiniTickers' };

const KINDS: Record<string, StreamKind> = {
  ticker: 'ticker',
  miniTicker: 'miniTicker',
  trade: 'trade',
  aggTrade: 'aggTrade',
  bookTicker: 'bookTicker',
  depth: 'depth',
  'depth@100ms': 'depth',
  'depth@1000ms': 'depth',
};

const NAME = /^([a-z0-9]+)@([A-Za-z]+(?:@\d+ms)?)$/;
const KLINE = /^([a-z0-9]+)@kline_([0-9a-zA-Z]+)$/;

/** Parses a stream name; undefined when the syntax or the kind is unknown (the symbol is not checked). */
export function parseStream(name: string): ParsedStream | undefined {
  const all = ALL[name];
  if (all) return { lowerId: '', kind: all };
  const k = KLINE.exec(name);
  if (k) return isKlineInterval(k[2]!) ? { lowerId: k[1]!, kind: 'kline', interval: k[2] } : undefined;
  const m = NAME.exec(name);
  if (!m) return undefined;
  const kind = KINDS[m[2]!];
  if (!kind) return undefined;
  return { lowerId: m[1]!, kind };
}
