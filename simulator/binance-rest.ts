// Binance spot's public REST API (/api/v3) over the simulator's markets: routing,
// parameter checks and the error bodies, the way Binance answers them (what ccxt
// reads). The server (exchange-simulator.ts) owns HTTP, the request log and the
// rest-error fault; this module only answers a path and its query.
import { BOOK_LEVELS, SymbolModel, type DepthSnapshot } from './market-model';
import { isKlineInterval } from './klines';
import type { SymbolSpec } from './symbols';

export const JSON_TYPE = 'application/json;charset=UTF-8';

const ERR_INVALID_SYMBOL = '{"code":-1121,"msg":"Invalid symbol."}';
const ERR_AGG_RANGE = '{"code":-1127,"msg":"More than 1 hours between startTime and endTime."}';
const HOUR_MS = 3_600_000;
const ERR_INTERVAL = '{"code":-1120,"msg":"Invalid interval."}';
const errMandatory = (p: string): string => `{"code":-1102,"msg":"Mandatory parameter '${p}' was not sent, was empty/null, or malformed."}`;
const errIllegal = (p: string): string => `{"code":-1100,"msg":"Illegal characters found in parameter '${p}'."}`;
/** The bodies Binance answers with, for the rest-error fault (the server sends them). */
export const REST_ERRORS: Record<429 | 500 | 503, { type: string; body: string }> = {
  429: {
    type: JSON_TYPE,
    body: '{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API."}',
  },
  500: { type: JSON_TYPE, body: '{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}' },
  // Binance's gateway answers a 503 with a plain text body
  503: { type: 'text/plain', body: 'Service Unavailable.' },
};

const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

/** What the REST API reads of the simulator. */
export interface RestMarkets {
  readonly specsById: ReadonlyMap<string, SymbolSpec>;
  /** The market's model (made on first use). */
  model(spec: SymbolSpec): SymbolModel;
  /** The book a stale-snapshot fault captured for this symbol, handed out once; undefined when none. */
  takeStaleSnapshot(id: string): DepthSnapshot | undefined;
}

/** Status, body and, when not JSON, the content type. */
export type RestReply = [status: number, body: string, type?: string];

export class BinanceRestApi {
  /** exchangeInfo entries are constant per market: built once. */
  private readonly exchangeInfoEntries = new Map<string, string>();

  constructor(private readonly markets: RestMarkets) {}

