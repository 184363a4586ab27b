// How a trader writes an instrument for each kind of adapter, parsed in one place
// so that settings, the renderer's inputs and the adapters agree on it:
//   ccxt  BASE/QUOTE                         BTC/USDT
//   ib    SYMBOL@EXCHANGE:STK[:CURRENCY]     AAPL@SMART:STK:USD   (currency defaults to USD)
//         SYMBOL@EXCHANGE:FUT:EXPIRY[:CUR]   ES@CME:FUT:202612    (YYYYMM or YYYYMMDD)
//         BASE.QUOTE@EXCHANGE:CASH           EUR.USD@IDEALPRO:CASH
//   futu  MARKET.CODE                        HK.00700, US.AAPL
// Invalid notation is refused with what was expected, never guessed at.

export const ADAPTER_KINDS = ['ccxt', 'ib', 'futu'] as const;
export type AdapterKind = (typeof ADAPTER_KINDS)[number];

/** An Interactive Brokers contract, in the fields `reqMktData` needs. */
export interface IbContractSpec {
  symbol: string;
  secType: 'STK' | 'FUT' | 'CASH';
  exchange: string;
  currency: string;
  /** Futures only: YYYYMM or YYYYMMDD. */
  lastTradeDateOrContractMonth?: string;
}

export const FUTU_MARKETS = ['HK', 'US', 'SH', 'SZ', 'SG', 'JP', 'AU', 'MY', 'CA'] as const;
export type FutuMarket = (typeof FUTU_MARKETS)[number];

export interface FutuSecuritySpec {
  market: FutuMarket;
  code: string;
}

export type NotationResult<T> = { ok: true; value: T } | { ok: false; error: string };

export const EXPECTED: Record<AdapterKind, string> = {
  ccxt: 'a unified symbol such as "BTC/USDT"',
  ib: 'IB notation SYMBOL@EXCHANGE:TYPE such as "AAPL@SMART:STK:USD", "ES@CME:FUT:202612" or "EUR.USD@IDEALPRO:CASH"',
  futu: 'Futu notation MARKET.CODE such as "HK.00700" or "US.AAPL"',
};

const UNIFIED = /^[A-Z0-9]+\/[A-Z0-9]+$/;
const IB_SYMBOL = /^[A-Z0-9][A-Z0-9.]{0,11}$/;
const IB_EXCHANGE = /^[A-Z0-9]{1,16}$/;
const CURRENCY = /^[A-Z]{3}$/;
const EXPIRY = /^\d{4}(0[1-9]|1[0-2])(\d{2})?$/;
const CASH_PAIR = /^([A-Z]{3})\.([A-Z]{3})$/;
const FUTU_CODE = /^[A-Z0-9][A-Z0-9.]{0,15}$/;

const fail = (kind: AdapterKind, detail: string): { ok: false; error: string } => ({ ok: false, error: `${detail}: expected ${EXPECTED[kind]}` });

export function parseUnified(text: string): NotationResult<string> {
  return UNIFIED.test(text) ? { ok: true, value: text } : { ok: false, error: EXPECTED.ccxt };
}

export function parseIbNotation(text: string): NotationResult<IbContractSpec> {
  const at = text.indexOf('@');
  if (at < 0) return fail('ib', `"${text}" has no @EXCHANGE`);
  const symbol = text.slice(0, at);
  const [exchange = '', secType = '', ...rest] = text.slice(at + 1).split(':');
  if (!IB_EXCHANGE.test(exchange)) return fail('ib', `"${exchange}" is not an exchange (capital letters and digits)`);
  switch (secType) {
    case 'STK': {
      if (!IB_SYMBOL.test(symbol)) return fail('ib', `"${symbol}" is not a stock symbol`);
      if (rest.length > 1) return fail('ib', 'a stock takes at most a currency after STK');
      const currency = rest[0] ?? 'USD';
      if (!CURRENCY.test(currency)) return fail('ib', `"${currency}" is not a currency code`);
      return { ok: true, value: { symbol, secType, exchange, currency } };
    }
    case 'FUT': {
      if (!IB_SYMBOL.test(symbol)) return fail('ib', `"${symbol}" is not a futures symbol`);
      const [expiry = '', currency = 'USD', ...extra] = rest;
      if (!EXPIRY.test(expiry)) return fail('ib', `a future needs its expiry as YYYYMM or YYYYMMDD after FUT (got "${expiry}")`);
      if (extra.length || !CURRENCY.test(currency)) return fail('ib', `"${rest.slice(1).join(':')}" is not a currency code`);
      return { ok: true, value: { symbol, secType, exchange, currency, lastTradeDateOrContractMonth: expiry } };
    }
    case 'CASH': {
      const pair = CASH_PAIR.exec(symbol);
      if (!pair) return fail('ib', `"${symbol}" is not a currency pair BASE.QUOTE`);
      if (rest.length) return fail('ib', 'nothing follows CASH');
      return { ok: true, value: { symbol: pair[1]!, secType, exchange, currency: pair[2]! } };
    }
    default:
      return fail('ib', `"${secType}" is not a supported type (STK, FUT or CASH)`);
  }
}

/** The notation of an IB contract (the inverse of parseIbNotation, with the currency always written). */
export function formatIbNotation(c: IbContractSpec): string {
  switch (c.secType) {
    case 'STK':
      return `${c.symbol}@${c.exchange}:STK:${c.currency}`;
    case 'FUT':
      return `${c.symbol}@${c.exchange}:FUT:${c.lastTradeDateOrContractMonth ?? ''}:${c.currency}`;
    case 'CASH':
      return `${c.symbol}.${c.currency}@${c.exchange}:CASH`;
  }
}

export function parseFutuNotation(text: string): NotationResult<FutuSecuritySpec> {
  const dot = text.indexOf('.');
  const market = dot < 0 ? '' : text.slice(0, dot);
  const code = text.slice(dot + 1);
  if (!(FUTU_MARKETS as readonly string[]).includes(market)) return fail('futu', `"${dot < 0 ? text : market}" does not start with a market (${FUTU_MARKETS.join(', ')})`);
  if (!FUTU_CODE.test(code)) return fail('futu', `"${code}" is not a security code`);
  return { ok: true, value: { market: market as FutuMarket, code } };
}

/** Checks `text` in the notation of `kind`; the error says what was expected. */
export function checkNotation(kind: AdapterKind, text: string): string | undefined {
  const r = kind === 'ccxt' ? parseUnified(text) : kind === 'ib' ? parseIbNotation(text) : parseFutuNotation(text);
  return r.ok ? undefined : r.error;
}

/**
 * Checks `text` in whichever notation it looks like (where the exchange is not
 * known yet); the error is the one of the notation it resembles most.
 */
export function checkAnyNotation(text: string): string | undefined {
  if (text.includes('@')) return checkNotation('ib', text);
  if (!text.includes('/') && /^[A-Z]{2}\./.test(text)) return checkNotation('futu', text);
  return checkNotation('ccxt', text);
}
