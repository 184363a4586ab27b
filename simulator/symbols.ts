// The instruments the simulator serves: a realistic default list first, then
// generated SYM<n>/USDT markets. Tick and step sizes are powers of ten, like
// (almost) every Binance spot market, so prices are integer ticks internally.
import { Prng, hashString } from './prng';

export interface SymbolSpec {
  /** Unified symbol, e.g. 'BTC/USDT'. */
  symbol: string;
  /** Exchange id, e.g. 'BTCUSDT'. */
  id: string;
  base: string;
  quote: string;
  /** Starting price in quote units. */
  price: number;
  /** tickSize = 10^-tickDecimals. */
  tickDecimals: number;
  /** stepSize (lot) = 10^-qtyDecimals. */
  qtyDecimals: number;
  /** Typical size of one trade, in base units. */
  tradeQty: number;
}

type Row = [base: string, price: number, tickDecimals: number, qtyDecimals: number, tradeQty: number];

// Roughly Binance's spot parameters (2025). Prices only seed the random walk.
const KNOWN: Row[] = [
  ['BTC', 65000, 2, 5, 0.02],
  ['ETH', 3200, 2, 4, 0.3],
  ['SOL', 150, 2, 3, 5],
  ['BNB', 600, 2, 3, 1],
  ['XRP', 0.55, 4, 1, 1500],
  ['ADA', 0.45, 4, 1, 2000],
  ['DOGE', 0.15, 5, 0, 5000],
  ['TRX', 0.12, 4, 1, 5000],
  ['AVAX', 35, 2, 2, 20],
  ['LINK', 15, 2, 2, 50],
  ['DOT', 7, 3, 2, 100],
  ['LTC', 80, 2, 3, 8],
  ['BCH', 400, 1, 3, 2],
  ['SHIB', 0.000025, 8, 0, 30_000_000],
  ['UNI', 8, 3, 2, 80],
  ['ATOM', 8, 3, 2, 80],
  ['NEAR', 5, 3, 1, 150],
  ['ETC', 25, 2, 2, 30],
  ['FIL', 5, 3, 2, 150],
  ['ARB', 1, 4, 1, 700],
];

const UNIFIED = /^[A-Z0-9]+\/[A-Z0-9]+$/;

function fromRow([base, price, tickDecimals, qtyDecimals, tradeQty]: Row, quote = 'USDT'): SymbolSpec {
  return { symbol: `${base}/${quote}`, id: base + quote, base, quote, price, tickDecimals, qtyDecimals, tradeQty };
}

/** Parameters for a symbol not in the table, derived from its name only. */
function generated(base: string, quote: string): SymbolSpec {
  const rng = new Prng(hashString(`${base}/${quote}`, 0x5eed));
  const price = Math.pow(10, -2 + rng.next() * 5); // 0.01 .. 1000
  // about 5 significant digits of price, at most 8 decimals
  const magnitude = Math.floor(Math.log10(price));
  const tickDecimals = Math.min(8, Math.max(0, 4 - magnitude));
  const tradeQuote = 200 + rng.next() * 2000; // a trade is worth a few hundred to a few thousand quote units
  const tradeQty = tradeQuote / price;
  const qtyDecimals = Math.min(8, Math.max(0, 2 - Math.floor(Math.log10(tradeQty))));
  return { symbol: `${base}/${quote}`, id: base + quote, base, quote, price, tickDecimals, qtyDecimals, tradeQty };
}

/** The spec of one unified symbol ('BTC/USDT'); throws on a malformed symbol. */
export function specFor(symbol: string): SymbolSpec {
  if (!UNIFIED.test(symbol)) throw new Error(`simulator: bad symbol "${symbol}" (expected e.g. "BTC/USDT")`);
  const [base, quote] = symbol.split('/') as [string, string];
  if (quote === 'USDT') {
    const row = KNOWN.find((r) => r[0] === base);
    if (row) return fromRow(row);
  }
  return generated(base, quote);
}

/** The default list: the known markets first, then SYM<n>/USDT. */
export function defaultSymbols(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = KNOWN[i];
    out.push(row ? `${row[0]}/USDT` : `SYM${i + 1}/USDT`);
  }
  return out;
}

export const DEFAULT_SYMBOL_COUNT = KNOWN.length;
