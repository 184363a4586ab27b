// Interactive Brokers through @stoqey/ib's low-level IBApi: the venue-specific half
// of a BrokerSession. Recovery stays with the session; what is IB's own is here:
//   - nextValidId, not `connected`, means ready (TWS may still refuse with 326);
//   - a fresh IBApi per connection: IBApi queues requests made while disconnected
//     and replays them on its next connect, which would duplicate subscriptions;
//   - 326 (client id in use) tries the next ids at once;
//   - connectivity codes (1100/1101/1102) come on `info`, not `error`;
//   - 354 (no live permission) switches to delayed data (market data type 3) and
//     asks again; MARKET_DATA_TYPE tells which rows are delayed;
//   - 100 (pacing violation) slows requests down and sends the refused one again.
// Rows: ticker from reqMktData ticks, trades from tick-by-tick AllLast, the book
// from reqMktDepth rows by position.
import type * as IbModule from '@stoqey/ib';
import type { Contract, IBApi } from '@stoqey/ib';
import { now } from '../../../../shared/clock';
import { SOURCE_WS } from '../../../../shared/contract/tick-batch';
import { parseIbNotation, type IbContractSpec } from '../../../../shared/instrument-notation';
import { BOOK_SYNCED_CODE } from '../../../../shared/market';
import type { Owner, Registration } from '../../../../shared/lifecycle/owner';
import { ownedInterval, systemScheduler, type Scheduler } from '../../../../shared/lifecycle/timers';
import type { IbConnection, StreamingSettings } from '../../../../shared/settings';
import type { EventLog } from '../../event-log';
import type { Subscription } from '../../subscription';
import { BrokerError, type BrokerAdapter, type BrokerLink } from '../adapter';
import { ConnectAttempts } from '../handshake';
import { DepthBook } from './depth-book';
import { ibMeaning, TICK } from './ib-codes';
import { RequestPacer } from './request-pacer';

/** Client ids tried after a clash (326) within one connection attempt. */
export const CLIENT_ID_TRIES = 10;
/** IB's delayed data (15-20 minutes), used when there is no live permission. */
const MARKET_DATA_DELAYED = 3;

const DEFAULT_CONNECTION: IbConnection = { host: '127.0.0.1', port: 7497, clientId: 0 };

type IbLib = typeof IbModule;
let ibLib: IbLib | undefined;
/** @stoqey/ib is loaded on the first IB connection: it costs ~0.4 s, and most runs never need it. */
async function loadIb(): Promise<IbLib> {
  return (ibLib ??= await import('@stoqey/ib'));
}

/** One request at TWS for one subscription. */
interface Request {
  readonly sub: Subscription;
  readonly reqId: number;
  readonly contract: Contract;
  /** Ticker fields, kept between ticks (each tick carries one field). */
  bid: number;
  ask: number;
  last: number;
  close: number;
  volume: number;
  /** A field changed since the ticker row was last written; `rx`: when the first such field arrived. */
  quoteDirty: boolean;
  rx: number;
  book: DepthBook | undefined;
  tradeSeq: number;
}

export class IbAdapter implements BrokerAdapter {
  private readonly connection: IbConnection;
  private readonly scheduler: Scheduler;
  private readonly pacer: RequestPacer;
  private api: IBApi | undefined;
  private link: BrokerLink | undefined;
  private clientId: number;
  private nextReqId = 1;
  private readonly byReqId = new Map<number, Request>();
  private readonly bySub = new Map<Subscription, Request>();
  private delayedMode = false;
  /** Hanging up fails the handshake in progress; a connect() that outlived one gives up. */
  private readonly attempts: ConnectAttempts;
  /** reqCurrentTime while connected: its answer proves the connection alive when markets are quiet. */
  private keepAlive: Registration | undefined;
  /** Requests whose quote changed this turn: one ticker row each as the batch leaves (TWS sends a quote as 5–7 field messages). */
  private readonly changedQuotes: Request[] = [];

