// Symbol search over every market of every enabled exchange. Pure (no DOM): the
// overlay, its tests and the benchmark all use it.
//
// Ranking, in tiers: 1. exact base asset ("sol" → SOL/USDT, SOL/BTC, SOL/USDT:USDT),
// 2. prefix of the base or the symbol ("sol" → SOLVE/USDT), 3. fuzzy (uFuzzy: "ASOL",
// typos). Within the first two tiers, active before inactive, spot before swap,
// future and option, common quotes first, then shorter and alphabetical symbols.
// Extra words narrow the exact and prefix tiers by quote, exchange or type:
// "sol usdc", "sol/usdc", "btc swap", "eth binance".
import uFuzzy from '@leeoniya/ufuzzy';
import type { ExchangeMarkets, MarketEntry, MarketType } from '../../../shared/contract/market-catalogue';

export interface SearchMarket extends MarketEntry {
  exchange: string;
}

/** `all`: nothing typed yet, every market in preference order. */
export type MatchTier = 'exact' | 'prefix' | 'fuzzy' | 'all';

export interface SearchHit {
  market: SearchMarket;
  tier: MatchTier;
}

/** Results kept per query: more than a trader scrolls, small enough to sort per keystroke. */
export const MAX_RESULTS = 500;

/**
 * uFuzzy ranks matches only up to this many (its ranking pass costs ~10 µs a match);
 * beyond it they keep catalogue order. Short queries matching thousands of markets
 * are answered by the exact and prefix tiers anyway. Measured: bench stage "search".
 */
const FUZZY_RANK_MAX = 250;

const TYPE_RANK: Record<MarketType, number> = { spot: 0, stock: 0, swap: 1, future: 2, option: 3 };
const QUOTE_RANK = new Map(['USDT', 'USDC', 'USD', 'FDUSD', 'BTC', 'ETH', 'EUR', 'BNB'].map((q, i) => [q, i]));

interface Indexed {
  market: SearchMarket;
  base: string;
  quote: string;
  symbol: string;
  /** Precomputed order key for ties inside a tier (lower first). */
  order: number;
}

export class MarketIndex {
  readonly size: number;
  private readonly items: Indexed[];
  /** uFuzzy's haystack: one line per market, same order as items. */
  private readonly haystack: string[];
  private readonly fuzzy = new uFuzzy({ intraMode: 1, intraIns: 1, intraSub: 1, intraTrn: 1, intraDel: 1 });
  /** Scratch marks of markets already placed in a better tier (reused: no per-keystroke allocation). */
  private readonly placed: Uint8Array;

  constructor(catalogues: readonly ExchangeMarkets[]) {
    const markets: SearchMarket[] = [];
    for (const c of catalogues) for (const m of c.markets) markets.push({ ...m, exchange: c.exchange });
    // Tie order is fixed once: sorting an index array of a few thousand is done per catalogue, not per keystroke.
    const byPreference = markets
      .map((market, i) => ({ market, i }))
      .sort((a, b) => preference(a.market, b.market) || a.i - b.i);
    this.items = byPreference.map(({ market }, order) => ({
      market,
      base: market.base.toLowerCase(),
      quote: market.quote.toLowerCase(),
      symbol: market.symbol.toLowerCase(),
      order,
    }));
    this.haystack = this.items.map((x) => `${x.market.symbol} ${x.market.exchange} ${x.market.type}`);
    this.placed = new Uint8Array(this.items.length);
    this.size = this.items.length;
  }

  /** The hits for what the trader typed, best first (at most `limit`). */
  search(query: string, limit = MAX_RESULTS): SearchHit[] {
    const terms = query.toLowerCase().split(/[\s/]+/).filter(Boolean);
    const head = terms[0];
    if (head === undefined) return this.items.slice(0, limit).map((x) => ({ market: x.market, tier: 'all' as const }));
    const rest = terms.slice(1);
    const exact: Indexed[] = [];
    const prefix: Indexed[] = [];
    this.placed.fill(0);
    for (let i = 0; i < this.items.length; i++) {
      const x = this.items[i]!;
      let tier: Indexed[] | undefined;
      if (x.base === head) tier = exact;
      else if (x.base.startsWith(head) || x.symbol.startsWith(head)) tier = prefix;
      if (!tier || !narrows(x, rest)) continue;
      tier.push(x); // items are in preference order already
      this.placed[i] = 1;
    }
    const hits: SearchHit[] = [];
    for (const x of exact) if (hits.length < limit) hits.push({ market: x.market, tier: 'exact' });
    for (const x of prefix) if (hits.length < limit) hits.push({ market: x.market, tier: 'prefix' });
    if (hits.length >= limit) return hits;
    for (const i of this.fuzzyOrder(query)) {
      if (this.placed[i]) continue;
      hits.push({ market: this.items[i]!.market, tier: 'fuzzy' });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  /** Haystack indexes uFuzzy matched, ranked when there are few enough to rank. */
  private fuzzyOrder(query: string): number[] {
    const [idxs, info, order] = this.fuzzy.search(this.haystack, query, 0, FUZZY_RANK_MAX);
    if (!idxs) return [];
    if (!info || !order) return idxs;
    return order.map((k) => info.idx[k]!);
  }
}

/** Each extra word must start the quote, the exchange or the type. */
function narrows(x: Indexed, rest: readonly string[]): boolean {
  for (const t of rest) {
    if (!(x.quote.startsWith(t) || x.market.exchange.toLowerCase().startsWith(t) || x.market.type.startsWith(t))) return false;
  }
  return true;
}

function preference(a: SearchMarket, b: SearchMarket): number {
  return (
    Number(b.active) - Number(a.active) ||
    TYPE_RANK[a.type] - TYPE_RANK[b.type] ||
    (QUOTE_RANK.get(a.quote) ?? QUOTE_RANK.size) - (QUOTE_RANK.get(b.quote) ?? QUOTE_RANK.size) ||
    a.symbol.length - b.symbol.length ||
    (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)
  );
}
