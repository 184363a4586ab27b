// Futu OpenD through FutuConnection: the venue-specific half of a BrokerSession.
// Recovery is the session's, not FutuConnection's: each connect() makes a fresh
// FutuConnection and the first loss it reports ends it (closed before its own
// reconnect timer can fire), so reconnect backoff, outage records, the silence
// watchdog and "every subscription requested exactly once per connection" live in
// one place for IB and Futu alike. Two recovery loops over one socket would race.
// What stays Futu's own, inside FutuConnection: keep-alives and their dead-link
// verdict, OpenD's one-minute unsubscribe rule, refusals with OpenD's words, and
// pushes normalised to rows. Here they are mapped onto BrokerLink and the rows are
// written under the entry's instrument ids.
import type { MarketEntry } from '../../../../shared/contract/market-catalogue';
import type { BookTop } from '../../../../shared/contract/tick-batch';
import { BOOK_SYNCED_CODE, type Channel, type ConnectionState, type DisconnectReason, type ErrorClass } from '../../../../shared/market';
import type { Owner } from '../../../../shared/lifecycle/owner';
import { systemScheduler, type Scheduler } from '../../../../shared/lifecycle/timers';
import type { FutuConnection as FutuConnectionSettings, StreamingSettings } from '../../../../shared/settings';
import type { Subscription } from '../../subscription';
import { BrokerError, type BrokerAdapter, type BrokerLink } from '../adapter';
import { ConnectAttempts } from '../handshake';
import type * as FutuConnectionModule from './futu-connection';
import type * as FutuCatalogueModule from './futu-catalogue';
import type { FutuConnection, FutuListener, FutuTimings } from './futu-connection';

/** A real OpenD's minimum subscription age before an unsubscribe. */
const OPEND_MIN_SUBSCRIPTION_MS = 60_000;
/** Margin on that minute for the clock difference between OpenD and us. */
const HOLD_MARGIN_MS = 1000;
/** Keep-alive intervals without an answer that mean the link is dead. */
const KEEPALIVE_MISSES = 3;

const DEFAULT_CONNECTION: FutuConnectionSettings = { host: '127.0.0.1', port: 33333, key: '' };

/** How long OpenD may take to list its markets (ten requests on a connection of their own). */
const CATALOGUE_TIMEOUT_MS = 15_000;

type FutuModule = typeof FutuConnectionModule;
let futuModule: FutuModule | undefined;
/** futu-api (protobuf definitions included) is loaded on the first Futu connection: most runs never need it. */
async function loadFutu(): Promise<FutuModule> {
  return (futuModule ??= await import('./futu-connection'));
}
let catalogueModule: typeof FutuCatalogueModule | undefined;
async function loadCatalogue(): Promise<typeof FutuCatalogueModule> {
  return (catalogueModule ??= await import('./futu-catalogue'));
}

/** The subscriptions of one symbol, by channel: push routing without a key string per push. */
interface SymbolSubs {
  ticker: Subscription | undefined;
  trades: Subscription | undefined;
  book: Subscription | undefined;
}

export class FutuAdapter implements BrokerAdapter {
  private readonly connection: FutuConnectionSettings;
  private readonly scheduler: Scheduler;
  private readonly timings: FutuTimings;
  private conn: FutuConnection | undefined;
  private link: BrokerLink | undefined;
  private readonly bySymbol = new Map<string, SymbolSubs>();
  /** Hanging up fails the handshake (InitWebSocket) in progress; a connect() that outlived one gives up. */
  private readonly attempts: ConnectAttempts;

  constructor(
    connection: FutuConnectionSettings | undefined,
    streaming: StreamingSettings,
    /** Owns each connection's timers and socket; a child of the session's owner. */
    private readonly owner: Owner,
    scheduler?: Scheduler,
  ) {
    this.connection = connection ?? DEFAULT_CONNECTION;
    this.scheduler = scheduler ?? systemScheduler;
    this.attempts = new ConnectAttempts(this.scheduler, this.owner, 'OpenD');
    this.timings = {
      keepAlive: { intervalMs: streaming.keepAliveMs, maxMisses: KEEPALIVE_MISSES },
      unsubscribeHoldMs: (this.connection.minSubscriptionMs ?? OPEND_MIN_SUBSCRIPTION_MS) + HOLD_MARGIN_MS,
      backoff: streaming.backoff, // unused: a lost connection is ended before FutuConnection would redial
      bookDepth: Math.max(streaming.bookDepth, 1),
    };
  }

  get connections(): number {
    return this.conn?.state === 'connected' ? 1 : 0;
  }

  /** The current connection's figures (keep-alives, refusals, deferred unsubscribes...). */
  get connectionStats(): FutuConnection['stats'] | undefined {
    return this.conn?.stats;
  }

  async connect(link: BrokerLink): Promise<void> {
    const token = this.attempts.begin();
    const lib = await loadFutu();
    this.attempts.check(token);
    this.link = undefined;
    const listener = this.listenerFor(() => conn, (state, reason, detail) => {
      if (!handshake.pending) return;
      if (state === 'connected') {
        this.link = link;
        handshake.ready();
      } else if (state === 'reconnecting') handshake.fail(lostError(reason, detail, this.where()));
    });
    const conn: FutuConnection = new lib.FutuConnection(this.connection, listener, this.scheduler, this.owner, this.timings);
    this.conn = conn;
    const handshake = this.attempts.handshake(this.where(), () => {
      if (this.conn === conn) this.conn = undefined;
      void conn.close();
    });
    return handshake.dial(() => conn.start());
  }

