// Points an unmodified ccxt binance (ccxt.pro.binance) at a Binance-protocol
// server such as the simulator, the same way for every caller:
//   - spot public REST (urls.api.public) and spot/margin WebSocket (urls.api.ws.spot)
//     go to the given URLs;
//   - every other Binance endpoint (sapi, fapi, dapi, eapi, papi, futures and
//     options sockets, ws-api) is rewritten to the same host, where the simulator
//     answers 404 / refuses the upgrade: nothing can leak to the real exchange;
//   - loadMarkets asks for spot only (otherwise it also calls fapi/dapi exchangeInfo);
//   - a plain http.Agent is installed, which ccxt requires before it opens ws:// URLs
//     (the same thing `await exchange.loadHttpProxyAgent()` does).
import http from 'node:http';

function rewrite(original: string, origin: string): string {
  try {
    const u = new URL(original);
    return origin + u.pathname;
  } catch {
    return origin;
  }
}

function retarget(node: Record<string, unknown>, httpOrigin: string, wsOrigin: string): void {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') {
      node[key] = rewrite(value, /^wss?:/.test(value) ? wsOrigin : httpOrigin);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      retarget(value as Record<string, unknown>, httpOrigin, wsOrigin);
    }
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt's exchange classes are untyped here */
export function pointCcxtAt(exchange: any, urls: { rest: string; ws: string }): void {
  const rest = new URL(urls.rest);
  const ws = new URL(urls.ws);
  const api = exchange.urls.api as Record<string, unknown>;
  retarget(api, rest.origin, ws.origin);
  api.public = urls.rest;
  api.private = urls.rest;
  const wsUrls = (api.ws ?? (api.ws = {})) as Record<string, unknown>;
  wsUrls.spot = urls.ws;
  wsUrls.margin = urls.ws;
  // keep the real host names out of anything ccxt might still build from urls.test / urls.demo
  for (const alt of ['test', 'demo']) {
    const node = exchange.urls[alt];
    if (node && typeof node === 'object') retarget(node as Record<string, unknown>, rest.origin, ws.origin);
  }
  exchange.options = exchange.options ?? {};
  exchange.options.fetchMarkets = { ...(exchange.options.fetchMarkets ?? {}), types: ['spot'] };
  if (ws.protocol === 'ws:' && exchange.httpAgent === undefined) exchange.httpAgent = new http.Agent();
}
/* eslint-enable @typescript-eslint/no-explicit-any */
