// The exchange simulator: a local HTTP + WebSocket server that speaks enough of
// Binance spot's public protocol for the unmodified ccxt (ccxt.pro.binance with
// its URLs pointed here, see ccxt-config.ts) to load markets, fetch tickers, books
// and trades over REST and stream tickers, trades, book tickers and depth.
//
// It is the app's built-in "sim" exchange and the benchmark's load generator, so
// the hot path is lean: one pacing list and one timer for every stream (pacer.ts),
// one JSON string and one WebSocket frame per message however many sockets are
// subscribed, sockets corked for the whole wake-up so a burst of frames leaves in
// one write, and no per-message objects besides those.
//
// Faults (shared/contract/sim-faults.ts) are injected with fault() or by POSTing
// a SimFault to {control}/fault with the per-run token (control-access.ts);
// {control}/view shows connections, streams, totals and active faults. With
// `control: false` there is no control endpoint at all.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { SimFault } from '../shared/contract/sim-faults';
import { checkControlRequest, newControlToken } from './control-access';
import { FaultState, parseFault } from './faults';
import { SymbolModel } from './market-model';
import { Pacer, type Paced } from './pacer';
import { TRADE_HISTORY_LIMIT } from './trade-history';
import { type KlineInterval, type KlineSeries } from './klines';
import { BinanceRestApi, JSON_TYPE, REST_ERRORS } from './binance-rest';
import { parseStream, type StreamKind } from './streams';
import { DEFAULT_SYMBOL_COUNT, defaultSymbols, specFor, type SymbolSpec } from './symbols';
import type { BookView, DepthSnapshot, DepthTracker } from './market-model';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 42. Same seed -> same price path per symbol. */
  seed?: number;
  /** Unified symbols ('BTC/USDT'), or how many of the default list (then SYM<n>/USDT). Default 20. */
  symbols?: string[] | number;
  /** Messages per second per subscribed stream (default 4); 0 pauses, fractions and very high values work. */
  ratePerSymbol?: number;
  /** Server pings, like Binance's every 20 s (default 20000; 0 = none). */
  pingIntervalMs?: number;
  /** A socket that has not answered a server ping for this long is closed (default 60000; 0 = never). */
  pongTimeoutMs?: number;
  /** Shortest gap between two scheduler wake-ups, which batches sends at high rates (default 4 ms). */
  tickMs?: number;
  /** A socket with more than this many bytes unsent gets no data until it drains (default 8 MiB). */
  maxBufferedBytes?: number;
  /** Serve the /__sim control endpoint (default true); false answers 404 to every control request. */
  control?: boolean;
  /** Trades kept per symbol for REST /trades, /historicalTrades, /aggTrades (default 10,000). */
  tradeHistory?: number;
  /**
   * Minutes each market has already traded when it is created (default 0, at most a
   * week): REST klines then serve that much history, built from those trades.
   */
  historyMinutes?: number;
  /**
   * Trade streams carry every trade of their symbol, like Binance (default true): the
   * trades other streams' steps made too, so ids on the stream have no gaps. false:
   * one trade per message of the stream itself (ids skip other streams' steps); the
   * benchmark's load generator uses that so one message is one step.
   */
  everyTrade?: boolean;
  /**
   * Least time between two messages of a depth stream; the steps in between are merged
   * into the next diff, like Binance's `@depth@100ms` (100). Default 0: a diff per paced
   * message. The benchmark uses it to offer the book at Binance's cadence while trades
   * flow at their own rate.
   */
  depthIntervalMs?: number;
}

export interface SimulatorView {
  connections: Array<{ id: number; path: string; openedAt: number; streams: string[] }>;
  /** Stream name ('btcusdt@ticker') -> number of connections subscribed. */
  streams: Record<string, number>;
  /**
   * Trade stream name ('ethusdt@trade') -> the newest trade id it has streamed (or skipped
   * in a trades-pause). Other streams' steps make trades too, so REST history can be ahead
   * of it until the trade stream's next message.
   */
  lastTradeIds: Record<string, number>;
  totals: {
    connectionsOpened: number;
    connectionsClosed: number;
    /** Streams added to a socket by SUBSCRIBE (or a raw stream URL). */
    subscribes: number;
    /** Streams removed by UNSUBSCRIBE (not those that went away with their socket). */
    unsubscribes: number;
    /** Data payloads written to sockets (one per socket per payload; not acks, pongs, malformed or shutdown frames). */
    messagesSent: number;
    /** Exchange REST requests, errors included (not the /__sim control endpoint). */
    restRequests: number;
    /** WebSocket ping frames received from clients. */
    pingsReceived: number;
    /** Payloads not written because the socket had more than maxBufferedBytes queued or the scheduler fell behind. */
    messagesSkipped: number;
  };
}

