// A stand-in for Futu OpenD's WebSocket interface, enough of it for the
// unmodified futu-api client: InitWebSocket (cmd 1), KeepAlive (1004), Qot_Sub
// (3001) for basic quote, ticker and order book, and their pushes (3005, 3011,
// 3013) driven by a seeded random walk per security.
//
// OpenD's rules the stand-in enforces, because the Futu adapter must live with
// them: a subscription holds one quota unit per (security, type) whichever
// connections share it, and a Sub that would exceed the quota is refused whole;
// nothing can be unsubscribed within a minute of being subscribed; the quota of a
// connection that closes early is only released when that minute is over.
// The minute and the clock are options, so tests need not wait one.
//
// Faults: drop() closes every connection, stall() silences the connections open
// now (no replies, no pushes; the sockets stay open), setQuota() lowers the quota;
// fault() takes them as the developer menu sends them.
// view() shows connections, subscriptions, held quota and counters.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { OpenDFault } from '../../shared/contract/broker-faults';
import { Owner } from '../../shared/lifecycle/owner';
import { ownedInterval, systemScheduler, type Scheduler } from '../../shared/lifecycle/timers';
import { futuSymbolOf } from '../../shared/futu-notation';
import { decodeRequest, encodeResponse } from './frame';
import { OPEND_CMD, PB, SUB_TYPE, decode, encode } from './proto';
import { OPEND_LISTING } from './listing';
import { QuoteModel, type OpenDSecurity } from './quote-model';

export interface OpenDStandInOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 42. Same seed -> same price path per security. */
  seed?: number;
  /** Pushes per subscribed security per second are 1000 / this (default 100 ms). */
  pushIntervalMs?: number;
  /** Subscription quota in (security, type) units (default 100). */
  quota?: number;
  /** OpenD's "no unsubscribe within a minute" (default 60000 ms). */
  minSubscriptionMs?: number;
  /** When set, InitWebSocket must carry md5(key), as futu-api sends it. */
  websocketKey?: string;
  /** Clock for the one-minute rule and timer for pushes (default the system's). */
  scheduler?: Scheduler;
}

/** What the stand-in answers, in the style of OpenD's own messages. */
export const OPEND_MESSAGES = {
  quota: (used: number, need: number, quota: number) =>
    `Insufficient subscription quota: ${used} of ${quota} used, ${need} more requested`,
  tooSoon: (sym: string, type: string, leftS: number) =>
    `Unsubscribe failed: ${sym} ${type} was subscribed less than one minute ago (${leftS} s left)`,
  badKey: 'websocket key mismatch',
  unknownSecurity: (market: number, code: string) => `Unknown stock ${market}.${code}`,
  badSubType: (t: number) => `Unsupported subscription type ${t}`,
} as const;

const TYPE_NAMES: Record<number, string> = { [SUB_TYPE.basic]: 'basic', [SUB_TYPE.orderBook]: 'orderBook', [SUB_TYPE.ticker]: 'ticker' };

interface Subscription {
  security: OpenDSecurity;
  type: number;
  since: number;
}

interface Connection {
  id: number;
  ws: WebSocket;
  initialised: boolean;
  stalled: boolean;
  /** "HK.00700:basic" → subscription. */
  subs: Map<string, Subscription>;
  keepAlives: number;
  pushes: number;
}

export interface OpenDConnectionView {
  connId: number;
  initialised: boolean;
  stalled: boolean;
  /** "HK.00700:basic", sorted. */
  subscriptions: string[];
  keepAlives: number;
  /** Pushes sent on this connection. */
  pushes: number;
}

export interface OpenDView {
  connections: OpenDConnectionView[];
  /** Quota units held: live subscriptions plus those of closed connections still inside their minute. */
  quotaUsed: number;
  quota: number;
  /** Subscriptions of closed connections still holding quota, sorted. */
  lingering: string[];
  counts: {
    inits: number;
    keepAlives: number;
    subs: number;
    unsubs: number;
    refused: number;
    pushes: number;
    malformed: number;
    /** Frames a stalled connection swallowed. */
    swallowed: number;
    /** Push intervals run (with or without anything to push). */
    ticks: number;
    /** Qot_GetStaticInfo requests answered (the symbol search's catalogue). */
    staticInfos: number;
  };
}

function keyOf(sec: OpenDSecurity, type: number): string {
  return `${futuSymbolOf(sec.market, sec.code) ?? `${sec.market}.${sec.code}`}:${TYPE_NAMES[type] ?? type}`;
}