  constructor(
    private readonly exchange: string,
    connection: IbConnection | undefined,
    private readonly streaming: StreamingSettings,
    private readonly log: EventLog,
    /** Owns the adapter's timers (handshake, pacer); a child of the session's owner. */
    private readonly owner: Owner,
    scheduler?: Scheduler,
  ) {
    this.connection = connection ?? DEFAULT_CONNECTION;
    this.clientId = this.connection.clientId;
    this.scheduler = scheduler ?? systemScheduler;
    this.pacer = new RequestPacer(this.scheduler, this.owner);
    this.attempts = new ConnectAttempts(this.scheduler, this.owner, 'TWS');
  }

  get connections(): number {
    return this.api?.isConnected ? 1 : 0;
  }

  /** The client id of the current (or last) connection. */
  get currentClientId(): number {
    return this.clientId;
  }

  /** The gap the pacer keeps between requests now (ms). */
  get pacingGapMs(): number {
    return this.pacer.gapMs;
  }

  async connect(link: BrokerLink): Promise<void> {
    const token = this.attempts.begin();
    const lib = await loadIb();
    for (let tries = 0; ; tries++) {
      // Hung up meanwhile (library loading, a 326 retry): dialling now would leave a connection nobody owns.
      this.attempts.check(token);
      try {
        await this.connectOnce(lib, link, this.clientId);
        return;
      } catch (e) {
        if (!(e instanceof BrokerError) || e.code !== 326 || tries + 1 >= CLIENT_ID_TRIES) throw e;
        this.log.record('warn', 'connection', 'IB client id in use; trying the next', { exchange: this.exchange, clientId: this.clientId });
        this.clientId++;
      }
    }
  }

  private connectOnce(lib: IbLib, link: BrokerLink, clientId: number): Promise<void> {
    const { EventName } = lib;
    const api = new lib.IBApi({ host: this.connection.host, port: this.connection.port });
    this.api = api;
    this.link = undefined;
    this.delayedMode = false;
    const handshake = this.attempts.handshake(this.where(), () => this.hangUp(api));
    api.on(EventName.nextValidId, () => {
      if (!handshake.pending || this.api !== api) return;
      this.link = link;
      this.keepAlive?.dispose();
      this.keepAlive = ownedInterval(this.scheduler, this.owner, () => api.reqCurrentTime(), this.streaming.keepAliveMs, 'keepalive');
      handshake.ready();
    });
    api.on(EventName.disconnected, () => {
      if (handshake.pending) return handshake.fail(new BrokerError(`TWS at ${this.where()} closed the connection`, 'network'));
      if (this.api === api && this.link) this.connectionGone(new BrokerError(`TWS at ${this.where()} closed the connection`, 'network'));
    });
    api.on(EventName.currentTime, () => {
      if (this.api !== api) return;
      this.link?.message();
      this.link?.alive();
    });
    api.on(EventName.info, (message: string, code: number) => {
      if (handshake.pending && code === 326) return handshake.fail(new BrokerError(message, 'exchange', 326));
      if (this.api === api) this.onCode(code, message, undefined);
    });
    api.on(EventName.error, (err: Error, code: number, reqId: number) => {
      if (handshake.pending) {
        if (reqId === undefined || reqId < 0) handshake.fail(new BrokerError(err.message, code === 326 ? 'exchange' : 'network', code));
        return;
      }
      if (this.api === api) this.onCode(code, err.message, reqId >= 0 ? reqId : undefined);
    });
    this.bindData(lib, api);
    return handshake.dial(() => api.connect(clientId));
  }

  request(sub: Subscription): void {
    const api = this.api;
    if (!api) return;
    this.forget(sub); // after a loss its old request is gone at TWS; ids are never reused
    const spec = parseIbNotation(sub.key.symbol);
    if (!spec.ok) {
      this.link?.failed(sub, new BrokerError(spec.error, 'bad-symbol'));
      return;
    }
    const req: Request = { sub, reqId: this.nextReqId++, contract: toContract(spec.value), bid: NaN, ask: NaN, last: NaN, close: NaN, volume: NaN, quoteDirty: false, rx: NaN, book: undefined, tradeSeq: 0 };
    if (sub.key.channel === 'book') req.book = new DepthBook(Math.max(this.streaming.bookDepth, 1));
    this.byReqId.set(req.reqId, req);
    this.bySub.set(sub, req);
    this.send(api, req);
  }

