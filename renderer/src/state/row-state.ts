// How a watchlist row should look: derived from its data, its subscription's state
// and whether the host is reachable. The rule of thumb is honesty: numbers are only
// shown as live while something vouches for them.
import type { TickerRow } from '../../../shared/contract/renderer-api';
import type { SubscriptionStatus } from '../../../shared/contract/status';
import type { DataSource, ExchangeMode } from '../../../shared/market';

export const ROW_STATES = ['live', 'behind', 'stale', 'reconnecting', 'polling', 'failed', 'waiting'] as const;
export type RowState = (typeof ROW_STATES)[number];

/**
 * How many stale limits the exchange's word that a market is only quiet holds: the
 * streaming process asks again once the silence since its last answer passes half the
 * limit, so the next word comes within about one limit (half, the watchdog's tick, the
 * request, the status); two leave room for a slow answer.
 */
export const QUIET_WORD_LIMITS = 2;

export interface RowStateInput {
  hasData: boolean;
  /** Where the displayed numbers came from (undefined when there are none). */
  dataSource: DataSource | undefined;
  subscription: (Pick<SubscriptionStatus, 'state' | 'source'> & Partial<Pick<SubscriptionStatus, 'behind' | 'tradesShed'>>) | undefined;
  /** now − the subscription's quietAt (the exchange said the data is current), or null. */
  quietAgeMs?: number | null;
  /** The row's exchange mode from the latest status, if any. */
  exchangeMode?: ExchangeMode | undefined;
  hostConnected: boolean;
  /** now − receivedAt of the last update, or null without data. */
  ageMs: number | null;
  /**
   * Beyond this age a row vouched for as live is shown stale anyway (lost status
   * updates), unless the exchange said lately (QUIET_WORD_LIMITS) that its market is
   * only quiet.
   */
  staleAfterMs: number;
  /** Same guard for polled rows, whose updates are naturally slower. */
  pollStaleAfterMs: number;
}

/**
 * Whether a row carries market data at all. Main may send placeholder rows for
 * watched symbols that never received anything (all prices null): those are "waiting".
 */
export function hasQuote(row: Pick<TickerRow, 'bid' | 'ask' | 'last'> | null): boolean {
  return row !== null && (row.last !== null || row.bid !== null || row.ask !== null);
}

export interface RowLook {
  state: RowState;
  source: DataSource;
  /** Badge text: the state, qualified for rows without data ("waiting · reconnecting"). */
  badge: string;
}

export function deriveRowLook(input: RowStateInput): RowLook {
  const sub = input.subscription;
  const source: DataSource = input.dataSource ?? sub?.source ?? 'ws';
  if (sub?.state === 'failed') return { state: 'failed', source, badge: 'failed' };
  const exchangeDown = input.exchangeMode === 'down';
  if (!input.hasData) {
    const why =
      sub && sub.state !== 'live' && sub.state !== 'subscribing' ? ` · ${sub.state}` : exchangeDown ? ' · exchange down' : '';
    return { state: 'waiting', source, badge: `waiting${why}` };
  }
  if (!input.hostConnected) return { state: 'stale', source, badge: 'stale · host' };
  if (!sub && exchangeDown) return { state: 'stale', source, badge: 'stale · exchange down' };

  let state: RowState;
  switch (sub?.state) {
    case 'stale':
    case 'unsubscribed':
      state = 'stale';
      break;
    case 'reconnecting':
    case 'subscribing': // re-subscribing after a reconnect: the numbers are from before
      state = 'reconnecting';
      break;
    case 'polling':
      state = 'polling';
      break;
    case 'live':
      state = 'live';
      break;
    default: // no status yet: trust the data's own source
      state = source === 'rest' ? 'polling' : 'live';
  }
  const limit = state === 'polling' ? input.pollStaleAfterMs : input.staleAfterMs;
  if ((state === 'live' || state === 'polling') && input.ageMs !== null && input.ageMs > limit) {
    const quiet = state === 'live' && input.quietAgeMs != null && input.quietAgeMs <= QUIET_WORD_LIMITS * limit;
    if (!quiet) return { state: 'stale', source, badge: 'stale' };
    // Old numbers the exchange vouched for: current, in a market that does not trade.
    if (!sub?.behind) return { state, source, badge: 'live · quiet' };
  }
  // Overload: the numbers are live but may lag the market, and trades shed are named.
  if (state === 'live' && sub?.behind) state = 'behind';
  const shed = sub?.tradesShed ? ` · ${sub.tradesShed} trades shed` : '';
  return { state, source, badge: `${state}${shed}` };
}

const SEVERITY: Record<SubscriptionStatus['state'], number> = {
  live: 0,
  subscribing: 1,
  polling: 2,
  stale: 3,
  reconnecting: 4,
  unsubscribed: 5,
  failed: 6,
};

/** The status that speaks for a row: its ticker channel, else its worst channel. */
export function pickRowSubscription(subs: readonly SubscriptionStatus[]): SubscriptionStatus | undefined {
  const ticker = subs.find((s) => s.channel === 'ticker');
  // Trades shed are counted on the trades channel; the row names them whoever speaks for it.
  const shed = subs.find((s) => s.channel === 'trades' && s.tradesShed)?.tradesShed;
  if (ticker) return shed && ticker.tradesShed !== shed ? { ...ticker, tradesShed: shed } : ticker;
  let worst: SubscriptionStatus | undefined;
  for (const s of subs) if (!worst || SEVERITY[s.state] > SEVERITY[worst.state]) worst = s;
  return worst;
}
