// One connection to Futu OpenD through futu-api, and what Foxtrot adds to that
// client so Futu rows behave like every other row:
//   - keep-alives (futu-api sends none) and a dead-link verdict when they go
//     unanswered (KeepAliveMonitor): the socket is cut and the connection restarts;
//   - recovery owned here: futu-api's own fixed 1 s reconnect is switched off and
//     replaced by the shared backoff on the injected scheduler;
//   - every subscription re-made after a reconnect, exactly once per connection
//     (RestorePlan): futu-api re-initialises but forgets them;
//   - OpenD's "no unsubscribe within a minute" (UnsubscribeDeferral);
//   - refusals (quota) surfaced as failed subscriptions with OpenD's own words;
//   - pushes read without futu-api's per-frame overhead (push-frames.ts) and
//     normalised to the ticker / trade / book rows the ccxt path writes
//     (OpenD's basic quote has no bid/ask: ticker rows take them from the book
//     when the book is subscribed too, NaN otherwise).
// In the app FutuAdapter (futu-adapter.ts) maps FutuListener onto the adapter
// contract and ends a FutuConnection at its first loss: there the BrokerSession's
// reconnect and restore are the only ones that run, and this class's own serve a
// standalone connection (its tests, the benchmark).
import { backoffDelay, type BackoffSettings } from '../../../../shared/backoff';
import { SOURCE_WS, type BookTop } from '../../../../shared/contract/tick-batch';
import { isFutuError, parseFutuSymbol, type FutuSecurity } from '../../../../shared/futu-notation';
import { Owner, type Registration } from '../../../../shared/lifecycle/owner';
import { boundedWait, ownedTimeout, type Scheduler } from '../../../../shared/lifecycle/timers';
import { BOOK_SYNCED_CODE, type Channel, type ConnectionState, type DisconnectReason, type SubscriptionState } from '../../../../shared/market';
import { createFutuClient, FUTU_CMD, type FutuClient, type FutuResponse } from './futu-api';
import { KeepAliveMonitor, type KeepAliveSettings } from './keepalive-monitor';
import { installPushFastPath } from './push-frames';
import { RestorePlan } from './restore-plan';
import { UnsubscribeDeferral } from './unsubscribe-deferral';

/** The pushes this connection turns into rows. */
const PUSH_CMDS = [FUTU_CMD.updateBasicQot, FUTU_CMD.updateTicker, FUTU_CMD.updateOrderBook];

/** Qot_Common.SubType per channel: basic quote → ticker rows, ticker (逐笔) → trades. */
export const FUTU_SUB_TYPE: Record<Channel, number> = { ticker: 1, book: 2, trades: 4 };

export interface FutuConnectionSettings {
  host: string;
  port: number;
  /** OpenD's WebSocket key (futu-api sends its md5). */
  key: string;
  ssl?: boolean;
}

export interface FutuTimings {
  keepAlive: KeepAliveSettings;
  /** OpenD's minimum subscription age before an unsubscribe, plus a margin for clock skew. */
  unsubscribeHoldMs: number;
  backoff: BackoffSettings;
  /** Book levels per side in a book row. */
  bookDepth: number;
}

export const DEFAULT_FUTU_TIMINGS: FutuTimings = {
  keepAlive: { intervalMs: 10_000, maxMisses: 3 },
  unsubscribeHoldMs: 61_000,
  backoff: { baseMs: 500, capMs: 30_000, factor: 2, jitter: 0.2 },
  bookDepth: 10,
};

/** What the connection tells its owner; ticker/trade/book mirror TickSink's row writers. */
export interface FutuListener {
  status(state: ConnectionState, reason?: DisconnectReason, detail?: string): void;
  subscription(symbol: string, channel: Channel, state: SubscriptionState, detail?: string): void;
  ticker(symbol: string, bid: number, ask: number, last: number, changePct: number, baseVol: number, quoteVol: number, eventTime: number, receivedAt: number, source: number): void;
  trade(symbol: string, id: string, price: number, amount: number, side: number, eventTime: number, receivedAt: number, source: number): void;
  book(top: BookTop): void;
  /** OpenD answered a keep-alive: the connection carries data even when markets are quiet. */
  alive?(): void;
}

export interface FutuStats {
  logins: number;
  reconnects: number;
  keepAlivesSent: number;
  keepAliveDeaths: number;
  subscribesSent: number;
  unsubscribesSent: number;
  deferredUnsubscribes: number;
  refusals: number;
  pushes: number;
  malformed: number;
}

