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

/** Stable string id of an instrument row: "exchange|symbol". Built and read only here. */
export function instrumentId(exchange: string, symbol: string): string {
  return `${exchange}|${symbol}`;
}

/** The exchange entry id of an instrument id (everything before the first "|"). */
export function exchangeOfInstrument(id: string): string {
  const bar = id.indexOf('|');
  return bar === -1 ? id : id.slice(0, bar);
}

export function parseSubscriptionId(id: string): SubscriptionKey | undefined {
  const parts = id.split('|');
  if (parts.length !== 3) return undefined;
  const [exchange, symbol, channel] = parts as [string, string, string];
  if (!(CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { exchange, symbol, channel: channel as Channel };
}

/** Where a value came from: the live socket or the REST polling fallback. */
export const DATA_SOURCES = ['ws', 'rest'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/** How an exchange is being served right now. */
export const EXCHANGE_MODES = ['live', 'polling', 'down'] as const;
export type ExchangeMode = (typeof EXCHANGE_MODES)[number];

/** Connection state of one exchange, as a trader reads it in the status bar. */
export const CONNECTION_STATES = ['idle', 'connecting', 'connected', 'reconnecting', 'stale', 'down', 'closed'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** State of one subscription. */
export const SUBSCRIPTION_STATES = ['subscribing', 'live', 'stale', 'reconnecting', 'polling', 'failed', 'unsubscribed'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/** Error classes the streaming process counts separately. */
export const ERROR_CLASSES = ['network', 'exchange', 'bad-symbol', 'rate-limit', 'malformed', 'timeout'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Why a connection went away (connection timeline). */
export const DISCONNECT_REASONS = ['close', 'keepalive', 'server-notice', 'rotation', 'stale', 'error', 'refused'] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

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
  'BOOK_RESYNC',
  'TRADES_GAP',
  /** A broker's notice about its own connections (IB data farms 2104/2106/2108...). */
  'NOTICE',
] as const;
export type ConnectionEventKind = (typeof CONNECTION_EVENT_KINDS)[number];

/**
 * Sync state of a full-depth order book: syncing (first snapshot pending), synced
 * (snapshot plus every diff since), resyncing (a gap, a crossed book or a reconnect:
 * a fresh snapshot is on its way), stale (no update for longer than allowed).
 */
export const BOOK_STATES = ['syncing', 'synced', 'resyncing', 'stale'] as const;
export type BookState = (typeof BOOK_STATES)[number];
/** The tick-batch code of a synced book (books from venues that push whole books, or keep them for us, are synced while connected). */
export const BOOK_SYNCED_CODE = BOOK_STATES.indexOf('synced');

/** Why a book was resynced. */
export const RESYNC_CAUSES = ['gap', 'crossed', 'reconnect'] as const;
export type ResyncCause = (typeof RESYNC_CAUSES)[number];

/** The book state a tick batch's numeric code stands for (undefined: not a state). */
export function bookStateOf(code: number): BookState | undefined {
  return BOOK_STATES[code];
}
