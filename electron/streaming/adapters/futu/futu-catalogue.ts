// A Futu entry's market catalogue for the symbol search: the stocks, funds and
// futures OpenD lists in the markets Foxtrot's notation covers, by Qot_GetStaticInfo
// per (market, security type). It runs once per configure over a short connection of
// its own (the session's connection exists only while something is subscribed, and
// the search covers every enabled exchange), is bounded in time and is closed when
// answered, failed or when its owner stops. Not on the tick path.
import { MAX_MARKETS_PER_EXCHANGE, type MarketEntry, type MarketType } from '../../../../shared/contract/market-catalogue';
import { FUTU_MARKETS, futuSymbolOf } from '../../../../shared/futu-notation';
import type { Owner } from '../../../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../../../shared/lifecycle/timers';
import { createFutuClient, type FutuClient, type FutuResponse } from './futu-api';
import type { FutuConnectionSettings } from './futu-connection';

/** Qot_Common.SecurityType → the search's market type; other types (warrants, indices, plates, bonds) are not listed. */
const TYPE_OF: Readonly<Record<number, MarketType>> = { 3: 'stock', 4: 'stock', 8: 'option', 10: 'future' };

/** The trading currency of each market's listings (the search's "quote"). */
const CURRENCY: Readonly<Record<number, string>> = {
  [FUTU_MARKETS.HK]: 'HKD',
  [FUTU_MARKETS.US]: 'USD',
  [FUTU_MARKETS.SH]: 'CNY',
  [FUTU_MARKETS.SZ]: 'CNY',
  [FUTU_MARKETS.SG]: 'SGD',
  [FUTU_MARKETS.JP]: 'JPY',
  [FUTU_MARKETS.AU]: 'AUD',
  [FUTU_MARKETS.MY]: 'MYR',
  [FUTU_MARKETS.CA]: 'CAD',
};

/**
 * What is asked: equities (3) and funds (4) of the four markets most traded through
 * Futu, futures (10) of HK and US. Ten requests per load, far inside OpenD's request limits.
 */
export const CATALOGUE_REQUESTS: ReadonlyArray<{ market: number; secType: number }> = [
  ...[FUTU_MARKETS.HK, FUTU_MARKETS.US, FUTU_MARKETS.SH, FUTU_MARKETS.SZ].flatMap((market) => [3, 4].map((secType) => ({ market, secType }))),
  { market: FUTU_MARKETS.HK, secType: 10 },
  { market: FUTU_MARKETS.US, secType: 10 },
];

/** One SecurityStaticInfo as a catalogue entry; undefined for a market or type the search does not list. */
export function futuMarketEntry(info: unknown): MarketEntry | undefined {
  const basic = (info as { basic?: { security?: { market?: unknown; code?: unknown }; secType?: unknown; delisting?: unknown } } | undefined)?.basic;
  const market = basic?.security?.market;
  const code = basic?.security?.code;
  if (typeof market !== 'number' || typeof code !== 'string' || typeof basic?.secType !== 'number') return undefined;
  const symbol = futuSymbolOf(market, code);
  const type = TYPE_OF[basic.secType];
  const quote = CURRENCY[market];
  if (!symbol || !type || !quote) return undefined;
  return { symbol, base: code, quote, type, active: basic.delisting !== true };
}

/** The entries of OpenD's answers, deduplicated and capped. */
export function futuMarketList(answers: readonly FutuResponse[]): MarketEntry[] {
  const out = new Map<string, MarketEntry>();
  for (const a of answers) {
    const list = (a.s2c as { staticInfoList?: unknown } | undefined)?.staticInfoList;
    if (!Array.isArray(list)) continue;
    for (const info of list) {
      const e = futuMarketEntry(info);
      if (e && !out.has(e.symbol) && out.size < MAX_MARKETS_PER_EXCHANGE) out.set(e.symbol, e);
    }
  }
  return [...out.values()];
}

/**
 * Connects, asks CATALOGUE_REQUESTS, hangs up. Rejects when OpenD refuses the
 * connection or a request, closes it, or does not answer within `timeoutMs`.
 */
export function loadFutuCatalogue(
  settings: FutuConnectionSettings,
  scheduler: Scheduler,
  parent: Owner,
  timeoutMs: number,
  createClient: () => FutuClient = createFutuClient,
): Promise<MarketEntry[]> {
  const owner = parent.child('futu-catalogue');
  const client = createClient();
  owner.add('futu-catalogue-socket', () => {
    client.stop();
    client.websock?.killReconnectTimer();
    client.websock?.close();
  });
  const where = `OpenD at ${settings.host}:${settings.port}`;
  return new Promise<MarketEntry[]>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, markets?: MarketEntry[]): void => {
      if (settled) return;
      settled = true;
      owner.dispose(); // the socket and the timeout
      if (error) reject(error);
      else resolve(markets!);
    };
    ownedTimeout(scheduler, owner, () => settle(new Error(`${where}: no market list within ${timeoutMs} ms`)), timeoutMs, 'futu-catalogue-timeout');
    client.onlogin = (ok, detail) => {
      if (!ok) return settle(new Error(`${where} did not initialise the connection (${String(detail)})`));
      Promise.all(CATALOGUE_REQUESTS.map(({ market, secType }) => client.GetStaticInfo({ c2s: { market, secType } }))).then(
        (answers) => settle(undefined, futuMarketList(answers)),
        (err: unknown) => settle(new Error(`${where} refused the market list: ${(err as FutuResponse | undefined)?.retMsg ?? String(err)}`)),
      );
    };
    client.start(settings.host, settings.port, settings.ssl ?? false, settings.key);
    const base = client.websock;
    if (base) {
      base.onclose = () => {
        base.killReconnectTimer(); // futu-api's own 1 s reconnect: not for a one-shot list
        settle(new Error(`${where} closed the connection before the market list`));
      };
    }
  });
}