interface FutuSub {
  key: string;
  symbol: string;
  channel: Channel;
  security: FutuSecurity;
  state: SubscriptionState;
  detail: string | undefined;
}

/** Routing target for pushes of one security: no allocation per push. */
interface SecurityRoute {
  symbol: string;
  ticker: FutuSub | undefined;
  trades: FutuSub | undefined;
  book: FutuSub | undefined;
  bid: number;
  ask: number;
  lastSequence: number;
  top: BookTop;
}

interface Security {
  market: number;
  code: string;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  // int64 fields decode to Long (futu-api configures protobufjs with long.js).
  if (v !== null && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return NaN;
}

function subKey(symbol: string, channel: Channel): string {
  return `${symbol}|${channel}`;
}

/** OpenD's words when it refused a request; futu-api rejects with the decoded response or a string. */
function refusalOf(err: unknown): string | undefined {
  if (err !== null && typeof err === 'object' && typeof (err as FutuResponse).retType === 'number') {
    const r = err as FutuResponse;
    return r.retMsg || `OpenD refused (retType ${r.retType}${r.errCode === undefined ? '' : `, errCode ${r.errCode}`})`;
  }
  return undefined;
}

export class FutuConnection {
  private readonly owner: Owner;
  private client: FutuClient | undefined;
  private _state: ConnectionState = 'idle';
  private closing = false;
  private connOwner: Owner | undefined;
  private keepAlive: KeepAliveMonitor | undefined;
  private reconnectReg: Registration | undefined;
  private attempts = 0;
  private readonly plan = new RestorePlan();
  private readonly deferral: UnsubscribeDeferral;
  private readonly subs = new Map<string, FutuSub>();
  /** market → code → route. */
  private readonly routes = new Map<number, Map<string, SecurityRoute>>();
  /** What the last malformed push entry lacked (counted in stats.malformed, never written). */
  lastMalformed: string | undefined;
  readonly stats: FutuStats = { logins: 0, reconnects: 0, keepAlivesSent: 0, keepAliveDeaths: 0, subscribesSent: 0, unsubscribesSent: 0, deferredUnsubscribes: 0, refusals: 0, pushes: 0, malformed: 0 };

  constructor(
    private readonly settings: FutuConnectionSettings,
    private readonly listener: FutuListener,
    private readonly scheduler: Scheduler,
    parent: Owner,
    private readonly timings: FutuTimings = DEFAULT_FUTU_TIMINGS,
    private readonly random: () => number = Math.random,
    /** futu-api's client; unit tests pass a scripted one. */
    private readonly createClient: () => FutuClient = createFutuClient,
  ) {
    this.owner = parent.child('futu');
    this.deferral = new UnsubscribeDeferral(timings.unsubscribeHoldMs, scheduler, this.owner, (key) => this.unsubscribeDue(key));
  }

  get state(): ConnectionState {
    return this._state;
  }

  subscriptionState(symbol: string, channel: Channel): SubscriptionState | undefined {
    return this.subs.get(subKey(symbol, channel))?.state;
  }

  /** Unsubscribes waiting for OpenD's minute to pass. */
  get deferredUnsubscribes(): string[] {
    return this.deferral.pending;
  }

  start(): void {
    if (this.client || this.closing) return;
    this.setState('connecting');
    this.open();
  }

  /**
   * Wants `channel` of `symbol` (Futu notation, e.g. HK.00700). Returns an error
   * message for invalid notation; nothing is subscribed then.
   */
  subscribe(symbol: string, channel: Channel): string | undefined {
    const sec = parseFutuSymbol(symbol);
    if (isFutuError(sec)) return sec.error;
    const key = subKey(symbol, channel);
    const existing = this.subs.get(key);
    if (existing && existing.state !== 'failed') return undefined;
    const sub: FutuSub = { key, symbol, channel, security: sec, state: 'subscribing', detail: undefined };
    this.subs.set(key, sub);
    this.route(sec, symbol, true)![channel] = sub;
    if (this.deferral.resubscribe(key)) {
      // OpenD still holds it (its unsubscribe was waiting for the minute): nothing to send.
      this.setSub(sub, 'live');
      return undefined;
    }
    this.setSub(sub, 'subscribing');
    if (this._state === 'connected') this.sendSub(sub, this.plan.current);
    return undefined;
  }