export class OpenDStandIn {
  private readonly opts: Required<Omit<OpenDStandInOptions, 'websocketKey'>> & { websocketKey: string | undefined };
  private readonly owner = new Owner('opend-standin');
  private wss: WebSocketServer | undefined;
  private readonly conns = new Map<number, Connection>();
  private readonly models = new Map<string, QuoteModel>();
  /** Closed connections' subscriptions, until their minute is over. */
  private readonly lingering = new Map<string, number>();
  private nextConnId = 1;
  /** What the fault "clear" restores. */
  private readonly initialQuota: number;
  private readonly counts = { inits: 0, keepAlives: 0, subs: 0, unsubs: 0, refused: 0, pushes: 0, malformed: 0, swallowed: 0, ticks: 0, staticInfos: 0 };

  constructor(options: OpenDStandInOptions = {}) {
    this.opts = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      seed: options.seed ?? 42,
      pushIntervalMs: options.pushIntervalMs ?? 100,
      quota: options.quota ?? 100,
      minSubscriptionMs: options.minSubscriptionMs ?? 60_000,
      websocketKey: options.websocketKey,
      scheduler: options.scheduler ?? systemScheduler,
    };
    this.initialQuota = this.opts.quota;
  }

  /** Listens; resolves with the port. */
  async start(): Promise<number> {
    const wss = new WebSocketServer({ host: this.opts.host, port: this.opts.port });
    this.wss = wss;
    this.owner.add('server', () => new Promise<void>((resolve) => wss.close(() => resolve())));
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    wss.on('connection', (ws) => this.accept(ws));
    ownedInterval(this.opts.scheduler, this.owner, () => this.pushAll(), this.opts.pushIntervalMs, 'push');
    return (wss.address() as AddressInfo).port;
  }

  get port(): number {
    return (this.wss?.address() as AddressInfo | undefined)?.port ?? 0;
  }

  /** Closes every connection (the fault "drop"); the server keeps accepting. */
  drop(): void {
    for (const c of this.conns.values()) c.ws.terminate();
  }

  /** Silences every connection open now: no replies, no pushes, sockets stay open. */
  stall(): void {
    for (const c of this.conns.values()) c.stalled = true;
  }

  /** Ends a stall on the connections still open. */
  resume(): void {
    for (const c of this.conns.values()) c.stalled = false;
  }

  setQuota(quota: number): void {
    this.opts.quota = quota;
  }

  /** The developer menu's faults (shared/contract/broker-faults.ts). */
  fault(f: OpenDFault): void {
    switch (f.kind) {
      case 'drop':
        return this.drop();
      case 'stall':
        return this.stall();
      case 'quota':
        return this.setQuota(f.quota);
      case 'clear':
        this.resume();
        this.setQuota(this.initialQuota);
        return;
    }
  }

  view(): OpenDView {
    this.expireLingering();
    return {
      connections: [...this.conns.values()].map((c) => ({
        connId: c.id,
        initialised: c.initialised,
        stalled: c.stalled,
        subscriptions: [...c.subs.keys()].sort(),
        keepAlives: c.keepAlives,
        pushes: c.pushes,
      })),
      quotaUsed: this.heldKeys().size,
      quota: this.opts.quota,
      lingering: [...this.lingering.keys()].sort(),
      counts: { ...this.counts },
    };
  }

  async close(): Promise<void> {
    for (const c of this.conns.values()) c.ws.terminate();
    await this.owner.close(5000);
  }

  private accept(ws: WebSocket): void {
    const conn: Connection = { id: this.nextConnId++, ws, initialised: false, stalled: false, subs: new Map(), keepAlives: 0, pushes: 0 };
    this.conns.set(conn.id, conn);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('close', () => this.onClose(conn));
    ws.on('error', () => ws.terminate());
  }

  private onClose(conn: Connection): void {
    this.conns.delete(conn.id);
    // OpenD keeps a subscription younger than the minute until the minute is over.
    const now = this.opts.scheduler.now();
    for (const [key, s] of conn.subs) {
      const until = s.since + this.opts.minSubscriptionMs;
      if (until > now) this.lingering.set(key, Math.max(until, this.lingering.get(key) ?? 0));
    }
    conn.subs.clear();
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.stalled) {
      this.counts.swallowed++;
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const frame = isBinary ? decodeRequest(bytes) : 'OpenD speaks binary frames only';
    if (typeof frame === 'string') {
      this.counts.malformed++;
      conn.ws.close(1002, frame.slice(0, 120));
      return;
    }
    switch (frame.cmd) {
      case OPEND_CMD.init:
        return this.onInit(conn, frame.serial, frame.body);
      case OPEND_CMD.keepAlive:
        return this.onKeepAlive(conn, frame.serial, frame.body);
      case OPEND_CMD.sub:
        return this.onSub(conn, frame.serial, frame.body);
      case OPEND_CMD.staticInfo:
        return this.onStaticInfo(conn, frame.serial, frame.body);
      default:
        return this.reply(conn, frame.cmd, frame.serial, PB.subResponse, { retType: -1, retMsg: `Unknown protocol ID ${frame.cmd}` });
    }
  }

  private reply(conn: Connection, cmd: number, serial: bigint, type: (typeof PB)[keyof typeof PB], value: unknown, error = 0, errmsg = ''): void {
    conn.ws.send(encodeResponse(cmd, serial, encode(type, value), error, errmsg));
  }

  /** Qot_GetStaticInfo: the listing of one market (and security type, if given), or of the securities named. */
  private onStaticInfo(conn: Connection, serial: bigint, body: Uint8Array): void {
    this.counts.staticInfos++;
    const req = decode(PB.staticInfoRequest, body);
    const c2s = typeof req === 'string' ? undefined : (req.c2s as { market?: number; secType?: number; securityList?: OpenDSecurity[] } | undefined);
    if (!conn.initialised || !c2s) return this.reply(conn, OPEND_CMD.staticInfo, serial, PB.staticInfoResponse, { retType: -1, retMsg: typeof req === 'string' ? req : 'not initialised' });
    const named = c2s.securityList?.length ? new Set(c2s.securityList.map((s) => `${s.market}.${s.code}`)) : undefined;
    const staticInfoList = OPEND_LISTING.filter((l) =>
      named ? named.has(`${l.market}.${l.code}`) : l.market === c2s.market && (c2s.secType === undefined || c2s.secType === 0 || l.secType === c2s.secType),
    ).map((l, i) => ({
      basic: { security: { market: l.market, code: l.code }, id: 1000 + i, lotSize: l.lotSize, secType: l.secType, name: l.name, listTime: l.listTime, delisting: l.delisting ?? false },
    }));
    this.reply(conn, OPEND_CMD.staticInfo, serial, PB.staticInfoResponse, { retType: 0, s2c: { staticInfoList } });
  }

  private onInit(conn: Connection, serial: bigint, body: Uint8Array): void {
    const req = decode(PB.initRequest, body);
    const key = typeof req === 'string' ? undefined : ((req.c2s as Record<string, unknown> | undefined)?.websocketKey as string | undefined);
    const want = this.opts.websocketKey === undefined ? undefined : createHash('md5').update(this.opts.websocketKey).digest('hex');
    if (typeof req === 'string' || (want !== undefined && key !== want)) {
      // futu-api reads init failure from the frame head's error, not from retType.
      const msg = typeof req === 'string' ? req : OPEND_MESSAGES.badKey;
      this.reply(conn, OPEND_CMD.init, serial, PB.initResponse, { retType: -1, retMsg: msg }, -1, msg);
      return;
    }
    conn.initialised = true;
    this.counts.inits++;
    const serverTime = Math.floor(this.opts.scheduler.now() / 1000);
    this.reply(conn, OPEND_CMD.init, serial, PB.initResponse, { retType: 0, s2c: { serverTime, connID: conn.id } });
  }

  private onKeepAlive(conn: Connection, serial: bigint, body: Uint8Array): void {
    const req = decode(PB.keepAliveRequest, body);
    if (typeof req === 'string') return this.reply(conn, OPEND_CMD.keepAlive, serial, PB.keepAliveResponse, { retType: -1, retMsg: req });
    conn.keepAlives++;
    this.counts.keepAlives++;
    this.reply(conn, OPEND_CMD.keepAlive, serial, PB.keepAliveResponse, { retType: 0, s2c: { time: Math.floor(this.opts.scheduler.now() / 1000) } });
  }

  private onSub(conn: Connection, serial: bigint, body: Uint8Array): void {
    const refuse = (retMsg: string) => {
      this.counts.refused++;
      this.reply(conn, OPEND_CMD.sub, serial, PB.subResponse, { retType: -1, retMsg, errCode: -1 });
    };
    if (!conn.initialised) return refuse('Connection not initialised');
    const req = decode(PB.subRequest, body);
    if (typeof req === 'string') return refuse(req);
    const c2s = req.c2s as { securityList?: OpenDSecurity[]; subTypeList?: number[]; isSubOrUnSub: boolean; isUnsubAll?: boolean; isFirstPush?: boolean };
    const now = this.opts.scheduler.now();
    const wanted: Subscription[] = [];
    if (c2s.isUnsubAll) wanted.push(...conn.subs.values());
    else {
      for (const t of c2s.subTypeList ?? []) if (!TYPE_NAMES[t]) return refuse(OPEND_MESSAGES.badSubType(t));
      for (const sec of c2s.securityList ?? []) {
        if (futuSymbolOf(sec.market, sec.code) === undefined || !/^[A-Za-z0-9.]{1,32}$/.test(sec.code)) return refuse(OPEND_MESSAGES.unknownSecurity(sec.market, sec.code));
        for (const type of c2s.subTypeList ?? []) wanted.push({ security: { market: sec.market, code: sec.code }, type, since: now });
      }
    }
    if (c2s.isSubOrUnSub && !c2s.isUnsubAll) {
      const held = this.heldKeys();
      const fresh = new Set(wanted.map((s) => keyOf(s.security, s.type)).filter((k) => !held.has(k)));
      if (held.size + fresh.size > this.opts.quota) return refuse(OPEND_MESSAGES.quota(held.size, fresh.size, this.opts.quota));
      for (const s of wanted) {
        const key = keyOf(s.security, s.type);
        if (conn.subs.has(key)) continue; // OpenD accepts a repeat and keeps the first time
        conn.subs.set(key, s);
        this.counts.subs++;
        if (c2s.isFirstPush !== false) this.pushOne(conn, s);
      }
    } else {
      for (const s of wanted) {
        const have = conn.subs.get(keyOf(s.security, s.type));
        if (have && now - have.since < this.opts.minSubscriptionMs) {
          const left = Math.ceil((have.since + this.opts.minSubscriptionMs - now) / 1000);
          return refuse(OPEND_MESSAGES.tooSoon(keyOf(s.security, s.type).replace(/:.*/, ''), TYPE_NAMES[s.type]!, left));
        }
      }
      for (const s of wanted) if (conn.subs.delete(keyOf(s.security, s.type))) this.counts.unsubs++;
    }
    this.reply(conn, OPEND_CMD.sub, serial, PB.subResponse, { retType: 0, s2c: {} });
  }

  private expireLingering(): void {
    const now = this.opts.scheduler.now();
    for (const [key, until] of this.lingering) if (until <= now) this.lingering.delete(key);
  }

  private heldKeys(): Set<string> {
    this.expireLingering();
    const held = new Set(this.lingering.keys());
    for (const c of this.conns.values()) for (const k of c.subs.keys()) held.add(k);
    return held;
  }

  private model(sec: OpenDSecurity): QuoteModel {
    const id = `${sec.market}.${sec.code}`;
    let m = this.models.get(id);
    if (!m) this.models.set(id, (m = new QuoteModel(sec, this.opts.seed)));
    return m;
  }

  /** The current state of one subscription, right after it was made (OpenD's first push). */
  private pushOne(conn: Connection, s: Subscription): void {
    const m = this.model(s.security);
    const now = this.opts.scheduler.now();
    if (s.type === SUB_TYPE.basic) this.send(conn, OPEND_CMD.basicQot, encode(PB.basicQot, { retType: 0, s2c: { basicQotList: [m.basicQot(now)] } }));
    else if (s.type === SUB_TYPE.orderBook) {
      const b = m.book();
      this.send(conn, OPEND_CMD.orderBook, encode(PB.orderBook, { retType: 0, s2c: { security: s.security, orderBookAskList: b.asks, orderBookBidList: b.bids } }));
    }
  }

  private send(conn: Connection, cmd: number, body: Uint8Array): void {
    if (conn.stalled || !conn.initialised || conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(encodeResponse(cmd, 0n, body));
    conn.pushes++;
    this.counts.pushes++;
  }

  /** One step per subscribed security; each message encoded once for every connection that wants it. */
  private pushAll(): void {
    this.counts.ticks++;
    const bySecurity = new Map<string, { sec: OpenDSecurity; types: Set<number> }>();
    for (const c of this.conns.values()) {
      if (c.stalled) continue;
      for (const s of c.subs.values()) {
        const id = `${s.security.market}.${s.security.code}`;
        let e = bySecurity.get(id);
        if (!e) bySecurity.set(id, (e = { sec: s.security, types: new Set() }));
        e.types.add(s.type);
      }
    }
    if (bySecurity.size === 0) return;
    const now = this.opts.scheduler.now();
    for (const { sec, types } of bySecurity.values()) {
      const m = this.model(sec);
      const trade = m.step(now);
      const frames = new Map<number, [number, Uint8Array]>();
      if (types.has(SUB_TYPE.basic)) frames.set(SUB_TYPE.basic, [OPEND_CMD.basicQot, encode(PB.basicQot, { retType: 0, s2c: { basicQotList: [m.basicQot(now)] } })]);
      if (types.has(SUB_TYPE.ticker)) frames.set(SUB_TYPE.ticker, [OPEND_CMD.ticker, encode(PB.ticker, { retType: 0, s2c: { security: sec, tickerList: [m.ticker(trade)] } })]);
      if (types.has(SUB_TYPE.orderBook)) {
        const b = m.book();
        frames.set(SUB_TYPE.orderBook, [OPEND_CMD.orderBook, encode(PB.orderBook, { retType: 0, s2c: { security: sec, orderBookAskList: b.asks, orderBookBidList: b.bids } })]);
      }
      for (const c of this.conns.values()) {
        for (const [type, [cmd, body]] of frames) if (c.subs.has(keyOf(sec, type))) this.send(c, cmd, body);
      }
    }
  }
}