  cancel(sub: Subscription): void {
    const req = this.bySub.get(sub);
    this.forget(sub);
    const api = this.api;
    if (!req || !api) return;
    this.pacer.send(() => {
      if (this.api !== api) return;
      switch (sub.key.channel) {
        case 'ticker':
          return api.cancelMktData(req.reqId);
        case 'trades':
          return api.cancelTickByTickData(req.reqId);
        case 'book':
          return api.cancelMktDepth(req.reqId, false);
      }
    });
  }

  async disconnect(): Promise<void> {
    this.attempts.hangUp();
    const api = this.api;
    this.api = undefined;
    this.link = undefined;
    this.keepAlive?.dispose();
    this.keepAlive = undefined;
    this.pacer.clear();
    this.byReqId.clear();
    this.bySub.clear();
    if (api) this.hangUp(api);
    await Promise.resolve();
  }

  // ---- requests ---------------------------------------------------------------------

  private send(api: IBApi, req: Request): void {
    this.pacer.send(() => {
      if (this.api !== api || this.byReqId.get(req.reqId) !== req) return;
      this.link?.requested(req.sub);
      switch (req.sub.key.channel) {
        case 'ticker':
          return void api.reqMktData(req.reqId, req.contract, '', false, false);
        case 'trades':
          return void api.reqTickByTickData(req.reqId, req.contract, ibLib!.TickByTickDataType.AllLast, 0, false);
        case 'book':
          return void api.reqMktDepth(req.reqId, req.contract, this.streaming.bookDepth, false, []);
      }
    });
  }

  private forget(sub: Subscription): void {
    const req = this.bySub.get(sub);
    if (!req) return;
    this.bySub.delete(sub);
    this.byReqId.delete(req.reqId);
  }

  /** Closes a connection for good: none of its events reaches us again. */
  private hangUp(api: IBApi): void {
    api.removeAllListeners();
    api.disconnect();
  }

  private connectionGone(err: BrokerError): void {
    const link = this.link;
    void this.disconnect();
    link?.lost(err, true);
  }

  private onCode(code: number, message: string, reqId: number | undefined): void {
    const link = this.link;
    if (!link) return;
    const req = reqId === undefined ? undefined : this.byReqId.get(reqId);
    const meaning = ibMeaning(code, reqId !== undefined);
    switch (meaning.kind) {
      case 'connectivity-lost':
        return link.lost(new BrokerError(message, 'network', code), false);
      case 'restored':
        return link.restored(meaning.dataLost);
      case 'farm':
        return link.notice(message, code);
      case 'pacing':
        this.pacer.violated();
        this.log.record('warn', 'connection', 'IB pacing violation; slowing requests down', { exchange: this.exchange, gapMs: this.pacer.gapMs });
        if (req && this.api) this.send(this.api, req); // TWS dropped it: once more, slower
        return;
      case 'no-permission':
        if (!req) return;
        if (req.sub.key.channel !== 'ticker' || this.delayedMode) return link.failed(req.sub, new BrokerError(message, 'exchange', code));
        return this.switchToDelayed(req);
      case 'request-failed':
        if (req) link.failed(req.sub, new BrokerError(message, meaning.errorClass, code));
        return;
      case 'client-id-in-use':
      case 'other':
        this.log.record('info', 'ib', message, { exchange: this.exchange, code, ...(reqId !== undefined ? { reqId } : {}) });
    }
  }

  private switchToDelayed(req: Request): void {
    const api = this.api;
    if (!api) return;
    this.delayedMode = true;
    this.log.record('warn', 'connection', 'no live IB data permission; using delayed data', { exchange: this.exchange, subscription: req.sub.id });
    this.pacer.send(() => {
      if (this.api === api) api.reqMarketDataType(MARKET_DATA_DELAYED);
    });
    this.request(req.sub);
  }

  // ---- data: the tick path -------------------------------------------------------------