  /** No longer wants it. Rows stop at once; OpenD is told now or when its minute is over. */
  unsubscribe(symbol: string, channel: Channel): void {
    const key = subKey(symbol, channel);
    const sub = this.subs.get(key);
    if (!sub) return;
    this.subs.delete(key);
    const route = this.route(sub.security, symbol, false);
    if (route && route[channel] === sub) {
      route[channel] = undefined;
      // Pushes for it may still come until OpenD is told: the route no longer writes them.
      if (channel === 'book') route.bid = route.ask = NaN; // no stale bid/ask in ticker rows
      if (!route.ticker && !route.trades && !route.book) this.routes.get(sub.security.qotMarket)?.delete(sub.security.code);
    }
    this.setSub(sub, 'unsubscribed');
    if (this._state !== 'connected') return; // OpenD dropped it with the connection
    const decision = this.deferral.unsubscribe(key);
    if (decision === 'now') this.sendUnsub(sub.security, channel);
    else if (decision === 'deferred') this.stats.deferredUnsubscribes++;
  }

  /** Closes the connection and stops everything it started; resolves once the socket is closed (at most 2 s). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const socket = this.client?.websock?.websock;
    const base = this.client?.websock;
    const closed = base && socket && socket.readyState !== 3 ? new Promise<void>((resolve) => (base.onclose = () => resolve())) : undefined;
    this.client?.stop();
    this.client?.websock?.close();
    this.owner.dispose();
    for (const sub of this.subs.values()) this.setSub(sub, 'unsubscribed');
    this.subs.clear();
    this.routes.clear();
    this.setState('closed');
    if (closed) {
      const waiter = new Owner('futu-close');
      await boundedWait(closed, 2000, this.scheduler, waiter);
      waiter.dispose();
    }
  }

  // --- connection -------------------------------------------------------------

  private open(): void {
    const first = !this.client;
    if (!this.client) {
      const client = this.createClient();
      client.onlogin = (ok, detail) => this.onLogin(ok, detail);
      this.client = client;
      this.owner.add('futu-socket', () => {
        client.stop();
        client.websock?.close();
      });
    }
    const { host, port, ssl, key } = this.settings;
    this.client.start(host, port, ssl ?? false, key);
    // start() made the connection object the fast path sits on; a client without one gets pushes the library's way
    const onPush = (cmd: number, msg: unknown) => this.onPush(cmd, msg);
    if (first && !installPushFastPath(this.client, PUSH_CMDS, onPush)) this.client.onPush = onPush;
    this.client.websock!.onclose = () => this.onSocketClosed();
  }

  private onLogin(ok: boolean, detail: unknown): void {
    if (this.closing) return;
    if (!ok) {
      this.lost('refused', `OpenD did not initialise the connection (${String(detail)})`);
      return;
    }
    // A login repeated on a connection that never went away is not a new one.
    if (this._state === 'connected') return;
    const gen = this.plan.loggedIn();
    this.stats.logins++;
    if (gen > 1) this.stats.reconnects++;
    this.attempts = 0;
    this.connOwner = this.owner.child(`connection-${gen}`);
    this.keepAlive = new KeepAliveMonitor(this.timings.keepAlive, this.scheduler, this.connOwner, () => this.sendKeepAlive(), (misses) => this.onKeepAliveDead(misses));
    this.keepAlive.start();
    this.setState('connected');
    const wanted = [...this.subs.values()].filter((s) => s.state !== 'failed').map((s) => s.key);
    for (const key of this.plan.take(gen, wanted)) {
      const sub = this.subs.get(key)!;
      this.setSub(sub, 'subscribing');
      this.sendSub(sub, gen);
    }
  }

  private sendKeepAlive(): Promise<unknown> {
    this.stats.keepAlivesSent++;
    return this.client!._sendCmd(FUTU_CMD.keepAlive, { c2s: { time: Math.floor(this.scheduler.now() / 1000) } }, 'KeepAlive').then((answer) => {
      if (!this.closing) this.listener.alive?.();
      return answer;
    });
  }

  private onKeepAliveDead(misses: number): void {
    this.stats.keepAliveDeaths++;
    this.lost('keepalive', `${misses} keep-alives unanswered`);
    // Cut the socket without a closing handshake a stalled peer would not answer.
    const socket = this.client?.websock?.websock;
    if (socket) {
      if (socket.terminate) socket.terminate();
      else socket.close();
    }
  }

  private onSocketClosed(): void {
    // futu-api has just scheduled its own fixed 1 s reconnect: recovery is ours.
    this.client?.websock?.killReconnectTimer();
    if (this.closing) return;
    this.lost('close', 'OpenD connection closed');
  }

  /** The connection is gone: rows wait, and a reconnect is scheduled with backoff. Idempotent until it runs. */
  private lost(reason: DisconnectReason, detail: string): void {
    if (this.closing || this.reconnectReg) return;
    this.connOwner?.dispose();
    this.connOwner = undefined;
    this.keepAlive = undefined;
    this.deferral.connectionLost();
    for (const sub of this.subs.values()) if (sub.state !== 'failed') this.setSub(sub, 'reconnecting');
    this.setState('reconnecting', reason, detail);
    if (this.closing) return; // the listener ended the connection on hearing of the loss: no redial
    const delay = backoffDelay(this.timings.backoff, ++this.attempts, this.random);
    this.reconnectReg = ownedTimeout(
      this.scheduler,
      this.owner,
      () => {
        this.reconnectReg = undefined;
        if (!this.closing) this.open();
      },
      delay,
      'reconnect',
    );
  }