  /** What OpenD lists, for the symbol search (futu-catalogue.ts: a short connection of its own). */
  async markets(): Promise<MarketEntry[]> {
    const lib = await loadCatalogue();
    return lib.loadFutuCatalogue(this.connection, this.scheduler, this.owner, CATALOGUE_TIMEOUT_MS);
  }

  request(sub: Subscription): void {
    const conn = this.conn;
    if (!conn) return;
    const { symbol, channel } = sub.key;
    let subs = this.bySymbol.get(symbol);
    if (!subs) this.bySymbol.set(symbol, (subs = { ticker: undefined, trades: undefined, book: undefined }));
    subs[channel] = sub;
    this.link?.requested(sub);
    const invalid = conn.subscribe(symbol, channel);
    if (invalid !== undefined) {
      subs[channel] = undefined;
      this.link?.failed(sub, new BrokerError(invalid, 'bad-symbol'));
    }
  }

  cancel(sub: Subscription): void {
    const { symbol, channel } = sub.key;
    const subs = this.bySymbol.get(symbol);
    if (subs?.[channel] === sub) subs[channel] = undefined;
    // Rows stop at once; OpenD is told now or once its minute is over (FutuConnection).
    this.conn?.unsubscribe(symbol, channel);
  }

  async disconnect(): Promise<void> {
    this.attempts.hangUp();
    const conn = this.conn;
    this.conn = undefined;
    this.link = undefined;
    this.bySymbol.clear();
    await conn?.close();
  }

  // ---- FutuConnection's listener ----------------------------------------------------

  private listenerFor(conn: () => FutuConnection, handshake: (state: ConnectionState, reason?: DisconnectReason, detail?: string) => void): FutuListener {
    // Every event of a connection that is no longer the current one is ignored.
    const current = () => this.conn === conn() && this.conn !== undefined;
    return {
      status: (state, reason, detail) => {
        if (!current()) return;
        handshake(state, reason, detail);
        if (state === 'reconnecting' && this.link) this.connectionGone(lostError(reason, detail, this.where()));
      },
      subscription: (symbol, channel, state, detail) => {
        if (!current() || state !== 'failed') return; // live follows from data; the rest is the session's
        const sub = this.subOf(symbol, channel);
        if (sub) this.link?.failed(sub, new BrokerError(detail ?? 'OpenD refused the subscription', 'exchange')) // quota, unknown security: OpenD's words);
      },
      ticker: (symbol, bid, ask, last, changePct, baseVol, quoteVol, eventTime, rx, source) => {
        const link = this.link;
        const sub = this.bySymbol.get(symbol)?.ticker;
        if (!link || !sub || !current()) return;
        link.message();
        const t = sub.target;
        t.sink.ticker(t.instrument, bid, ask, last, changePct, baseVol, quoteVol, eventTime, rx, source, t.processingLatency);
        link.data(sub, rx);
      },
      trade: (symbol, id, price, amount, side, eventTime, rx, source) => {
        const link = this.link;
        const sub = this.bySymbol.get(symbol)?.trades;
        if (!link || !sub || !current()) return;
        link.message();
        const t = sub.target;
        if (!t.sink.trade(t.instrument, id, price, amount, side, eventTime, rx, source, t.processingLatency)) t.tradesShed++;
        link.data(sub, rx);
      },
      book: (top) => {
        const link = this.link;
        const sub = this.bySymbol.get(top.key)?.book;
        if (!link || !sub || !current()) return;
        link.message();
        const t = sub.target;
        // FutuConnection's rows name the Futu symbol; the row written names the instrument.
        const row = (t.bookTop ??= { key: t.instrument, bids: [], asks: [], eventTime: NaN, receivedAt: NaN, source: top.source, state: BOOK_SYNCED_CODE, updateId: NaN }); // OpenD keeps the book: synced while connected
        copyBook(row, top, t.bookDepth);
        t.sink.book(row, t.processingLatency);
        link.data(sub, top.receivedAt);
      },
      alive: () => {
        if (!current()) return;
        this.link?.message();
        this.link?.alive();
      },
    };
  }

  private subOf(symbol: string, channel: Channel): Subscription | undefined {
    return this.bySymbol.get(symbol)?.[channel];
  }

  /** The connection is gone: ended here (its own reconnect never runs), the session redials. */
  private connectionGone(err: BrokerError): void {
    const link = this.link;
    void this.disconnect();
    link?.lost(err, true);
  }

  private where(): string {
    return `${this.connection.host}:${this.connection.port}`;
  }
}

function lostError(reason: DisconnectReason | undefined, detail: string | undefined, where: string): BrokerError {
  const cls: ErrorClass = reason === 'keepalive' ? 'timeout' : reason === 'refused' ? 'exchange' : 'network';
  return new BrokerError(`OpenD at ${where}: ${detail ?? reason ?? 'connection lost'}`, cls);
}

/** Copies levels into `into` reusing its rows: no allocation per book push once the rows exist. */
function copyBook(into: BookTop, from: BookTop, depth: number): void {
  copySide(into.bids, from.bids, depth);
  copySide(into.asks, from.asks, depth);
  into.eventTime = from.eventTime;
  into.receivedAt = from.receivedAt;
  into.source = from.source;
}

function copySide(into: [number, number][], from: [number, number][], depth: number): void {
  const n = Math.min(depth, from.length);
  for (let i = 0; i < n; i++) {
    const row = into[i];
    const level = from[i]!;
    if (row) {
      row[0] = level[0];
      row[1] = level[1];
    } else into.push([level[0], level[1]]);
  }
  into.length = n;
}