  private bindData({ EventName }: IbLib, api: IBApi): void {
    api.on(EventName.tickPrice, (reqId: number, field: number, tickPrice: number) => {
      const req = this.byReqId.get(reqId);
      this.link?.message();
      if (!req || this.api !== api) return;
      const price = tickPrice === -1 ? NaN : tickPrice; // TWS's "no price now" (e.g. no bid)
      switch (field) {
        case TICK.BID:
        case TICK.DELAYED_BID:
          req.bid = price;
          break;
        case TICK.ASK:
        case TICK.DELAYED_ASK:
          req.ask = price;
          break;
        case TICK.LAST:
        case TICK.DELAYED_LAST:
          req.last = price;
          break;
        case TICK.CLOSE:
        case TICK.DELAYED_CLOSE:
          req.close = price;
          break;
        default:
          return;
      }
      this.quoteChanged(req);
    });
    api.on(EventName.tickSize, (reqId: number, field: number | undefined, size: number | undefined) => {
      const req = this.byReqId.get(reqId);
      this.link?.message();
      if (!req || this.api !== api || size === undefined) return;
      if (field !== TICK.VOLUME && field !== TICK.DELAYED_VOLUME) return; // bid/ask/last sizes: not in the row
      req.volume = size;
      this.quoteChanged(req);
    });
    api.on(EventName.marketDataType, (reqId: number, type: number) => {
      const req = this.byReqId.get(reqId);
      if (req && this.api === api) this.link?.delayed(req.sub, type === 3 || type === 4);
    });
    api.on(EventName.tickByTickAllLast, (reqId: number, _type: number, time: number | string, price: number, size: number | undefined) => {
      const req = this.byReqId.get(reqId);
      this.link?.message();
      if (!req || this.api !== api) return;
      const rx = now();
      const t = req.sub.target;
      const eventTime = Number(time) * 1000;
      if (!t.sink.trade(t.instrument, `${reqId}-${++req.tradeSeq}`, price, size ?? NaN, 0, eventTime, rx, SOURCE_WS, t.processingLatency)) t.tradesShed++;
      this.link?.data(req.sub, rx);
    });
    api.on(EventName.updateMktDepth, (reqId: number, position: number, operation: number, side: number, price: number, size: number | undefined) => {
      const req = this.byReqId.get(reqId);
      this.link?.message();
      if (!req?.book || this.api !== api) return;
      if (!req.book.apply(position, operation, side, price, size ?? 0)) return;
      const rx = now();
      const t = req.sub.target;
      const top = (t.bookTop ??= { key: t.instrument, bids: [], asks: [], eventTime: NaN, receivedAt: NaN, source: SOURCE_WS, state: BOOK_SYNCED_CODE, updateId: NaN }); // TWS keeps the book: synced while connected
      req.book.copyInto(top, t.bookDepth);
      top.eventTime = NaN; // TWS sends no event time with depth rows
      top.receivedAt = rx;
      t.sink.book(top, t.processingLatency);
      this.link?.data(req.sub, rx);
    });
  }

  /** The row is written when the batch leaves (TickSink.atFlush), once for all the fields of this turn. */
  private quoteChanged(req: Request): void {
    if (req.quoteDirty) return;
    req.quoteDirty = true;
    req.rx = now();
    if (this.changedQuotes.push(req) === 1) req.sub.target.sink.atFlush(this.writeQuotes);
  }

  private readonly writeQuotes = (): void => {
    const changed = this.changedQuotes;
    for (let i = 0; i < changed.length; i++) {
      const req = changed[i]!;
      req.quoteDirty = false;
      // a request cancelled or of a connection gone since: nothing to write
      if (this.byReqId.get(req.reqId) === req) this.writeTicker(req);
    }
    changed.length = 0;
  };

  private writeTicker(req: Request): void {
    const rx = req.rx;
    const t = req.sub.target;
    const pct = Number.isFinite(req.last) && req.close > 0 ? ((req.last - req.close) / req.close) * 100 : NaN;
    // reqMktData carries no exchange time: the receipt is the best event time there is.
    t.sink.ticker(t.instrument, req.bid, req.ask, req.last, pct, req.volume, NaN, rx, rx, SOURCE_WS, t.processingLatency);
    this.link?.data(req.sub, rx);
  }

  private where(): string {
    return `${this.connection.host}:${this.connection.port}`;
  }
}

export function toContract(spec: IbContractSpec): Contract {
  const c: Contract = { symbol: spec.symbol, secType: spec.secType as Contract['secType'], exchange: spec.exchange, currency: spec.currency };
  if (spec.lastTradeDateOrContractMonth) c.lastTradeDateOrContractMonth = spec.lastTradeDateOrContractMonth;
  return c;
}