  // --- subscriptions ----------------------------------------------------------

  private subRequest(security: FutuSecurity, channel: Channel, subscribe: boolean): unknown {
    return {
      c2s: {
        securityList: [{ market: security.qotMarket, code: security.code }],
        subTypeList: [FUTU_SUB_TYPE[channel]],
        isSubOrUnSub: subscribe,
        isRegOrUnRegPush: subscribe,
        isFirstPush: true,
      },
    };
  }

  private sendSub(sub: FutuSub, gen: number): void {
    this.stats.subscribesSent++;
    this.client!.Sub(this.subRequest(sub.security, sub.channel, true)).then(
      () => {
        if (gen !== this.plan.current || this.closing || this._state !== 'connected') return; // a later connection re-made it
        this.deferral.subscribed(sub.key);
        if (this.subs.get(sub.key) === sub) this.setSub(sub, 'live');
        else if (this.deferral.unsubscribe(sub.key) === 'now') this.sendUnsub(sub.security, sub.channel); // dropped while in flight
        else this.stats.deferredUnsubscribes++;
      },
      (err: unknown) => {
        if (gen !== this.plan.current || this.closing || this.subs.get(sub.key) !== sub) return;
        const words = refusalOf(err);
        if (words !== undefined) {
          this.stats.refusals++;
          this.setSub(sub, 'failed', words);
        } else sub.detail = `no answer from OpenD (${String(err)})`; // transport: the next connection restores it
      },
    );
  }

  private sendUnsub(security: FutuSecurity, channel: Channel): void {
    if (!this.client || this._state !== 'connected') return;
    this.stats.unsubscribesSent++;
    this.client.Sub(this.subRequest(security, channel, false)).catch((err: unknown) => {
      if (refusalOf(err) !== undefined) this.stats.refusals++;
    });
  }

  private unsubscribeDue(key: string): void {
    if (this.subs.has(key)) return; // wanted again meanwhile
    const [symbol, channel] = key.split('|') as [string, Channel];
    const sec = parseFutuSymbol(symbol);
    if (!isFutuError(sec)) this.sendUnsub(sec, channel);
  }

  // --- pushes (hot path) ------------------------------------------------------

  private route(sec: Security | FutuSecurity, symbol: string, create: boolean): SecurityRoute | undefined {
    const market = 'qotMarket' in sec ? sec.qotMarket : sec.market;
    let byCode = this.routes.get(market);
    if (!byCode) {
      if (!create) return undefined;
      this.routes.set(market, (byCode = new Map()));
    }
    let r = byCode.get(sec.code);
    if (!r && create) {
      r = { symbol, ticker: undefined, trades: undefined, book: undefined, bid: NaN, ask: NaN, lastSequence: -Infinity, top: { key: symbol, bids: [], asks: [], eventTime: NaN, receivedAt: NaN, source: SOURCE_WS, state: BOOK_SYNCED_CODE, updateId: NaN } };
      byCode.set(sec.code, r);
    }
    return r;
  }

  private routeOf(security: unknown): SecurityRoute | undefined {
    const s = security as Security | undefined;
    if (!s || typeof s.market !== 'number' || typeof s.code !== 'string') return undefined;
    return this.routes.get(s.market)?.get(s.code);
  }

  private onPush(cmd: number, message: unknown): void {
    if (this.closing) return;
    this.stats.pushes++;
    const s2c = (message as { s2c?: Record<string, unknown> } | undefined)?.s2c;
    if (!s2c) return this.malformed(`push ${cmd} without s2c`);
    const rx = this.scheduler.now();
    if (cmd === FUTU_CMD.updateBasicQot) this.onBasicQot(s2c.basicQotList, rx);
    else if (cmd === FUTU_CMD.updateTicker) this.onTicker(s2c, rx);
    else if (cmd === FUTU_CMD.updateOrderBook) this.onOrderBook(s2c, rx);
  }

