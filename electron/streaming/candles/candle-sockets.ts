// The candle exchange's sockets that carry one symbol's streams, for a chart whose
// stream stalled (candle-check.ts). ccxt keys each watch by a message hash whose
// parts, joined by '::', include the unified symbol ('ohlcv::BTC/USDT::1m',
// 'trade::BTC/USDT'); a part is compared whole, so BTC/USDT never matches BTC/USDT:USDT.
import type { WsClientLike } from '../instrumented-exchange';

const carries = (hash: string, symbol: string): boolean => hash.split('::').includes(symbol);

export function socketsCarrying(clients: Record<string, WsClientLike>, symbol: string): WsClientLike[] {
  return Object.values(clients).filter((c) => Object.keys(c.subscriptions).some((h) => carries(h, symbol)) || Object.keys(c.futures).some((h) => carries(h, symbol)));
}

/**
 * Fails and closes every socket carrying `symbol` with `why`: ccxt rejects their
 * watches (the feeds then repair and watch again, on a new socket) and forgets them.
 * Returns how many were closed.
 */
export function redialSockets(clients: Record<string, WsClientLike>, symbol: string, why: Error): number {
  const found = socketsCarrying(clients, symbol);
  for (const c of found) {
    c.onError(why);
    void c.close()?.catch(() => undefined);
  }
  return found.length;
}
