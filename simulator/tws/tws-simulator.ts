// A stand-in for TWS / IB Gateway speaking the TWS API over TCP (server version
// 193, the newest @stoqey/ib 1.6 accepts), for tests and the built-in "sim-ib"
// entry: handshake and version negotiation, START_API, next valid id, managed
// accounts, contract details, market data (reqMktData ticks), tick-by-tick AllLast,
// market depth (rows by position), current time, market data type (delayed data
// without live permission), and the faults a real TWS produces: dropped and
// refused connections, a stalled server, connectivity codes 1100/1101/1102, a
// client id in use (326), pacing violations (100) and unknown contracts (200).
// view() says what is connected and subscribed, like the Binance simulator's.
import net from 'node:net';
import type { TwsFault } from '../../shared/contract/broker-faults';
import { formatIbNotation, type IbContractSpec } from '../../shared/instrument-notation';
import { hashString, Prng } from '../prng';
import { frame, WireReader } from './wire';

export const SERVER_VERSION = 193;
/** The oldest client version range this stand-in accepts (V100+ framing). */
const MIN_CLIENT_VERSION = 100;

/** Outgoing message ids. */
const OUT = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ERR_MSG: 4,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  MARKET_DEPTH: 12,
  MANAGED_ACCTS: 15,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
  MARKET_DATA_TYPE: 58,
  TICK_REQ_PARAMS: 81,
  TICK_BY_TICK: 99,
} as const;

/** Incoming message ids. */
const IN = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  REQ_MKT_DEPTH: 10,
  CANCEL_MKT_DEPTH: 11,
  REQ_MANAGED_ACCTS: 17,
  REQ_CURRENT_TIME: 49,
  REQ_MARKET_DATA_TYPE: 59,
  START_API: 71,
  REQ_TICK_BY_TICK_DATA: 97,
  CANCEL_TICK_BY_TICK_DATA: 98,
} as const;

/** reqMktData tick types, live (market data type 1) and delayed (3). */
const LIVE_TICKS = { bidSize: 0, bid: 1, ask: 2, askSize: 3, last: 4, volume: 8, close: 9 } as const;
const DELAYED_TICKS = { bidSize: 69, bid: 66, ask: 67, askSize: 70, last: 68, volume: 74, close: 75 } as const;

export const TWS_MESSAGES = {
  1100: 'Connectivity between IB and Trader Workstation has been lost.',
  1101: 'Connectivity between IB and Trader Workstation has been restored - data lost.',
  1102: 'Connectivity between IB and Trader Workstation has been restored - data maintained.',
  326: 'Unable to connect as the client id is already in use. Retry with a unique client id.',
  200: 'No security definition has been found for the request',
  354: 'Requested market data is not subscribed.',
  100: 'Max rate of messages per second has been exceeded.',
  2104: 'Market data farm connection is OK:usfarm',
  2106: 'HMDS data farm connection is OK:ushmds',
  2158: 'Sec-def data farm connection is OK:secdefnj',
} as const;

// The faults (drop, refuse, stall, 1100/1101/1102, client id in use, pacing, live
// permission, clear) are the developer menu's contract: shared/contract/broker-faults.ts.
export type { TwsFault };

export type TwsRequestKind = 'mktData' | 'tickByTick' | 'depth';

export interface TwsView {
  connections: Array<{ id: number; clientId: number | undefined; openedAt: number; marketDataType: number; /** Messages sent on this connection. */ messagesSent: number; requests: Array<{ reqId: number; kind: TwsRequestKind; contract: string }> }>;
  /** "kind contract" -> live requests for it over all connections. */
  subscriptions: Record<string, number>;
  totals: {
    connectionsOpened: number;
    connectionsClosed: number;
    connectionsRefused: number;
    /** Successful START_API handshakes. */
    sessions: number;
    requests: Record<TwsRequestKind, number>;
    cancels: number;
    pacingViolations: number;
    unknownContracts: number;
    messagesSent: number;
  };
}

export interface TwsSimulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  seed?: number;
  /** Market data updates per second per request. */
  ratePerRequest?: number;
  /** Contracts it knows; others get error 200. */
  contracts?: IbContractSpec[];
  livePermission?: boolean;
  account?: string;
}