  private onBasicQot(list: unknown, rx: number): void {
    if (!Array.isArray(list)) return this.malformed('basic quote push without basicQotList');
    for (let i = 0; i < list.length; i++) {
      const q = list[i] as Record<string, unknown>;
      const r = this.routeOf(q.security);
      if (!r?.ticker) continue; // also before the Sub's answer: OpenD's first push may come first
      const last = num(q.curPrice);
      const prevClose = num(q.lastClosePrice);
      if (!(last > 0)) {
        this.malformed(`basic quote for ${r.symbol} without a positive curPrice`);
        continue;
      }
      const changePct = prevClose > 0 ? ((last - prevClose) / prevClose) * 100 : NaN;
      const ts = num(q.updateTimestamp);
      this.listener.ticker(r.symbol, r.bid, r.ask, last, changePct, num(q.volume), num(q.turnover), ts > 0 ? ts * 1000 : NaN, rx, SOURCE_WS);
    }
  }

  private onTicker(s2c: Record<string, unknown>, rx: number): void {
    const r = this.routeOf(s2c.security);
    const list = s2c.tickerList;
    if (!r?.trades) return;
    if (!Array.isArray(list)) return this.malformed(`ticker push for ${r.symbol} without tickerList`);
    for (let i = 0; i < list.length; i++) {
      const t = list[i] as Record<string, unknown>;
      const seq = num(t.sequence);
      const price = num(t.price);
      const amount = num(t.volume);
      if (!(price > 0) || !(amount >= 0) || !Number.isFinite(seq)) {
        this.malformed(`ticker for ${r.symbol} without a positive price, a volume or a sequence`);
        continue;
      }
      // The first push after a (re)subscribe may repeat trades already written.
      if (seq <= r.lastSequence) continue;
      r.lastSequence = seq;
      const ts = num(t.timestamp);
      // TickerDirection: 1 Bid = buyer-initiated, 2 Ask = seller-initiated, 3 neutral.
      const side = t.dir === 1 ? 1 : t.dir === 2 ? -1 : 0;
      this.listener.trade(r.symbol, String(seq), price, amount, side, ts > 0 ? ts * 1000 : NaN, rx, SOURCE_WS);
    }
  }

  private onOrderBook(s2c: Record<string, unknown>, rx: number): void {
    const r = this.routeOf(s2c.security);
    // A book nobody wants (its unsubscribe may wait for OpenD's minute) feeds nothing, not even bid/ask.
    if (!r?.book) return;
    const asks = s2c.orderBookAskList;
    const bids = s2c.orderBookBidList;
    if ((asks !== undefined && !Array.isArray(asks)) || (bids !== undefined && !Array.isArray(bids))) return this.malformed(`order book for ${r.symbol} with non-list sides`);
    const depth = this.timings.bookDepth;
    if (!copyLevels(r.top.asks, (asks ?? []) as Record<string, unknown>[], depth) || !copyLevels(r.top.bids, (bids ?? []) as Record<string, unknown>[], depth)) {
      return this.malformed(`order book for ${r.symbol} with a level lacking a positive price or a volume`);
    }
    r.ask = r.top.asks[0]?.[0] ?? NaN;
    r.bid = r.top.bids[0]?.[0] ?? NaN;
    const t = Math.max(num(s2c.svrRecvTimeBidTimestamp), num(s2c.svrRecvTimeAskTimestamp));
    r.top.eventTime = t > 0 ? t * 1000 : NaN;
    r.top.receivedAt = rx;
    this.listener.book(r.top);
  }

  private malformed(what: string): void {
    this.stats.malformed++;
    this.lastMalformed = what;
  }

  // --- state ------------------------------------------------------------------

  private setState(state: ConnectionState, reason?: DisconnectReason, detail?: string): void {
    this._state = state;
    this.listener.status(state, reason, detail);
  }

  private setSub(sub: FutuSub, state: SubscriptionState, detail?: string): void {
    sub.state = state;
    sub.detail = detail;
    this.listener.subscription(sub.symbol, sub.channel, state, detail);
  }
}

/** Copies [price, volume] levels into `into` without allocating rows it already has; false on a malformed level. */
function copyLevels(into: [number, number][], from: Record<string, unknown>[], depth: number): boolean {
  const n = Math.min(depth, from.length);
  for (let i = 0; i < n; i++) {
    const price = num(from[i]!.price);
    const volume = num(from[i]!.volume);
    if (!(price > 0) || !(volume >= 0)) return false;
    const row = into[i];
    if (row) {
      row[0] = price;
      row[1] = volume;
    } else into.push([price, volume]);
  }
  into.length = n;
  return true;
}
