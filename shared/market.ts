// Domain vocabulary shared by every process. Pure types and tiny helpers only:
// nothing here may import Node, Electron, ccxt or the DOM.

/** A market data channel a subscription can carry. */
export const CHANNELS = ['ticker', 'trades', 'book'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a trader subscribes to: one channel of one symbol on one exchange. */
export interface SubscriptionKey {
  /** The exchange entry's id in settings (e.g. "sim", "binance"), not the ccxt id. */
  exchange: string;
  /** Unified ccxt symbol, e.g. "BTC/USDT". */
  symbol: string;
  channel: Channel;
}

/** Stable string id of a subscription: "exchange|symbol|channel". */
export function subscriptionId(key: SubscriptionKey): string {
  return `${key.exchange}|${key.symbol}|${key.channel}`;
}

/** Stable string id of an instrument row: "exchange|symbol". */
export function instrumentId(exchange: string, symbol: string): string {
  return `${exchange}|${symbol}`;
}

export function parseSubscriptionId(id: string): SubscriptionKey | undefined {
  const parts = id.split('|');
  if (parts.length !== 3) return undefined;
  const [exchange, symbol, channel] = parts as [string, string, string];
  if (!(CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { exchange, symbol, channel: channel as Channel };
}

/** Where a value came from: the live socket or the REST polling fallback. */
export type DataSource = 'ws' | 'rest';

/** How an exchange is being served right now. */
export type ExchangeMode = 'live' | 'polling' | 'down';

/** Connection state of one exchange, as a trader reads it in the status bar. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stale' | 'down' | 'closed';

/** State of one subscription. */
export type SubscriptionState =
  | 'subscribing'
  | 'live'
  | 'stale'
  | 'reconnecting'
  | 'polling'
  | 'failed'
  | 'unsubscribed';

/** Error classes the streaming process counts separately. */
export const ERROR_CLASSES = ['network', 'exchange', 'bad-symbol', 'rate-limit', 'malformed', 'timeout'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Why a connection went away (connection timeline). */
export type DisconnectReason = 'close' | 'keepalive' | 'server-notice' | 'rotation' | 'stale' | 'error' | 'refused';

/** Events of the structured connection log. */
export const CONNECTION_EVENT_KINDS = [
  'CONNECTING',
  'CONNECTED',
  'DISCONNECTED',
  'RECONNECTING',
  'SUBSCRIBING',
  'SUBSCRIBED',
  'UNSUBSCRIBED',
  'STALE',
  'FALLBACK',
  'RECOVERED',
  'ROTATING',
  'FAILED',
  /** A broker's notice about its own connections (IB data farms 2104/2106/2108...). */
  'NOTICE',
] as const;
export type ConnectionEventKind = (typeof CONNECTION_EVENT_KINDS)[number];
