// The securities the OpenD stand-in lists (Qot_GetStaticInfo): a handful per market,
// enough for the symbol search to find Futu instruments of several markets and kinds,
// including one delisted stock (listed, not tradable) and an ETF.
import { FUTU_MARKETS } from '../../shared/futu-notation';

/** Qot_Common.SecurityType values the listing uses. */
export const SECURITY_TYPE = { eqty: 3, trust: 4, future: 10 } as const;

export interface ListedSecurity {
  market: number;
  code: string;
  name: string;
  secType: number;
  lotSize: number;
  listTime: string;
  delisting?: true;
}

const { HK, US, SH, SZ } = FUTU_MARKETS;
const { eqty, trust, future } = SECURITY_TYPE;

export const OPEND_LISTING: readonly ListedSecurity[] = [
  { market: HK, code: '00700', name: 'TENCENT', secType: eqty, lotSize: 100, listTime: '2004-06-16' },
  { market: HK, code: '09988', name: 'BABA-W', secType: eqty, lotSize: 100, listTime: '2019-11-26' },
  { market: HK, code: '02800', name: 'TRACKER FUND', secType: trust, lotSize: 500, listTime: '1999-11-12' },
  { market: HK, code: 'HSImain', name: 'HSI Future Main', secType: future, lotSize: 50, listTime: '' },
  { market: HK, code: '00013', name: 'HUTCHISON (delisted)', secType: eqty, lotSize: 1000, listTime: '1978-01-01', delisting: true },
  { market: US, code: 'AAPL', name: 'Apple', secType: eqty, lotSize: 1, listTime: '1980-12-12' },
  { market: US, code: 'TSLA', name: 'Tesla', secType: eqty, lotSize: 1, listTime: '2010-06-29' },
  { market: US, code: 'NVDA', name: 'NVIDIA', secType: eqty, lotSize: 1, listTime: '1999-01-22' },
  { market: US, code: 'SPY', name: 'SPDR S&P 500 ETF', secType: trust, lotSize: 1, listTime: '1993-01-29' },
  { market: SH, code: '600519', name: 'Kweichow Moutai', secType: eqty, lotSize: 100, listTime: '2001-08-27' },
  { market: SZ, code: '000001', name: 'Ping An Bank', secType: eqty, lotSize: 100, listTime: '1991-04-03' },
];