  /** One GET request: status, body and (when not JSON) content type. */
  route(path: string, params: URLSearchParams, now = Date.now()): RestReply {
    switch (path) {
      case '/api/v3/ping':
        return [200, '{}'];
      case '/api/v3/time':
        return [200, `{"serverTime":${now}}`];
      case '/api/v3/exchangeInfo': {
        const sel = this.selectSymbols(params);
        if (typeof sel === 'string') return [400, sel];
        const entries = (sel ?? [...this.markets.specsById.values()]).map((s) => this.exchangeInfoEntry(s));
        return [200, `{"timezone":"UTC","serverTime":${now},"rateLimits":${JSON.stringify(RATE_LIMITS)},"exchangeFilters":[],"symbols":[${entries.join(',')}]}`];
      }
      case '/api/v3/depth': {
        const spec = this.oneSymbol(params);
        if (typeof spec === 'string') return [400, spec];
        const limit = limitParam(params, 100, 5000);
        if (typeof limit === 'string') return [400, limit];
        const stale = this.markets.takeStaleSnapshot(spec.id);
        if (stale) return [200, this.markets.model(spec).restDepthOf(stale, limit)];
        return [200, this.markets.model(spec).restDepth(Math.min(limit, BOOK_LEVELS))];
      }
      case '/api/v3/trades':
      case '/api/v3/historicalTrades':
      case '/api/v3/aggTrades': {
        const spec = this.oneSymbol(params);
        if (typeof spec === 'string') return [400, spec];
        const limit = limitParam(params, 500, 1000);
        if (typeof limit === 'string') return [400, limit];
        const m = this.markets.model(spec);
        if (path === '/api/v3/trades') return [200, m.restTrades({ limit })];
        const fromId = intParam(params, 'fromId');
        if (typeof fromId === 'string') return [400, fromId];
        if (path === '/api/v3/historicalTrades') return [200, m.restTrades({ fromId, limit })];
        const startTime = intParam(params, 'startTime');
        if (typeof startTime === 'string') return [400, startTime];
        const endTime = intParam(params, 'endTime');
        if (typeof endTime === 'string') return [400, endTime];
        if (startTime !== undefined && endTime !== undefined && endTime - startTime > HOUR_MS) return [400, ERR_AGG_RANGE];
        return [200, m.restAggTrades({ fromId, startTime, endTime, limit })];
      }
      case '/api/v3/klines': {
        const spec = this.oneSymbol(params);
        if (typeof spec === 'string') return [400, spec];
        const interval = params.get('interval');
        if (!interval) return [400, errMandatory('interval')];
        if (!isKlineInterval(interval)) return [400, ERR_INTERVAL];
        const limit = limitParam(params, 500, 1000);
        if (typeof limit === 'string') return [400, limit];
        const startTime = intParam(params, 'startTime');
        if (typeof startTime === 'string') return [400, startTime];
        const endTime = intParam(params, 'endTime');
        if (typeof endTime === 'string') return [400, endTime];
        return [200, this.markets.model(spec).restKlines(interval, { startTime, endTime, limit })];
      }
      case '/api/v3/ticker/24hr':
      case '/api/v3/ticker/bookTicker':
      case '/api/v3/ticker/price': {
        const sel = this.selectSymbols(params);
        if (typeof sel === 'string') return [400, sel];
        const render = (spec: SymbolSpec): string => {
          const m = this.markets.model(spec);
          return path.endsWith('24hr') ? m.restTicker24h(now) : path.endsWith('bookTicker') ? m.restBookTicker() : m.restPrice();
        };
        if (sel && params.has('symbol')) return [200, render(sel[0]!)];
        return [200, `[${(sel ?? [...this.markets.specsById.values()]).map(render).join(',')}]`];
      }
      case '/api/v3/avgPrice': {
        const spec = this.oneSymbol(params);
        if (typeof spec === 'string') return [400, spec];
        const m = this.markets.model(spec);
        return [200, `{"mins":5,"price":"${m.lastPrice.toFixed(8)}","closeTime":${now}}`];
      }
      default:
        return [404, 'Not Found', 'text/plain'];
    }
  }

  private exchangeInfoEntry(spec: SymbolSpec): string {
    let e = this.exchangeInfoEntries.get(spec.id);
    if (!e) {
      e = JSON.stringify(SymbolModel.exchangeInfoEntry(spec));
      this.exchangeInfoEntries.set(spec.id, e);
    }
    return e;
  }

  private oneSymbol(params: URLSearchParams): SymbolSpec | string {
    const id = params.get('symbol');
    if (!id) return errMandatory('symbol');
    return this.markets.specsById.get(id) ?? ERR_INVALID_SYMBOL;
  }

  /** symbol=X or symbols=["X","Y"]; undefined = all; a string is an error body. */
  private selectSymbols(params: URLSearchParams): SymbolSpec[] | undefined | string {
    const one = params.get('symbol');
    if (one !== null) {
      const spec = this.markets.specsById.get(one);
      return spec ? [spec] : ERR_INVALID_SYMBOL;
    }
    const many = params.get('symbols');
    if (many === null) return undefined;
    let ids: unknown;
    try {
      ids = JSON.parse(many);
    } catch {
      return errIllegal('symbols');
    }
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) return errIllegal('symbols');
    const out: SymbolSpec[] = [];
    for (const id of ids as string[]) {
      const spec = this.markets.specsById.get(id);
      if (!spec) return ERR_INVALID_SYMBOL;
      out.push(spec);
    }
    return out;
  }
}

/** An optional non-negative integer parameter; a string is an error body. */
function intParam(params: URLSearchParams, name: string): number | undefined | string {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) return errIllegal(name);
  return Number(raw);
}

/** `limit`: `def` when absent, at most `max`; a string is an error body. */
function limitParam(params: URLSearchParams, def: number, max: number): number | string {
  const raw = params.get('limit');
  if (raw === null || raw === '') return def;
  if (!/^\d+$/.test(raw)) return errIllegal('limit');
  const n = Number(raw);
  if (n < 1) return errIllegal('limit');
  return Math.min(n, max);
}
