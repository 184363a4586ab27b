// The adapter contract: what every market-data venue (ccxt exchanges, Interactive
// Brokers, Futu) offers the streaming service, and what a push-style broker offers
// the generic session that owns its recovery.
//
// Two levels, because the venues differ in who drives the data:
//   - MarketSession: what the streaming service runs per exchange entry. Subscribe
//     and unsubscribe per (instrument, channel), statuses, outages (through the
//     EventLog), statistics, shutdown. ExchangeSession (ccxt) and BrokerSession
//     (IB, Futu) implement it.
//   - BrokerAdapter: the venue-specific calls of a broker that pushes data (dial,
//     request per channel, cancel, hang up). BrokerSession composes the shared
//     machinery around it (ReconnectGate, OutageTracker, SilenceWatchdog,
//     SessionStats), so reconnect backoff, outage records, stale detection and
//     restore-exactly-once are written once for every broker.
// ccxt pulls (a watch loop per subscription, ccxt reconnecting on the next call),
// so its session composes the same parts around watch loops instead.
import type { MarketEntry } from '../../../shared/contract/market-catalogue';
import type { ExchangeStatus, SubscriptionStatus } from '../../../shared/contract/status';
import type { Owner } from '../../../shared/lifecycle/owner';
import type { TurnYield } from '../turn-yield';
import type { Scheduler } from '../../../shared/lifecycle/timers';
import type { ErrorClass, SubscriptionKey } from '../../../shared/market';
import type { ExchangeSettings, StreamingSettings } from '../../../shared/settings';
import type { EventLog } from '../event-log';
import type { Subscription } from '../subscription';
import type { TickSink } from '../tick-sink';

/** What the streaming service holds per exchange entry, whatever the venue. */
export interface MarketSession {
  readonly id: string;
  /** Starts each key not subscribed yet; a key already subscribed is left alone. */
  subscribe(keys: SubscriptionKey[]): Promise<void>;
  unsubscribe(keys: SubscriptionKey[]): Promise<void>;
  /** Stops accepting work, ends every subscription and closes every connection. */
  close(): Promise<void>;
  status(): ExchangeStatus;
  subscriptionStatuses(): SubscriptionStatus[];
  /** Loads the venue's market list for the symbol search (SessionDeps.markets), where the venue has one. */
  loadMarkets?(): void;
  /** ccxt's markets and currencies once a load in flight is over (another ccxt instance of the exchange takes them instead of loading its own). */
  knownMarkets?(): Promise<KnownMarkets | undefined>;
  /** The process's load at each heartbeat (event-loop lag, longest tick wait): the session judges whether it is behind. */
  sampleLoad?(loopLagMs: number, maxDelayMs: number): void;
}

/** What every session gets from the streaming service. */
/** A ccxt exchange's markets and currencies, as setMarkets takes them. */
export interface KnownMarkets {
  markets: unknown;
  currencies: unknown;
}

export interface SessionDeps {
  settings: ExchangeSettings;
  streaming: StreamingSettings;
  /** The session's owner: everything the session starts is registered under it. */
  owner: Owner;
  sink: TickSink;
  log: EventLog;
  changed: () => void;
  /** The exchange's markets loaded (once per load, never per tick); ccxt sessions give ccxt's currencies too. */
  markets?: (markets: unknown, currencies?: unknown) => void;
  random?: () => number;
  scheduler?: Scheduler;
  /** Shared by every session of the process: one turn budget for all watch loops. */
  turns?: TurnYield;
  /** Where the markets of the last start are kept (ccxt sessions; absent: no cache). */
  marketCacheDir?: string;
}

/** Why a broker connection or request ended; the session maps it to the timeline. */
export class BrokerError extends Error {
  constructor(
    message: string,
    readonly errorClass: ErrorClass,
    /** The broker's own code (IB error codes, Futu retType). */
    readonly code?: number,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

/** How an adapter reports to its session. Every call is cheap; data() is on the tick path. */
export interface BrokerLink {
  /** The subscription's rows were written (at receipt time `rx`); the connection was alive at `rx`. */
  data(sub: Subscription, rx: number): void;
  /** The subscription's request went out now (after pacing): its stale clock starts here. */
  requested(sub: Subscription): void;
  /** A frame arrived (messages per second). Counted only: no clock read on the tick path. */
  message(): void;
  /** A frame that carries no rows (a keep-alive answer) proves the connection alive now. */
  alive(): void;
  /** The connection to the broker went (socket closed, or the broker lost its own upstream). */
  lost(error: BrokerError, socketClosed: boolean): void;
  /** The broker's upstream is back; `dataLost`: its subscriptions are gone and must be requested again. */
  restored(dataLost: boolean): void;
  /** The broker refused one subscription (unknown contract, quota...): it fails alone. */
  failed(sub: Subscription, error: BrokerError): void;
  /** The subscription is served delayed (no live permission) or live again. */
  delayed(sub: Subscription, delayed: boolean): void;
  /** A broker notice worth the connection timeline (data farm status...). */
  notice(message: string, code: number): void;
}

/** The venue-specific half of a push-style broker session. */
export interface BrokerAdapter {
  /**
   * Dials and resolves once the broker accepts requests (IB: nextValidId; Futu:
   * InitConnect), rejecting with a BrokerError otherwise. Later events go to `link`.
   * Each call starts from a fresh connection: nothing of an earlier one is replayed.
   * While connected the adapter keeps the connection provably alive (a keep-alive
   * every streaming.keepAliveMs whose answer reaches link.alive()), so silence
   * means a dead connection, not a quiet market.
   */
  connect(link: BrokerLink): Promise<void>;
  /** Starts one subscription's data on the current connection (again, after a loss). */
  request(sub: Subscription): void;
  /** Stops one subscription's data; the subscription is gone from the session already. */
  cancel(sub: Subscription): void;
  /** Hangs up; idempotent, bounded. No event follows for this connection. */
  disconnect(): Promise<void>;
  /** Open connections to the broker (0 or 1). */
  readonly connections: number;
  /**
   * The broker's market list for the symbol search, where it has a call for one
   * (Futu: Qot_GetStaticInfo; TWS has none that lists every contract). Independent
   * of connect(): the session asks whether or not anything is subscribed.
   */
  markets?(): Promise<MarketEntry[]>;
}
