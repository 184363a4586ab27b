// The simulator's REST API on its own, no server: routes, Binance's parameter errors,
// and a stale-snapshot fault's book handed out once. (The HTTP side, the request log
// and the rest-error fault are tested through the server in simulator-protocol.)
import { describe, expect, it } from 'vitest';
import { BinanceRestApi, type RestMarkets } from '../../simulator/binance-rest';
import { SymbolModel, type DepthSnapshot } from '../../simulator/market-model';
import { specFor, type SymbolSpec } from '../../simulator/symbols';

const NOW = 1_700_000_000_000;

function api(): { rest: BinanceRestApi; stale: Map<string, DepthSnapshot>; btc: SymbolModel } {
  const specs = new Map<string, SymbolSpec>([['BTCUSDT', specFor('BTC/USDT')], ['ETHUSDT', specFor('ETH/USDT')]]);
  const models = new Map<string, SymbolModel>();
  const stale = new Map<string, DepthSnapshot>();
  const markets: RestMarkets = {
    specsById: specs,
    model: (spec) => models.get(spec.id) ?? models.set(spec.id, new SymbolModel(spec, 42, NOW)).get(spec.id)!,
    takeStaleSnapshot: (id) => {
      const s = stale.get(id);
      stale.delete(id);
      return s;
    },
  };
  const rest = new BinanceRestApi(markets);
  return { rest, stale, btc: markets.model(specs.get('BTCUSDT')!) };
}

const q = (query: string): URLSearchParams => new URLSearchParams(query);

describe('BinanceRestApi', () => {
  it('routes the public endpoints and answers unknown paths 404 in plain text', () => {
    const { rest } = api();
    expect(rest.route('/api/v3/ping', q(''), NOW)).toEqual([200, '{}']);
    expect(rest.route('/api/v3/time', q(''), NOW)).toEqual([200, `{"serverTime":${NOW}}`]);
    const info = JSON.parse(rest.route('/api/v3/exchangeInfo', q(''), NOW)[1]) as { symbols: Array<{ symbol: string }> };
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    const one = JSON.parse(rest.route('/api/v3/exchangeInfo', q('symbols=["ETHUSDT"]'), NOW)[1]) as { symbols: Array<{ symbol: string }> };
    expect(one.symbols.map((s) => s.symbol)).toEqual(['ETHUSDT']);
    expect(rest.route('/api/v3/orders', q(''), NOW)).toEqual([404, 'Not Found', 'text/plain']);
  });

  it('refuses bad parameters with Binance\'s codes', () => {
    const { rest } = api();
    const code = (path: string, query: string): [number, number] => {
      const [status, body] = rest.route(path, q(query), NOW);
      return [status, (JSON.parse(body) as { code: number }).code];
    };
    expect(code('/api/v3/depth', '')).toEqual([400, -1102]); // symbol missing
    expect(code('/api/v3/depth', 'symbol=DOGEUSDT')).toEqual([400, -1121]);
    expect(code('/api/v3/depth', 'symbol=BTCUSDT&limit=0')).toEqual([400, -1100]);
    expect(code('/api/v3/klines', 'symbol=BTCUSDT')).toEqual([400, -1102]); // interval missing
    expect(code('/api/v3/klines', 'symbol=BTCUSDT&interval=3m')).toEqual([400, -1120]);
    expect(code('/api/v3/aggTrades', `symbol=BTCUSDT&startTime=${NOW}&endTime=${NOW + 3_600_001}`)).toEqual([400, -1127]);
    expect(code('/api/v3/ticker/price', 'symbols=BTCUSDT')).toEqual([400, -1100]); // not a JSON array
  });

  it('serves a stale-snapshot fault\'s book to the next depth request only', () => {
    const { rest, stale, btc } = api();
    const old = btc.captureDepth();
    for (let i = 0; i < 50; i++) btc.step(NOW + i);
    stale.set('BTCUSDT', old);
    const id = (): number => (JSON.parse(rest.route('/api/v3/depth', q('symbol=BTCUSDT&limit=5'), NOW)[1]) as { lastUpdateId: number }).lastUpdateId;
    expect(id()).toBe(old.lastUpdateId);
    expect(id()).toBe(btc.updateId);
    expect(btc.updateId).toBeGreaterThan(old.lastUpdateId);
  });
});