export const DEFAULT_TWS_CONTRACTS: IbContractSpec[] = [
  { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' },
  { symbol: 'MSFT', secType: 'STK', exchange: 'SMART', currency: 'USD' },
  { symbol: 'NVDA', secType: 'STK', exchange: 'SMART', currency: 'USD' },
  { symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' },
  { symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' },
];

interface Instrument {
  spec: IbContractSpec;
  conId: number;
  tick: number;
  mid: number;
  close: number;
  volume: number;
  prng: Prng;
}

interface Request {
  reqId: number;
  kind: TwsRequestKind;
  instrument: Instrument;
  rows: number;
  /** The market data type it is served with (1 live, 3 delayed). */
  type: number;
}

interface Conn {
  id: number;
  socket: net.Socket;
  reader: WireReader;
  openedAt: number;
  clientId: number | undefined;
  started: boolean;
  marketDataType: number;
  requests: Map<number, Request>;
  windowStart: number;
  windowCount: number;
  messagesSent: number;
}

export class TwsSimulator {
  private server: net.Server | undefined;
  private readonly conns = new Map<number, Conn>();
  private readonly instruments: Instrument[];
  private nextConnId = 1;
  private nextOrderId = 1;
  private ticker: NodeJS.Timeout | undefined;
  private refuseUntil = 0;
  private stallUntil = 0;
  private upstreamDown = false;
  private pacingPerSecond = 0;
  private livePermission: boolean;
  /** What "clear" restores. */
  private readonly initialLivePermission: boolean;
  private readonly heldClientIds = new Set<number>();
  private readonly totals: TwsView['totals'] = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    connectionsRefused: 0,
    sessions: 0,
    requests: { mktData: 0, tickByTick: 0, depth: 0 },
    cancels: 0,
    pacingViolations: 0,
    unknownContracts: 0,
    messagesSent: 0,
  };
  private readonly rate: number;
  private readonly account: string;

  constructor(private readonly options: TwsSimulatorOptions = {}) {
    const seed = options.seed ?? 42;
    this.rate = options.ratePerRequest ?? 4;
    this.livePermission = this.initialLivePermission = options.livePermission ?? true;
    this.account = options.account ?? 'DU1234567';
    this.instruments = (options.contracts ?? DEFAULT_TWS_CONTRACTS).map((spec, i) => {
      const prng = new Prng(hashString(formatIbNotation(spec), seed));
      const cash = spec.secType === 'CASH';
      const mid = cash ? 1 + prng.next() : spec.secType === 'FUT' ? 5000 + 1000 * prng.next() : 50 + 400 * prng.next();
      const tick = cash ? 0.00005 : spec.secType === 'FUT' ? 0.25 : 0.01;
      return { spec, conId: 1000 + i, tick, mid, close: mid, volume: 0, prng };
    });
  }

  async start(): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    if (this.rate > 0) this.ticker = setInterval(() => this.step(), Math.max(5, 1000 / this.rate));
  }

  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    for (const c of this.conns.values()) c.socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  view(): TwsView {
    const subscriptions: Record<string, number> = {};
    const connections = [...this.conns.values()].map((c) => ({
      id: c.id,
      clientId: c.clientId,
      openedAt: c.openedAt,
      marketDataType: c.marketDataType,
      messagesSent: c.messagesSent,
      requests: [...c.requests.values()].map((r) => {
        const contract = formatIbNotation(r.instrument.spec);
        const key = `${r.kind} ${contract}`;
        subscriptions[key] = (subscriptions[key] ?? 0) + 1;
        return { reqId: r.reqId, kind: r.kind, contract };
      }),
    }));
    return { connections, subscriptions, totals: structuredClone(this.totals) };
  }

  fault(f: TwsFault): void {
    const now = Date.now();
    switch (f.kind) {
      case 'drop':
        for (const c of this.conns.values()) c.socket.destroy();
        return;
      case 'refuse':
        this.refuseUntil = now + f.ms;
        return;
      case 'stall':
        this.stallUntil = now + f.ms;
        return;
      case 'connectivity-lost':
        this.upstreamDown = true;
        for (const c of this.conns.values()) if (c.started) this.error(c, -1, 1100);
        return;
      case 'connectivity-restored':
        this.upstreamDown = false;
        for (const c of this.conns.values()) {
          if (!c.started) continue;
          if (f.dataLost) c.requests.clear();
          this.error(c, -1, f.dataLost ? 1101 : 1102);
        }
        return;
      case 'client-id-in-use':
        this.heldClientIds.add(f.clientId);
        return;
      case 'pacing':
        this.pacingPerSecond = f.perSecond;
        return;
      case 'live-permission':
        this.livePermission = f.granted;
        return;
      case 'clear':
        this.refuseUntil = 0;
        this.stallUntil = 0;
        this.heldClientIds.clear();
        this.pacingPerSecond = 0;
        this.livePermission = this.initialLivePermission;
        if (this.upstreamDown) this.fault({ kind: 'connectivity-restored', dataLost: false });
        return;
    }
  }

  // ---- connections ---------------------------------------------------------------------

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (Date.now() < this.refuseUntil) {
      this.totals.connectionsRefused++;
      socket.destroy();
      return;
    }
    const conn: Conn = { id: this.nextConnId++, socket, reader: new WireReader(), openedAt: Date.now(), clientId: undefined, started: false, marketDataType: 1, requests: new Map(), windowStart: 0, windowCount: 0, messagesSent: 0 };
    this.conns.set(conn.id, conn);
    this.totals.connectionsOpened++;
    socket.on('data', (chunk: Buffer) => this.receive(conn, chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.conns.delete(conn.id)) this.totals.connectionsClosed++;
    });
  }

  private receive(conn: Conn, chunk: Buffer): void {
    for (const unit of conn.reader.push(chunk)) {
      if (unit.kind === 'invalid') return void conn.socket.destroy();
      if (unit.kind === 'hello') {
        // The newest version both speak; a client that cannot meet us is hung up on.
        const version = Math.min(SERVER_VERSION, unit.maxVersion);
        if (version < Math.max(unit.minVersion, MIN_CLIENT_VERSION)) return void conn.socket.destroy();
        this.send(conn, [version, twsTime(new Date())]);
        continue;
      }
      this.handle(conn, unit.fields);
    }
  }

  private handle(conn: Conn, f: string[]): void {
    const id = Number(f[0]);
    if (!conn.started) {
      if (id !== IN.START_API) return void conn.socket.destroy();
      return this.startApi(conn, Number(f[2]));
    }
    switch (id) {
      case IN.REQ_MKT_DATA:
        // [id, version, reqId, conId, symbol, secType, lastTradeDate, strike, right, multiplier, exchange, primaryExch, currency, ...]
        return this.requestData(conn, 'mktData', Number(f[2]), contractOf(f, 4), 0);
      case IN.REQ_MKT_DEPTH:
        return this.requestData(conn, 'depth', Number(f[2]), contractOf(f, 4), Number(f[15]) || 5);
      case IN.REQ_TICK_BY_TICK_DATA:
        // [id, reqId, conId, symbol, secType, ...]
        return this.requestData(conn, 'tickByTick', Number(f[1]), contractOf(f, 3), 0);
      case IN.CANCEL_MKT_DATA:
      case IN.CANCEL_MKT_DEPTH:
        return this.cancel(conn, Number(f[2]));
      case IN.CANCEL_TICK_BY_TICK_DATA:
        return this.cancel(conn, Number(f[1]));
      case IN.REQ_MARKET_DATA_TYPE:
        conn.marketDataType = Number(f[2]) || 1;
        return;
      case IN.REQ_CURRENT_TIME:
        return this.send(conn, [OUT.CURRENT_TIME, 1, Math.floor(Date.now() / 1000)]);
      case IN.REQ_IDS:
        return this.send(conn, [OUT.NEXT_VALID_ID, 1, this.nextOrderId]);
      case IN.REQ_MANAGED_ACCTS:
        return this.send(conn, [OUT.MANAGED_ACCTS, 1, this.account]);
      case IN.REQ_CONTRACT_DATA:
        return this.contractDetails(conn, Number(f[2]), contractOf(f, 4));
    }
  }

  private startApi(conn: Conn, clientId: number): void {
    const inUse = this.heldClientIds.has(clientId) || [...this.conns.values()].some((c) => c !== conn && c.started && c.clientId === clientId);
    if (inUse) {
      this.error(conn, -1, 326);
      conn.socket.end();
      return;
    }
    conn.clientId = clientId;
    conn.started = true;
    this.totals.sessions++;
    this.send(conn, [OUT.MANAGED_ACCTS, 1, this.account]);
    this.send(conn, [OUT.NEXT_VALID_ID, 1, this.nextOrderId]);
    for (const code of [2104, 2106, 2158] as const) this.error(conn, -1, code);
  }

  // ---- requests ----------------------------------------------------------------------------

  private requestData(conn: Conn, kind: TwsRequestKind, reqId: number, wanted: ContractFields, rows: number): void {
    if (this.pacingPerSecond > 0) {
      const t = Date.now();
      if (t - conn.windowStart >= 1000) {
        conn.windowStart = t;
        conn.windowCount = 0;
      }
      if (++conn.windowCount > this.pacingPerSecond) {
        this.totals.pacingViolations++;
        return this.error(conn, reqId, 100);
      }
    }
    const instrument = this.find(wanted);
    if (!instrument) {
      this.totals.unknownContracts++;
      return this.error(conn, reqId, 200);
    }
    const type = this.livePermission ? 1 : conn.marketDataType;
    if (type === 1 && !this.livePermission) return this.error(conn, reqId, 354);
    if (kind !== 'mktData' && !this.livePermission) return this.error(conn, reqId, 354); // no delayed tick-by-tick or depth
    this.totals.requests[kind]++;
    const req: Request = { reqId, kind, instrument, rows: Math.min(Math.max(rows, 1), 20), type };
    conn.requests.set(reqId, req);
    if (kind === 'mktData') {
      this.send(conn, [OUT.MARKET_DATA_TYPE, 1, reqId, type]);
      this.send(conn, [OUT.TICK_REQ_PARAMS, reqId, instrument.tick, '9c0001', 3]);
      this.sendQuote(conn, req, true);
    } else if (kind === 'depth') {
      this.sendDepth(conn, req, 0);
    }
  }

  private cancel(conn: Conn, reqId: number): void {
    if (conn.requests.delete(reqId)) this.totals.cancels++;
  }

  private find(c: ContractFields): Instrument | undefined {
    return this.instruments.find(
      (i) =>
        i.spec.symbol === c.symbol &&
        i.spec.secType === c.secType &&
        i.spec.currency === c.currency &&
        (i.spec.lastTradeDateOrContractMonth ?? '') === c.lastTradeDateOrContractMonth,
    );
  }

  private contractDetails(conn: Conn, reqId: number, wanted: ContractFields): void {
    const i = this.find(wanted);
    if (!i) {
      this.totals.unknownContracts++;
      return this.error(conn, reqId, 200);
    }
    const s = i.spec;
    const expiry = s.lastTradeDateOrContractMonth ?? '';
    // Field order of CONTRACT_DATA at server version 193 (no version field since SIZE_RULES).
    this.send(conn, [
      OUT.CONTRACT_DATA, reqId, s.symbol, s.secType, expiry, '', 0, '', s.exchange, s.currency, s.secType === 'CASH' ? `${s.symbol}.${s.currency}` : s.symbol,
      s.symbol, s.symbol, i.conId, i.tick, s.secType === 'FUT' ? 50 : '', 'LMT,MKT', s.exchange, 1, 0, `${s.symbol} (simulated)`, s.secType === 'STK' ? 'NASDAQ' : '',
      expiry.slice(0, 6), '', '', '', 'US/Eastern', '', '', '', '', 0, 0, '', '', '26', '', s.secType === 'STK' ? 'COMMON' : '', 1, 1, 1, 0,
    ]);
    this.send(conn, [OUT.CONTRACT_DATA_END, 1, reqId]);
  }

  // ---- data ---------------------------------------------------------------------------------

  private step(): void {
    if (Date.now() < this.stallUntil || this.upstreamDown) return;
    for (const i of this.instruments) {
      i.mid = Math.max(i.tick * 10, i.mid * (1 + 2e-4 * i.prng.normal()));
    }
    const trades = new Map<Instrument, { price: number; size: number }>();
    for (const conn of this.conns.values()) {
      for (const req of conn.requests.values()) {
        const i = req.instrument;
        if (req.kind === 'mktData') this.sendQuote(conn, req, false);
        else if (req.kind === 'depth') this.sendDepth(conn, req, 1);
        else if (i.spec.secType !== 'CASH') {
          let t = trades.get(i);
          if (!t) {
            t = { price: roundTo(i.mid + (i.prng.next() < 0.5 ? -1 : 1) * i.tick, i.tick), size: 1 + i.prng.int(100) };
            i.volume += t.size;
            trades.set(i, t);
          }
          this.send(conn, [OUT.TICK_BY_TICK, req.reqId, 2, Math.floor(Date.now() / 1000), t.price, t.size, 0, 'ISLAND', '']);
        }
      }
    }
  }

  private sendQuote(conn: Conn, req: Request, first: boolean): void {
    if (Date.now() < this.stallUntil) return;
    const i = req.instrument;
    const t = req.type === 1 ? LIVE_TICKS : DELAYED_TICKS;
    const bid = roundTo(i.mid - i.tick, i.tick);
    const ask = roundTo(i.mid + i.tick, i.tick);
    // TICK_PRICE carries a size too; TWS also sends it as its own TICK_SIZE.
    const price = (field: number, value: number, size: number) => this.send(conn, [OUT.TICK_PRICE, 3, req.reqId, field, value, size, 0]);
    price(t.bid, bid, 100);
    this.send(conn, [OUT.TICK_SIZE, 1, req.reqId, t.bidSize, 100]);
    price(t.ask, ask, 200);
    this.send(conn, [OUT.TICK_SIZE, 1, req.reqId, t.askSize, 200]);
    if (i.spec.secType === 'CASH') return; // IDEALPRO: no last price, no volume
    price(t.last, roundTo(i.mid, i.tick), 5);
    if (first) price(t.close, roundTo(i.close, i.tick), 0);
    this.send(conn, [OUT.TICK_SIZE, 1, req.reqId, t.volume, i.volume]);
  }

  /** op 0 inserts every row (a new book), 1 updates them all. */
  private sendDepth(conn: Conn, req: Request, op: number): void {
    if (Date.now() < this.stallUntil) return;
    const i = req.instrument;
    for (let pos = 0; pos < req.rows; pos++) {
      const size = 1 + ((i.prng.next() * 500) | 0);
      this.send(conn, [OUT.MARKET_DEPTH, 1, req.reqId, pos, op, 1, roundTo(i.mid - i.tick * (pos + 1), i.tick), size]);
      this.send(conn, [OUT.MARKET_DEPTH, 1, req.reqId, pos, op, 0, roundTo(i.mid + i.tick * (pos + 1), i.tick), size]);
    }
  }

  private error(conn: Conn, reqId: number, code: keyof typeof TWS_MESSAGES): void {
    const message = code === 100 ? `${TWS_MESSAGES[100]}:max=${this.pacingPerSecond} rec=${conn.windowCount}` : TWS_MESSAGES[code];
    this.send(conn, [OUT.ERR_MSG, 2, reqId, code, message, '']);
  }

  private send(conn: Conn, fields: (string | number)[]): void {
    if (Date.now() < this.stallUntil || conn.socket.destroyed) return;
    conn.socket.write(frame(fields));
    conn.messagesSent++;
    this.totals.messagesSent++;
  }
}

interface ContractFields {
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  currency: string;
}

/** Contract fields of a request from the symbol's index: symbol, secType, lastTradeDate, strike, right, multiplier, exchange, primaryExch, currency. */
function contractOf(f: string[], symbolAt: number): ContractFields {
  return { symbol: f[symbolAt] ?? '', secType: f[symbolAt + 1] ?? '', lastTradeDateOrContractMonth: f[symbolAt + 2] ?? '', currency: f[symbolAt + 8] ?? '' };
}

function roundTo(v: number, tick: number): number {
  return Number((Math.round(v / tick) * tick).toFixed(6));
}

/** TWS's connection time format: "20261201 08:30:00 UTC". */
function twsTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}