export interface RestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  at: number;
}

interface Conn {
  id: number;
  ws: WebSocket;
  socket: Duplex;
  path: string;
  openedAt: number;
  openedMono: number;
  lastPong: number;
  streams: Set<Stream>;
  corked: boolean;
}

interface Stream extends Paced {
  name: string;
  kind: StreamKind;
  /** The symbol's model; undefined for the all-market streams (!ticker@arr). */
  model: SymbolModel | undefined;
  subs: Set<Conn>;
  tracker: DepthTracker | undefined;
  /** The candles a kline stream reports, and the open time of the candle it reported last (-1 = none yet). */
  klines: KlineSeries | undefined;
  klineT: number;
  /** The last trade id a trade stream accounted for (everyTrade). */
  lastTradeId: number;
  /** A depth stream's next message is not sent before this event time (depthIntervalMs). */
  depthDueAt: number;
  /** The market's step count when this stream last sent (see settle()). */
  sentAtStep: number;
}

const SEND_DROP_REASON = 'simulated drop';
/** Longest a wake-up keeps generating before it yields to I/O (overload: the rest is skipped). */
const WAKE_BUDGET_MS = 20;
const REST_LOG_SIZE = 500;
const MAX_CONTROL_BODY = 64 * 1024;
/** A server-to-client text frame (FIN, opcode 1, unmasked) around an ASCII payload. */
export function textFrame(payload: string): Buffer {
  const len = payload.length;
  const hdr = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const buf = Buffer.allocUnsafe(hdr + len);
  buf[0] = 0x81;
  if (hdr === 2) buf[1] = len;
  else if (hdr === 4) {
    buf[1] = 126;
    buf.writeUInt16BE(len, 2);
  } else {
    buf[1] = 127;
    buf.writeUInt32BE(Math.floor(len / 0x100000000), 2);
    buf.writeUInt32BE(len >>> 0, 6);
  }
  buf.write(payload, hdr, 'latin1');
  return buf;
}

/** historyMinutes at most a week: each market's history is stepped when it is first used. */
const MAX_HISTORY_MINUTES = 7 * 24 * 60;

function monotonic(): number {
  return performance.now();
}

function isWsPath(path: string): boolean {
  return /^\/(stream\/)?ws(\/[^/]*)?$/.test(path);
}

export class ExchangeSimulator {
  readonly symbols: readonly string[];
  /** Optional hook, called once per data payload with its stream name and JSON text (benchmarks). */
  onSend?: (stream: string, json: string) => void;

  private readonly host: string;
  private readonly requestedPort: number;
  private readonly seed: number;
  private baseRate: number;
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly tickMs: number;
  private readonly maxBuffered: number;
  private readonly tradeHistory: number;
  private readonly historyMinutes: number;
  private readonly everyTrade: boolean;
  private readonly depthIntervalMs: number;
  /** Per-run control token; undefined when the control endpoint is off. */
  private readonly token: string | undefined;

  private readonly specsById = new Map<string, SymbolSpec>();
  private readonly specsByLower = new Map<string, SymbolSpec>();
  private readonly models = new Map<string, SymbolModel>();

  private server: http.Server | undefined;
  private wss: WebSocketServer | undefined;
  private boundPort = 0;
  private started = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  private readonly conns = new Map<number, Conn>();
  private readonly streams = new Map<string, Stream>();
  private nextConnId = 1;
  private readonly pacer: Pacer<Stream>;
  /** The silence fault is in force (read once per wake-up). */
  private silent = false;
  private readonly faults = new FaultState();
  /** book-stale-snapshot: the book captured per exchange symbol, served by the next REST depth request. */
  private readonly staleSnapshots = new Map<string, DepthSnapshot>();
  /** /api/v3 over these markets; a stale snapshot is handed out once, by the next depth request. */
  private readonly rest = new BinanceRestApi({
    specsById: this.specsById,
    model: (spec) => this.model(spec),
    takeStaleSnapshot: (id) => {
      const snap = this.staleSnapshots.get(id);
      this.staleSnapshots.delete(id);
      return snap;
    },
  });

  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private lastWake = -Infinity;
  private nextPingAt = Infinity;
  private eventTime = 0;
  private readonly corkedConns: Conn[] = [];

  private recording = false;
  private readonly recorded = new Map<string, unknown[]>();
  private readonly restLogRing: RestLogEntry[] = [];

