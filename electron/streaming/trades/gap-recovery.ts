// Fills a hole in the tape from the exchange's REST trade history, where it has one.
// Binance's REST `aggTrades` (ccxt's fetchTrades) returns aggregates whose `f`..`l`
// are the trade ids the trade stream carries, so a hole known by trade ids is filled
// with exactly the aggregates that cover them, whether or not aggregate ids equal
// trade ids. Without usable ids, the hole's time window is all there is.
import type { Trade } from 'ccxt';
import type { StreamExchange } from '../instrumented-exchange';
import { numericId, type TapeHole } from './tape-continuity';

/** REST pages one hole may cost at most (1,000 trades each). */
const MAX_PAGES = 10;
const PAGE = 1000;

export interface Recovered {
  trades: Trade[];
  /** Missing trade ids these trades cover (for a hole without ids: the trades). */
  covered: number;
  /** The highest missing trade id covered and its exchange time (NaN: none, or no ids). */
  lastId: number;
  lastTs: number;
}

/** First and last trade id a REST trade covers (an aggregate covers f..l); NaN when unknown. */
function tradeIdRange(t: Trade): [number, number] {
  const info = t.info as { f?: unknown; l?: unknown } | undefined;
  const f = Number(info?.f);
  const l = Number(info?.l);
  if (Number.isSafeInteger(f) && Number.isSafeInteger(l) && l >= f) return [f, l];
  const n = numericId(String(t.id ?? ''));
  return [n, n];
}

/**
 * The newest trade id in the exchange's REST history of `symbol` (one request for one
 * trade): undefined when the history holds no trade, NaN when its ids do not count or
 * the exchange has no trade history over REST.
 */
export async function newestRestTradeId(ex: StreamExchange, symbol: string): Promise<number | undefined> {
  if (!ex.has['fetchTrades']) return NaN;
  const trades = await ex.fetchTrades(symbol, undefined, 1);
  const newest = trades.at(-1);
  return newest ? tradeIdRange(newest)[1] : undefined;
}

/**
 * The trades of `hole` the REST history still has, oldest first. Reads forward in time
 * from the last trade before the hole until past its end (or MAX_PAGES pages). A hole
 * with a first id and no last id (a catch-up after a reconnect) is open-ended: every
 * trade from its first id up to the newest the history has.
 */
export async function recoverHole(ex: StreamExchange, symbol: string, hole: TapeHole, signal: AbortSignal): Promise<Recovered> {
  const recovered: Recovered = { trades: [], covered: 0, lastId: NaN, lastTs: NaN };
  if (!ex.has['fetchTrades']) return recovered;
  const from = numericId(hole.fromId);
  const to = hole.toId === '' ? Infinity : numericId(hole.toId);
  const byIds = !Number.isNaN(from) && !Number.isNaN(to);
  const out = recovered.trades;
  const seen = new Set<string>();
  let covered = 0;
  let since = hole.startedAt;
  for (let page = 0; page < MAX_PAGES && !signal.aborted; page++) {
    const trades = await ex.fetchTrades(symbol, since, PAGE);
    let newest = since;
    let done = trades.length < PAGE;
    for (const t of trades) {
      const ts = Number(t.timestamp);
      if (ts > newest) newest = ts;
      const id = String(t.id ?? '');
      if (seen.has(id)) continue;
      seen.add(id);
      if (byIds) {
        const [f, l] = tradeIdRange(t);
        if (f > to) done = true;
        const lo = Math.max(f, from);
        const hi = Math.min(l, to);
        if (Number.isNaN(f) || hi < lo) continue;
        out.push(t);
        covered += hi - lo + 1;
        if (!(hi <= recovered.lastId)) {
          recovered.lastId = hi;
          recovered.lastTs = ts;
        }
      } else {
        if (ts > hole.endedAt) done = true;
        if (ts <= hole.startedAt || ts >= hole.endedAt) continue;
        out.push(t);
        covered++;
      }
    }
    if (done || newest === since || (byIds && covered >= to - from + 1)) break;
    since = newest;
  }
  recovered.covered = covered;
  return recovered;
}
