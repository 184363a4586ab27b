// One subscription's state in a session, apart from the row target its data is
// written through (the tick path touches only the target). Also the watchdog's
// measure of silence, and the status row the engine sees.
import type { SubscriptionStatus } from '../../shared/contract/status';
import { SOURCE_REST, SOURCE_WS } from '../../shared/contract/tick-batch';
import type { Owner } from '../../shared/lifecycle/owner';
import { instrumentId, subscriptionId, type DataSource, type ErrorClass, type SubscriptionKey, type SubscriptionState } from '../../shared/market';
import { BookSync } from './book/book-sync';
import { TapeContinuity } from './trades/tape-continuity';
import type { RowTarget } from './channel-calls';

export interface Subscription {
  readonly id: string;
  readonly key: SubscriptionKey;
  readonly target: RowTarget;
  /** Owns the subscription's watch loop. */
  readonly owner: Owner;
  state: SubscriptionState;
  source: DataSource;
  lastDataAt: number;
  /** When the exchange last said over REST that this silent live stream's market is only quiet (silent-stream-check.ts); -Infinity: never. */
  quietAt: number;
  /** When the current watch was issued while not yet live (the stale clock starts here). */
  armedAt: number;
  /** Reconnect-gate epoch under which the current watch was issued. */
  epoch: number;
  url: string | undefined;
  error: { class: ErrorClass; message: string } | undefined;
  /** Newest trade time seen over REST (polling fetches overlapping windows). */
  lastTradeTs: number;
  malformedStreak: number;
  /** Trade subscriptions: holes in the tape since subscribing, and what REST recovered. */
  tapeGaps: { gaps: number; recovered: number; unrecovered: number };
  /** Served delayed by the broker (no live data permission): every row of it is shown as delayed. */
  delayed: boolean;
}

/** A new subscription, subscribing over the socket; `target` minus its instrument and source. */
export function createSubscription(key: SubscriptionKey, owner: Owner, rows: Omit<RowTarget, 'instrument' | 'source' | 'tradesShed'>, at: number, epoch: number): Subscription {
  const id = subscriptionId(key);
  const target: RowTarget = { ...rows, instrument: instrumentId(key.exchange, key.symbol), source: SOURCE_WS, tradesShed: 0 };
  if (key.channel === 'book') target.book = new BookSync();
  if (key.channel === 'trades') target.tape = new TapeContinuity();
  return { id, key, target, owner: owner.child(id), state: 'subscribing', source: 'ws', lastDataAt: 0, quietAt: -Infinity, armedAt: at, epoch, url: undefined, error: undefined, lastTradeTs: -Infinity, malformedStreak: 0, tapeGaps: { gaps: 0, recovered: 0, unrecovered: 0 }, delayed: false };
}

/** Where the subscription's rows come from now; the rows carry it too. */
export function useSource(sub: Subscription, source: DataSource): void {
  sub.source = source;
  sub.target.source = source === 'ws' ? SOURCE_WS : SOURCE_REST;
}

/**
 * How long the subscription has been silent at `t`, or NaN when silence does not
 * matter in its state. Not yet live, the clock starts when its watch was issued.
 * A frame on its socket (`socketFrameAt`) counts too: the exchange is still sending
 * to us, whatever keeps this stream's data from being delivered yet. So does the
 * exchange's word that a live stream's market is only quiet (`quietAt`).
 */
export function silentFor(sub: Subscription, t: number, socketFrameAt = -Infinity): number {
  if (sub.state === 'live') return t - Math.max(sub.lastDataAt, sub.quietAt, socketFrameAt);
  if (sub.state === 'subscribing' || sub.state === 'reconnecting') return t - Math.max(sub.lastDataAt, sub.armedAt, socketFrameAt);
  return NaN;
}

/** REST data arrived while falling back (`rx` NaN: nothing usable); true when the state shown changed. */
export function polled(sub: Subscription, rx: number): boolean {
  if (!Number.isNaN(rx)) sub.lastDataAt = rx;
  sub.error = undefined;
  if (sub.state === 'polling' && sub.source === 'rest') return false;
  sub.state = 'polling';
  sub.source = 'rest';
  return true;
}

export function subscriptionStatus(s: Subscription, behind = false): SubscriptionStatus {
  const st: SubscriptionStatus = { id: s.id, exchange: s.key.exchange, symbol: s.key.symbol, channel: s.key.channel, state: s.state, source: s.source };
  if (behind) st.behind = true;
  if (s.target.tradesShed > 0) st.tradesShed = s.target.tradesShed;
  if (s.lastDataAt) st.lastDataAt = s.lastDataAt;
  if (s.quietAt > s.lastDataAt) st.quietAt = s.quietAt;
  if (s.error) st.error = { ...s.error };
  if (s.target.tape) st.tape = { ...s.tapeGaps };
  const book = s.target.book;
  if (book) st.book = { state: book.state, resyncs: { ...book.resyncsBy }, ...(Number.isNaN(book.lastUpdateId) ? {} : { lastUpdateId: book.lastUpdateId }) };
  if (s.delayed) st.delayed = true;
  return st;
}