  private readonly totals = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    subscribes: 0,
    unsubscribes: 0,
    messagesSent: 0,
    restRequests: 0,
    pingsReceived: 0,
    messagesSkipped: 0,
  };

  constructor(options: SimulatorOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.seed = options.seed ?? 42;
    this.baseRate = options.ratePerSymbol ?? 4;
    Pacer.intervalOf(this.baseRate); // validates
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 60_000;
    this.tickMs = options.tickMs ?? 4;
    this.maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.tradeHistory = options.tradeHistory ?? TRADE_HISTORY_LIMIT;
    this.everyTrade = options.everyTrade ?? true;
    this.depthIntervalMs = options.depthIntervalMs ?? 0;
    if (!Number.isFinite(this.depthIntervalMs) || this.depthIntervalMs < 0) throw new Error(`simulator: depthIntervalMs must be a finite number >= 0, got ${this.depthIntervalMs}`);
    if (!Number.isInteger(this.tradeHistory) || this.tradeHistory < 1) throw new Error(`simulator: tradeHistory must be a positive integer, got ${this.tradeHistory}`);
    this.historyMinutes = options.historyMinutes ?? 0;
    if (!Number.isInteger(this.historyMinutes) || this.historyMinutes < 0 || this.historyMinutes > MAX_HISTORY_MINUTES) throw new Error(`simulator: historyMinutes must be an integer from 0 to ${MAX_HISTORY_MINUTES}, got ${this.historyMinutes}`);
    this.token = options.control === false ? undefined : newControlToken();
    const list =
      options.symbols === undefined
        ? defaultSymbols(DEFAULT_SYMBOL_COUNT)
        : typeof options.symbols === 'number'
          ? defaultSymbols(options.symbols)
          : options.symbols;
    const symbols: string[] = [];
    for (const s of list) {
      const spec = specFor(s);
      if (this.specsById.has(spec.id)) continue;
      this.specsById.set(spec.id, spec);
      this.specsByLower.set(spec.id.toLowerCase(), spec);
      symbols.push(spec.symbol);
    }
    this.symbols = Object.freeze(symbols);
    this.pacer = new Pacer<Stream>(this.baseRate);
  }

  // ---- lifecycle ---------------------------------------------------------------

  get port(): number {
    return this.boundPort;
  }

  get urls(): { rest: string; ws: string; control: string } {
    const base = `${this.host}:${this.boundPort}`;
    return { rest: `http://${base}/api/v3`, ws: `ws://${base}/stream/ws`, control: `http://${base}/__sim` };
  }

  /** The token POSTs to the control endpoint must carry (`Authorization: Bearer <token>`); undefined without one. */
  get controlToken(): string | undefined {
    return this.token;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('simulator: already started');
    this.started = true;
    const server = http.createServer((req, res) => this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false });
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.server = server;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(this.requestedPort, this.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', () => {});
    const addr = server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.requestedPort;
  }

  /** Closes every socket, the server and the timer. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    const open = [...this.conns.values()];
    if (open.length) {
      // polite close first, then cut whatever has not finished the handshake
      const closed = Promise.all(open.map((c) => new Promise<void>((r) => (c.ws.readyState === WebSocket.CLOSED ? r() : c.ws.once('close', () => r())))));
      for (const c of open) {
        try {
          c.ws.close(1001, 'simulator stopping');
        } catch {
          c.ws.terminate();
        }
      }
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((r) => (grace = setTimeout(r, 250)))]);
      clearTimeout(grace);
      for (const c of open) if (c.ws.readyState !== WebSocket.CLOSED) c.ws.terminate();
      await closed;
    }
    this.wss?.close();
    const server = this.server;
    if (server && server.listening) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    for (const s of this.streams.values()) if (s.tracker) s.model?.removeTracker(s.tracker);
    this.streams.clear();
  }

  // ---- public controls -----------------------------------------------------------

  view(): SimulatorView {
    const streams: Record<string, number> = {};
    const lastTradeIds: Record<string, number> = {};
    for (const s of this.streams.values()) {
      streams[s.name] = s.subs.size;
      if (s.model && (s.kind === 'trade' || s.kind === 'aggTrade')) lastTradeIds[s.name] = s.lastTradeId;
    }
    return {
      connections: [...this.conns.values()].map((c) => ({ id: c.id, path: c.path, openedAt: c.openedAt, streams: [...c.streams].map((s) => s.name) })),
      streams,
      lastTradeIds,
      totals: { ...this.totals, messagesSkipped: this.totals.messagesSkipped + this.pacer.skipped },
    };
  }

  /** Injects a fault (validated with SimFaultSchema and the symbol list; throws on an invalid one). */
  fault(f: SimFault): void {
    const parsed = parseFault(f);
    if (!parsed.ok) throw new Error(parsed.error);
    const fault = parsed.fault;
    const symbol = 'symbol' in fault ? fault.symbol : undefined;
    if (symbol !== undefined && !this.specsById.has(symbol)) throw new Error(`invalid fault: symbol: unknown symbol ${symbol}`);
    const now = monotonic();
    switch (fault.kind) {
      case 'book-gap':
      case 'book-crossed':
        for (const s of this.streams.values()) {
          if (!s.tracker || (symbol !== undefined && s.model!.id !== symbol)) continue;
          if (fault.kind === 'book-gap') s.tracker.gap = true;
          else s.tracker.cross = true;
        }
        break;
      case 'clear':
        this.staleSnapshots.clear();
        for (const s of this.streams.values()) if (s.tracker) s.tracker.gap = s.tracker.cross = false;
        this.faults.apply(fault, now);
        break;
      case 'book-stale-snapshot':
        for (const spec of symbol === undefined ? this.specsById.values() : [this.specsById.get(symbol)!]) {
          const m = this.model(spec);
          this.staleSnapshots.set(spec.id, m.captureDepth());
          m.step(Date.now()); // the live book (and every depth stream) is now ahead of the capture
        }
        break;
      case 'drop':
        for (const c of [...this.conns.values()]) {
          if (fault.code === 1006) c.ws.terminate();
          else c.ws.close(1000, SEND_DROP_REASON);
        }
        break;
      case 'malformed':
        for (const c of this.conns.values()) this.sendMalformed(c, fault.count);
        break;
      case 'server-shutdown': {
        const frame = textFrame(`{"e":"serverShutdown","E":${Date.now()}}`);
        for (const c of this.conns.values()) this.writeFrame(c, frame);
        this.uncorkAll();
        break;
      }
      default:
        this.faults.apply(fault, now);
    }
    this.applyRate(now);
    this.arm(now);
  }

  activeFaults(): SimFault[] {
    return this.faults.list();
  }

  setRate(ratePerSymbol: number): void {
    Pacer.intervalOf(ratePerSymbol);
    this.baseRate = ratePerSymbol;
    const now = monotonic();
    this.applyRate(now);
    if (ratePerSymbol === 0) this.settle();
    this.arm(now);
  }

  /**
   * The market stops: every stream reports the steps other streams of its symbol took
   * since it last sent, as an exchange does when a market goes quiet (a ticker or depth
   * update follows the last trade within its update interval). Each stream steps the
   * market on its own messages, so without this a stream would stay behind REST for
   * as long as the market is quiet.
   */
  private settle(): void {
    if (this.faults.has('silence')) return;
    this.eventTime = Date.now();
    for (const s of this.streams.values()) {
      const m = s.model;
      if (!m || s.sentAtStep === m.steps || s.subs.size === 0) continue;
      this.emitState(s, m, this.eventTime, true);
    }
    this.uncorkAll();
  }

  /** Starts (clearing what was kept) or stops keeping every data payload sent. */
  record(on: boolean): void {
    if (on && !this.recording) this.recorded.clear();
    this.recording = on;
  }

  /** The payloads recorded for a stream ('btcusdt@ticker'), in the order sent. */
  sent(stream: string): unknown[] {
    return [...(this.recorded.get(stream) ?? [])];
  }

  /** The most recent exchange REST requests (at most 500), oldest first. */
  restLog(): RestLogEntry[] {
    return this.restLogRing.map((e) => ({ ...e }));
  }

  /** The book of a symbol (unified or exchange id) as numbers, best first; for tests and tools. */
  book(symbol: string): BookView | undefined {
    return this.market(symbol)?.book();
  }

  /** The market model of a symbol (unified or exchange id); for tests and tools. */
  market(symbol: string): SymbolModel | undefined {
    const spec = this.specsById.get(symbol.replace('/', '').toUpperCase());
    return spec ? this.model(spec) : undefined;
  }

  // ---- markets ----------------------------------------------------------------------

  private model(spec: SymbolSpec): SymbolModel {
    let m = this.models.get(spec.id);
    if (!m) {
      m = new SymbolModel(spec, this.seed, Date.now(), this.tradeHistory, this.historyMinutes);
      this.models.set(spec.id, m);
    }
    return m;
  }

  private effectiveRate(): number {
    const burst = this.faults.get('burst');
    return burst ? burst.ratePerSymbol : this.baseRate;
  }

  private applyRate(now: number): void {
    const rate = this.effectiveRate();
    if (Pacer.intervalOf(rate) !== this.pacer.intervalMs) this.pacer.setRate(rate, now);
  }

  // ---- scheduling ----------------------------------------------------------------------

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** Makes sure the scheduler wakes up no later than `at` (monotonic ms), but not sooner than tickMs after the last wake. */
  private arm(at: number): void {
    if (this.stopped || !this.started) return;
    const next = Math.min(at, this.housekeepingDue());
    if (next === Infinity) return;
    const fireAt = Math.max(next, this.lastWake + this.tickMs);
    if (this.timer && this.timerAt <= fireAt) return;
    this.clearTimer();
    this.timerAt = fireAt;
    this.timer = setTimeout(this.wake, Math.max(0, fireAt - monotonic()));
  }

  private housekeepingDue(): number {
    let t = this.faults.nextExpiry();
    if (this.conns.size > 0) {
      if (this.nextPingAt < t) t = this.nextPingAt;
      const lifetime = this.faults.get('lifetime');
      if (lifetime) {
        for (const c of this.conns.values()) if (c.ws.readyState === WebSocket.OPEN) t = Math.min(t, c.openedMono + lifetime.maxLifetimeMs);
      }
    }
    return t;
  }

  private readonly wake = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = monotonic();
    this.lastWake = now;
    this.housekeeping(now);
    this.eventTime = Date.now();
    this.silent = this.faults.has('silence');
    const next = this.pacer.run(now, this.emit, now + WAKE_BUDGET_MS, monotonic);
    this.uncorkAll();
    this.arm(next);
  };

  private housekeeping(now: number): void {
    if (this.faults.expire(now).length) this.applyRate(now);
    if (this.conns.size === 0) return;
    if (this.pingIntervalMs > 0 && now >= this.nextPingAt) {
      this.nextPingAt = now + this.pingIntervalMs;
      for (const c of [...this.conns.values()]) {
        if (this.pongTimeoutMs > 0 && now - c.lastPong > this.pongTimeoutMs) {
          c.ws.terminate();
          continue;
        }
        if (c.ws.readyState === WebSocket.OPEN) c.ws.ping();
      }
    }
    const lifetime = this.faults.get('lifetime');
    if (lifetime) {
      for (const c of [...this.conns.values()]) {
        if (now - c.openedMono >= lifetime.maxLifetimeMs && c.ws.readyState === WebSocket.OPEN) c.ws.close(1000, 'connection lifetime exceeded');
      }
    }
  }

  private readonly emit = (s: Stream, n: number): void => {
    if (!this.recording && !this.onSend && !this.anyWritable(s)) {
      // every subscriber is backed up: do not even build the messages
      this.totals.messagesSkipped += n * s.subs.size;
      return;
    }
    const E = this.eventTime;
    const m = s.model;
    if (!m) {
      if (!this.silent) for (let i = 0; i < n; i++) this.deliver(s, this.allMarkets(s.kind === 'allTickers', E));
      return;
    }
    for (let i = 0; i < n; i++) {
      m.step(E);
      if (this.silent) {
        // a stalled feed: the market goes on (REST has its trades), the stream skips them
        if (s.kind === 'trade' || s.kind === 'aggTrade') s.lastTradeId = m.tradeId;
        continue;
      }
      this.emitState(s, m, E);
    }
  };

  /**
   * Sends what stream `s` reports of its market's state now. A depth stream sends at
   * most once per depthIntervalMs (its tracker keeps collecting meanwhile) unless
   * `settling` (the market stops: its last diff goes out at once).
   */
  private emitState(s: Stream, m: SymbolModel, E: number, settling = false): void {
    let json: string | undefined;
    switch (s.kind) {
      case 'ticker':
        json = m.ticker(E);
        break;
      case 'miniTicker':
        json = m.miniTicker(E);
        break;
      case 'trade':
      case 'aggTrade':
        // trades-pause: the trades happen (REST history has them) but the stream skips them
        if (this.everyTrade) this.sendTrades(s, m, E);
        else {
          s.lastTradeId = m.tradeId;
          if (!this.faults.pausesTrades(m.id)) json = s.kind === 'trade' ? m.trade(E) : m.aggTrade(E);
        }
        break;
      case 'bookTicker':
        json = m.bookTicker();
        break;
      case 'depth':
        // within the interval the tracker keeps collecting: the next diff covers these steps too
        if (E < s.depthDueAt && !settling) return;
        s.depthDueAt = E + this.depthIntervalMs;
        json = m.depthUpdate(E, s.tracker!);
        break;
      case 'kline':
        json = this.klineUpdate(s, m, E);
        break;
    }
    s.sentAtStep = m.steps;
    if (json !== undefined) this.deliver(s, json);
  }

  /** Every trade of the symbol since this stream's last one (those older than the history are gone). */
  private sendTrades(s: Stream, m: SymbolModel, E: number): void {
    const from = s.lastTradeId;
    const to = m.tradeId;
    s.lastTradeId = to;
    if (this.faults.pausesTrades(m.id)) return;
    // ids are consecutive and `to` is the newest kept, so from+1..to are the last to-from kept trades
    const h = m.history;
    const n = h.size;
    const agg = s.kind === 'aggTrade';
    for (let i = Math.max(0, n - (to - from)); i < n; i++) {
      const slot = h.slot(i);
      this.deliver(s, agg ? m.aggTradeAt(E, slot) : m.tradeAt(E, slot));
    }
  }

  /** The kline stream's next event: the open candle, after the final (x: true) update of the one it reported before if that closed. */
  private klineUpdate(s: Stream, m: SymbolModel, E: number): string | undefined {
    const series = s.klines!;
    const k = series.current;
    if (!k) return undefined;
    if (s.klineT !== k.t && s.klineT !== -1) {
      const closed = series.find(s.klineT);
      if (closed) this.deliver(s, m.klineEvent(E, series, closed, true));
    }
    s.klineT = k.t;
    return m.klineEvent(E, series, k, false);
  }

  /** One message of !ticker@arr / !miniTicker@arr: every market takes a step, all in one array. */
  private allMarkets(full: boolean, E: number): string {
    let out = '';
    for (const spec of this.specsById.values()) {
      const m = this.model(spec);
      m.step(E);
      out += (out ? ',' : '[') + (full ? m.ticker(E) : m.miniTicker(E));
    }
    return out ? out + ']' : '[]';
  }

  private deliver(s: Stream, json: string): void {
    this.noteSent(s, json);
    const frame = textFrame(json);
    for (const c of s.subs) this.writeFrame(c, frame, true);
  }

  /** Records a data payload (when recording) and tells onSend. */
  private noteSent(s: Stream, json: string): void {
    if (this.recording) {
      let list = this.recorded.get(s.name);
      if (!list) this.recorded.set(s.name, (list = []));
      list.push(JSON.parse(json));
    }
    if (this.onSend) this.onSend(s.name, json);
  }

  private anyWritable(s: Stream): boolean {
    for (const c of s.subs) if (c.socket.writableLength <= this.maxBuffered) return true;
    return false;
  }

  /** Writes a pre-built frame straight to the socket (no compression, so ws never queues frames). */
  private writeFrame(c: Conn, frame: Buffer, data = false): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    const socket = c.socket;
    if (socket.writableLength > this.maxBuffered) {
      if (data) this.totals.messagesSkipped++;
      return;
    }
    if (!c.corked) {
      socket.cork();
      c.corked = true;
      this.corkedConns.push(c);
    }
    socket.write(frame);
    if (data) this.totals.messagesSent++;
  }

  private uncorkAll(): void {
    const list = this.corkedConns;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      c.corked = false;
      c.socket.uncork();
    }
    list.length = 0;
  }

  // ---- WebSocket ---------------------------------------------------------------------

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const path = (req.url ?? '/').split('?')[0]!;
    if (this.stopped || !isWsPath(path)) return rejectUpgrade(socket, 404, 'Not Found');
    if (this.faults.has('refuse')) return rejectUpgrade(socket, 503, 'Service Unavailable');
    this.wss!.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, socket, path));
  }

  private onConnection(ws: WebSocket, socket: Duplex, path: string): void {
    if (this.stopped) {
      ws.terminate();
      return;
    }
    const now = monotonic();
    const c: Conn = { id: this.nextConnId++, ws, socket, path, openedAt: Date.now(), openedMono: now, lastPong: now, streams: new Set(), corked: false };
    if (this.conns.size === 0) this.nextPingAt = now + this.pingIntervalMs;
    if (this.pingIntervalMs <= 0) this.nextPingAt = Infinity;
    this.conns.set(c.id, c);
    this.totals.connectionsOpened++;
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => this.onClientMessage(c, data, isBinary));
    ws.on('ping', (data) => {
      this.totals.pingsReceived++;
      if (!this.faults.has('ignore-pings') && ws.readyState === WebSocket.OPEN) ws.pong(data);
    });
    ws.on('pong', () => {
      c.lastPong = monotonic();
    });
    ws.on('close', () => this.onClose(c));
    // a raw stream URL (/stream/ws/btcusdt@trade) subscribes at once, like Binance's /ws/<stream>
    const suffix = path.slice(path.lastIndexOf('/') + 1);
    if (suffix.includes('@')) this.subscribe(c, [suffix]);
    this.arm(now);
  }

  private onClose(c: Conn): void {
    if (!this.conns.delete(c.id)) return;
    this.totals.connectionsClosed++;
    for (const s of [...c.streams]) this.detach(c, s, false);
    if (c.corked) {
      c.corked = false;
      const i = this.corkedConns.indexOf(c);
      if (i >= 0) this.corkedConns.splice(i, 1);
    }
  }

  private reply(c: Conn, text: string): void {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  }

  private onClientMessage(c: Conn, data: RawData, isBinary: boolean): void {
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(data.toString());
    } catch {
      this.reply(c, '{"error":{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"},"id":null}');
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.reply(c, '{"error":{"code":2,"msg":"Invalid request: request must be a JSON object"},"id":null}');
      return;
    }
    const req = msg as { method?: unknown; params?: unknown; id?: unknown };
    const rawId = req.id;
    if (rawId !== undefined && rawId !== null && typeof rawId !== 'number' && typeof rawId !== 'string') {
      this.reply(c, '{"error":{"code":1,"msg":"Invalid value type: expected unsigned integer, string or null for \'id\'"},"id":null}');
      return;
    }
    const id = JSON.stringify(rawId ?? null);
    const error = (code: number, text: string): void => this.reply(c, `{"error":{"code":${code},"msg":${JSON.stringify(text)}},"id":${id}}`);
    switch (req.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const params = req.params;
        if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
          error(1, "Invalid value type: expected array of strings for 'params'");
          return;
        }
        const problem = req.method === 'SUBSCRIBE' ? this.subscribe(c, params) : this.unsubscribe(c, params);
        if (problem) error(2, problem);
        else {
          this.reply(c, `{"result":null,"id":${id}}`);
          if (req.method === 'SUBSCRIBE') this.openCandlesOfStoppedMarkets(c, params);
        }
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        this.reply(c, `{"result":${JSON.stringify([...c.streams].map((s) => s.name))},"id":${id}}`);
        return;
      case 'SET_PROPERTY':
        this.reply(c, `{"result":null,"id":${id}}`);
        return;
      case 'GET_PROPERTY':
        this.reply(c, `{"result":false,"id":${id}}`);
        return;
      default:
        error(2, `Invalid request: unknown variant \`${String(req.method)}\`, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\``);
    }
  }

  /** Validates every name first (all or nothing); returns an error text or undefined. */
  private resolveStreams(names: string[]): { specs: Array<[string, SymbolSpec | undefined, StreamKind, KlineInterval | undefined]> } | { error: string } {
    const specs: Array<[string, SymbolSpec | undefined, StreamKind, KlineInterval | undefined]> = [];
    for (const name of names) {
      const parsed = parseStream(name);
      if (!parsed) return { error: `Invalid request: invalid stream name \`${name}\`` };
      if (parsed.lowerId === '') {
        specs.push([name, undefined, parsed.kind, undefined]);
        continue;
      }
      const spec = this.specsByLower.get(parsed.lowerId);
      if (!spec) return { error: `Invalid request: invalid symbol \`${parsed.lowerId.toUpperCase()}\` in stream \`${name}\`` };
      specs.push([name, spec, parsed.kind, parsed.interval]);
    }
    return { specs };
  }

  private subscribe(c: Conn, names: string[]): string | undefined {
    const r = this.resolveStreams(names);
    if ('error' in r) return r.error;
    for (const [name, spec] of r.specs) {
      if (spec && this.faults.rejects(spec.id)) return `Invalid request: subscription to \`${name}\` rejected for symbol ${spec.id}`;
    }
    const now = monotonic();
    for (const [name, spec, kind, interval] of r.specs) {
      let s = this.streams.get(name);
      if (s?.subs.has(c)) continue;
      if (!s) {
        const model = spec ? this.model(spec) : undefined;
        const tracker = model && kind === 'depth' ? model.addTracker() : undefined;
        const klines = model && interval ? model.klines(interval) : undefined;
        s = { name, kind, model, subs: new Set(), tracker, klines, klineT: -1, lastTradeId: model ? model.tradeId : 0, depthDueAt: 0, sentAtStep: model ? model.steps : 0, nextDue: 0, slot: -1 };
        this.streams.set(name, s);
        this.pacer.add(s, now);
      }
      s.subs.add(c);
      c.streams.add(s);
      this.totals.subscribes++;
    }
    this.arm(now);
    return undefined;
  }

  /**
   * A kline stream newly subscribed while the market stands still reports its open
   * candle once, to that socket: Binance pushes the open kline within its update interval
   * (2 s) whether or not the market trades, while this simulator's streams send only as
   * they step the market. Without it, a chart that fetched its history just before the
   * market stopped, and subscribed just after, never saw the trades made between (REST
   * has them) and took its quiet stream for one that missed candles.
   */
  private openCandlesOfStoppedMarkets(c: Conn, names: string[]): void {
    if (this.effectiveRate() > 0 || this.faults.has('silence')) return;
    const E = Date.now();
    for (const name of names) {
      const s = this.streams.get(name);
      const k = s?.klines?.current;
      if (!s || !s.model || !k || !s.subs.has(c)) continue;
      const json = s.model.klineEvent(E, s.klines!, k, false);
      this.noteSent(s, json);
      this.writeFrame(c, textFrame(json), true);
    }
    this.uncorkAll();
  }

  private unsubscribe(c: Conn, names: string[]): string | undefined {
    const r = this.resolveStreams(names);
    if ('error' in r) return r.error;
    for (const [name] of r.specs) {
      const s = this.streams.get(name);
      if (s && s.subs.has(c)) this.detach(c, s, true);
    }
    return undefined;
  }

  /** Removes a socket from a stream (explicit = an UNSUBSCRIBE, counted; otherwise the socket closed). */
  private detach(c: Conn, s: Stream, explicit: boolean): void {
    s.subs.delete(c);
    c.streams.delete(s);
    if (explicit) this.totals.unsubscribes++;
    if (s.subs.size === 0) {
      this.pacer.remove(s);
      if (s.tracker) s.model?.removeTracker(s.tracker);
      this.streams.delete(s.name);
    }
  }

  /** count invalid frames: bad JSON and wrong shapes, some naming a symbol this socket streams. */
  private sendMalformed(c: Conn, count: number): void {
    const first = [...c.streams].find((s) => s.model);
    const sym = first?.model ? first.model.id : 'BTCUSDT';
    const E = Date.now();
    const variants = [
      'this is not json',
      `{"e":"24hrTicker","E":${E},"s":"${sym}","c":`,
      `{"e":"24hrTicker","E":"yesterday","s":"${sym}","c":"not-a-number","b":null,"a":{},"v":[]}`,
      '[1,2,3]',
      `{"e":"trade","E":${E},"s":"${sym}","t":"x","p":[],"q":{},"T":"later","m":"maybe"}`,
      '',
      'null',
      `{"e":"depthUpdate","E":${E},"s":"${sym}","U":"first","u":"last","b":"bids","a":5}`,
      `{"u":"x","s":"${sym}","b":{},"a":[]}`,
      '{"unexpected":"shape"}',
    ];
    for (let i = 0; i < count; i++) this.writeFrame(c, textFrame(variants[i % variants.length]!));
    this.uncorkAll();
  }

  // ---- REST --------------------------------------------------------------------

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path === '/__sim' || path.startsWith('/__sim/')) {
      this.onControl(req, res, path.slice('/__sim'.length));
      return;
    }
    this.totals.restRequests++;
    const send = (status: number, body: string, type = JSON_TYPE, headers: Record<string, string> = {}): void => {
      this.restLogRing.push({ method: req.method ?? 'GET', path, query, status, at: Date.now() });
      if (this.restLogRing.length > REST_LOG_SIZE) this.restLogRing.shift();
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const restError = this.faults.get('rest-error');
    if (restError) {
      const e = REST_ERRORS[restError.status];
      send(restError.status, e.body, e.type, restError.status === 429 ? { 'Retry-After': '1' } : {});
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, '{"code":-1000,"msg":"Method not allowed on this simulated endpoint."}');
      return;
    }
    const r = this.rest.route(path, new URLSearchParams(query));
    send(r[0], r[1], r[2] ?? JSON_TYPE);
  }

  // ---- control endpoint --------------------------------------------------------------

  private onControl(req: http.IncomingMessage, res: http.ServerResponse, sub: string): void {
    const json = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const token = this.token;
    if (token === undefined) {
      json(404, { error: 'this simulator has no control endpoint' });
      return;
    }
    const verdict = checkControlRequest(req.method ?? 'GET', req.headers, token);
    if (!verdict.ok) {
      req.resume(); // discard the body
      json(verdict.status, { error: verdict.error });
      return;
    }
    if (req.method === 'GET' && sub === '/view') {
      json(200, { ...this.view(), faults: this.activeFaults(), ratePerSymbol: this.baseRate, symbols: this.symbols });
      return;
    }
    if (req.method === 'POST' && (sub === '/fault' || sub === '/rate')) {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_CONTROL_BODY) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > MAX_CONTROL_BODY) return json(413, { error: 'body too large' });
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (e) {
          return json(400, { error: `body is not valid JSON: ${(e as Error).message}` });
        }
        if (sub === '/fault') {
          const parsed = parseFault(body);
          if (!parsed.ok) return json(400, { error: parsed.error });
          this.fault(parsed.fault);
          return json(200, { ok: true, faults: this.activeFaults() });
        }
        const rate = (body as { ratePerSymbol?: unknown } | null)?.ratePerSymbol;
        if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 100_000) {
          return json(400, { error: 'ratePerSymbol must be a number between 0 and 100000' });
        }
        this.setRate(rate);
        return json(200, { ok: true, ratePerSymbol: rate });
      });
      return;
    }
    json(404, { error: `unknown control endpoint ${req.method} /__sim${sub}; try GET /__sim/view, POST /__sim/fault, POST /__sim/rate` });
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}
