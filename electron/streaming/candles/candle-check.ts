// A live chart whose stream falls silent may only be on a quiet market: an exchange
// pushes a kline or a trade only when something traded, so an illiquid pair's chart
// went "stale" after staleAfterMs with nothing wrong. And a stream that stalls while
// its socket stays open (the simulator's `silence`) left the chart stale for good,
// with the candles that closed meanwhile missing. So, as the session does for its
// streams (silent-stream-check.ts), the exchange's REST is asked for its last candles:
// if the chart holds them as they are, the market is quiet; if not, the stream missed
// them and the feed redials it, which repairs the candles (candle-feed.ts).
import type { Candle } from '../../../shared/contract/candles';

export type CandleVerdict = 'quiet' | 'missed';

/** Candles asked for: the forming one and the two before it (one may have closed unseen). */
export const CHECK_CANDLES = 3;

/**
 * How long a "missed" answer waits before the stream is redialled: the exchange may
 * hold a change its stream is about to push (Binance pushes a kline every 2 s).
 */
export const CANDLE_MISSED_GRACE_MS = 2000;

/** Volumes summed from trades may differ from the exchange's in the last bits. */
const VOLUME_TOLERANCE = 1e-9;

function sameCandle(a: Candle, b: Candle): boolean {
  return a.o === b.o && a.h === b.h && a.l === b.l && a.c === b.c && Math.abs(a.v - b.v) <= VOLUME_TOLERANCE * Math.max(1, Math.abs(b.v));
}

/**
 * What the exchange's last candles over REST (`rest`, oldest first) say of a silent
 * series that holds `held(t)`: quiet if it holds every one of them as it is (none
 * at all: nothing traded in the window), else missed.
 */
export function judgeCandles(held: (t: number) => Candle | undefined, rest: readonly Candle[]): CandleVerdict {
  for (const r of rest) {
    const k = held(r.t);
    if (!k || !sameCandle(k, r)) return 'missed';
  }
  return 'quiet';
}
