// ccxt's market table (exchange.markets) → the compact catalogue the symbol search
// needs. Runs once per markets load, never per tick. Markets of kinds the search
// does not show (index, margin-only) and entries ccxt could not fill are skipped;
// the list is capped (MAX_MARKETS_PER_EXCHANGE) so one exchange cannot flood the engine.
import { MARKET_TYPES, MAX_MARKET_TEXT, MAX_MARKETS_PER_EXCHANGE, type MarketEntry, type MarketType } from '../../shared/contract/market-catalogue';

const TYPES: ReadonlySet<string> = new Set(MARKET_TYPES);

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_MARKET_TEXT ? v : undefined;
}

export interface MarketList {
  markets: MarketEntry[];
  /** Entries left out: unknown type, missing or over-long fields, or beyond the cap. */
  skipped: number;
}

export function marketList(markets: unknown): MarketList {
  const out: MarketEntry[] = [];
  let skipped = 0;
  if (typeof markets !== 'object' || markets === null) return { markets: out, skipped };
  for (const m of Object.values(markets as Record<string, unknown>)) {
    const r = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    const symbol = text(r.symbol);
    const base = text(r.base);
    const quote = text(r.quote);
    const type = typeof r.type === 'string' && TYPES.has(r.type) ? (r.type as MarketType) : undefined;
    if (!symbol || !base || !quote || !type || out.length >= MAX_MARKETS_PER_EXCHANGE) {
      skipped++;
      continue;
    }
    // ccxt leaves `active` undefined when the exchange does not say: listed counts as active.
    out.push({ symbol, base, quote, type, active: r.active !== false });
  }
  return { markets: out, skipped };
}
