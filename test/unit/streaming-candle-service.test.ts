// The candle service with a scripted exchange and fake time: the exact messages a
// chart receives (coalescing, closed candles' final state, failure, repair, release).
import { describe, expect, it } from 'vitest';
import type { CandleKey, CandleMessage } from '../../shared/contract/candles';
import { Owner } from '../../shared/lifecycle/owner';
import { CandleService } from '../../electron/streaming/candles/candle-service';
import type { OhlcvSource } from '../../electron/streaming/candles/candle-feed';
import { CANDLE_MISSED_GRACE_MS } from '../../electron/streaming/candles/candle-check';
import { FakeTime, settle } from './streaming-fake-time';

type Trade = { price: number; amount: number; timestamp: number };

/** An exchange whose REST klines are given and whose trade stream the test feeds (or fails). */
function scripted(klines: number[][]) {
  let pending: { resolve: (t: Trade[]) => void; reject: (e: Error) => void } | undefined;
  const fetches: Array<[number | undefined, number | undefined]> = [];
  const fetchKlines: OhlcvSource['fetchOHLCV'] = async (_s, _tf, since, limit) => {
    fetches.push([since, limit]);
    return klines.filter((r) => since === undefined || r[0]! >= since).slice(0, limit);
  };
  const source: OhlcvSource = {
    has: { watchOHLCV: true },
    fetchOHLCV: fetchKlines,
    watchOHLCV: () => new Promise(() => undefined),
    watchTrades: () => new Promise<Trade[]>((resolve, reject) => (pending = { resolve, reject })),
  };
  const redials: string[] = [];
  let failed = 0;
  source.redial = (symbol, why) => {
    redials.push(`${symbol}: ${why.message}`);
    pending?.reject(why); // as ccxt does when its socket fails
  };
  return {
    source,
    fetches,
    klines,
    redials,
    /** REST reads that failed. */
    failed: () => failed,
    /** Makes the next REST reads fail (true) or answer again (false). */
    restDown: (down: boolean) => {
      source.fetchOHLCV = down ? async () => Promise.reject(new Error(`503 #${++failed}`)) : fetchKlines;
    },
    trades: async (t: Trade[]) => {
      pending!.resolve(t);
      await settle();
    },
    fail: async (message: string) => {
      pending!.reject(new Error(message));
      await settle();
    },
  };
}

/** `turns`: the ends of event-loop turns the service asked for, run by endTurn(); by default they run as 0 ms fake timers. */
function start(ex: ReturnType<typeof scripted>, turns?: Array<() => void>, askAfterMs?: number) {
  const time = new FakeTime();
  const owner = new Owner('test');
  const sent: CandleMessage[] = [];
  const svc = new CandleService({
    owner,
    scheduler: time,
    clock: () => time.now(),
    sourceFor: () => ex.source,
    post: (m) => sent.push(m),
    options: { history: 10, repair: 3, pageSize: 1000, retryMs: 500, ...(askAfterMs !== undefined ? { askAfterMs } : {}) },
    flushMs: 16,
    nextTurn: turns
      ? (fn) => {
          turns.push(fn);
          return () => turns.splice(turns.indexOf(fn), 1);
        }
      : (fn) => time.setTimeout(fn, 0),
  });
  return { time, owner, sent, svc };
}

const key: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1s' };
const T0 = 1_000_000;
const brief = (m: CandleMessage) =>
  m.type === 'candle-history' ? `history ${m.candles.map((k) => `${(k.t - T0) / 1000}:${k.c}/${k.v}`).join(' ')}${m.repaired !== undefined ? ` repaired ${m.repaired}` : ''}` : m.type === 'candle-update' ? `update ${(m.candle.t - T0) / 1000}:${m.candle.c}/${m.candle.v}` : `state ${m.state}${m.quietAt !== undefined ? ` quiet@${(m.quietAt - T0) / 1000}` : ''}`;

describe('CandleService (scripted exchange, fake time)', () => {
  it('coalesces a burst into one update, sends a closed candle its final state, repairs after a failure, stops on release', async () => {
    const t0 = T0; // FakeTime starts at 1,000,000 ms, a whole second
    const ex = scripted([[t0 - 2000, 10, 10, 10, 10, 1], [t0 - 1000, 10, 11, 10, 11, 2]]);
    const { time, owner, sent, svc } = start(ex);
    svc.openFor(key, 'c1');
    await settle();
    // three trades in one frame: one update; then the candle closes with a trade and the next opens in the same frame
    await ex.trades([{ price: 12, amount: 1, timestamp: t0 - 900 }]);
    await ex.trades([{ price: 13, amount: 1, timestamp: t0 - 800 }, { price: 12, amount: 1, timestamp: t0 - 700 }]);
    await time.advance(16);
    await ex.trades([{ price: 14, amount: 1, timestamp: t0 - 100 }, { price: 15, amount: 1, timestamp: t0 + 50 }]);
    await time.advance(16);
    await time.advance(100); // no change, no message
    // the stream fails; the exchange meanwhile has different last candles
    ex.klines.push([t0, 15, 16, 15, 16, 3]);
    await ex.fail('socket closed');
    await time.advance(500);
    await ex.trades([{ price: 17, amount: 1, timestamp: t0 + 600 }]);
    await time.advance(16);
    expect(sent.map(brief)).toEqual([
      'history -2:10/1 -1:11/2',
      'update -1:12/5',
      // -1 closed (a trade of 0 arrived): the candle open at the history fetch is fetched
      // again, and the exchange's whole candle replaces the one trades built (here the
      // scripted exchange's -1 never saw those trades, so it goes back to 11/2)
      'history -2:10/1 -1:11/2 0:15/1',
      'update 0:15/1',
      'state reconnecting',
      // the exchange's 0 differs from what trades built: replaced
      'history -2:10/1 -1:11/2 0:16/3 repaired 1',
      'update 0:17/4',
    ]);
    // history: the last 10 s; settling -1 (at t0 + 16): the last 3 s; repair (at t0 + 532): the last 3 s
    expect(ex.fetches).toEqual([[t0 - 9000, 10], [t0 - 2000, 3], [t0 - 2000, 3]]);
    svc.closeFor(key, 'c1');
    expect(owner.counts()).toEqual({});
    await time.advance(1000);
    expect(sent.length).toBe(7); // nothing after release
  });

  it('an update after a quiet period goes out at the end of its turn without a timer; within the flush period after it, one timer', async () => {
    const t0 = T0;
    const ex = scripted([[t0 - 1000, 10, 10, 10, 10, 1]]);
    const turns: Array<() => void> = [];
    const { time, owner, sent, svc } = start(ex, turns);
    svc.openFor(key, 'c1');
    await settle();
    const endTurn = () => turns.splice(0).forEach((fn) => fn());
    // an idle kline stream: events 250 ms apart, each sent at the end of its own turn
    for (let i = 1; i <= 3; i++) {
      await ex.trades([{ price: 10 + i, amount: 1, timestamp: t0 - 900 + i }]);
      expect(time.pending).toBe(0); // no timer: no extra wake-up of the process
      endTurn();
      await time.advance(250);
    }
    // a burst right after a flush: one timer for the rest of the period, one update
    await ex.trades([{ price: 20, amount: 1, timestamp: t0 - 500 }]);
    endTurn();
    await ex.trades([{ price: 21, amount: 1, timestamp: t0 - 499 }]);
    await ex.trades([{ price: 22, amount: 1, timestamp: t0 - 498 }]);
    expect(turns.length).toBe(0);
    expect(time.pending).toBe(1);
    await time.advance(16);
    expect(sent.map(brief)).toEqual(['history -1:10/1', 'update -1:11/2', 'update -1:12/3', 'update -1:13/4', 'update -1:20/5', 'update -1:22/7']);
    svc.closeFor(key, 'c1');
    expect(owner.counts()).toEqual({});
  });

  it("candles built from trades: every candle from the history's last to the one holding the stream's first trade is settled from REST once that one closes", async () => {
    const t0 = T0;
    const ex = scripted([[t0 - 1000, 10, 10, 10, 10, 1]]);
    const { time, sent, svc } = start(ex);
    svc.openFor(key, 'c1');
    await settle();
    // the stream begins late (a slow subscribe): the exchange traded in 0 and early in 1, unseen
    await time.advance(1500);
    ex.klines.push([t0, 11, 11, 11, 11, 2], [t0 + 1000, 12, 13, 12, 13, 3]);
    await ex.trades([{ price: 13, amount: 1, timestamp: t0 + 1200 }]); // the first trade: candle 1
    await time.advance(16);
    await ex.trades([{ price: 14, amount: 1, timestamp: t0 + 2100 }]); // candle 1 has closed
    await time.advance(16);
    expect(sent.map(brief)).toEqual([
      'history -1:10/1',
      'update -1:10/1',
      'update 1:13/1',
      // -1, 0 and 1 are the exchange's: 0 was missing, 1 lacked its first trades
      'history -1:10/1 0:11/2 1:13/3 2:14/1',
      'update 2:14/1',
    ]);
    expect(ex.fetches.slice(1)).toEqual([[t0 - 1000, 3]]);
  });

  it('candles built from trades: a streamed trade of a candle that came closed from REST is not counted again (its first delivery may hold trades made before the fetch)', async () => {
    const t0 = T0;
    const ex = scripted([[t0 - 2000, 10, 10, 10, 10, 1], [t0 - 1000, 10, 10, 10, 10, 1]]);
    const { time, sent, svc } = start(ex);
    svc.openFor(key, 'c1');
    await settle();
    // ccxt hands the stream's first trades over together: one of them was made in -2,
    // which REST gave closed and whole, so it is in that candle already
    // -1 was forming when fetched: it is settled from REST once the stream is past it
    ex.klines[1]![5] = 2;
    ex.klines.push([t0, 11, 11, 11, 11, 1]);
    await ex.trades([{ price: 10, amount: 0.5, timestamp: t0 - 1500 }, { price: 11, amount: 1, timestamp: t0 + 100 }]);
    await time.advance(16);
    expect(sent.map(brief)).toEqual([
      'history -2:10/1 -1:10/1',
      // -2 as REST gave it, not 10/1.5
      'history -2:10/1 -1:10/2 0:11/1',
      'update 0:11/1',
    ]);
  });

  describe('candles from a kline stream', () => {
    const M = 60_000;
    const A = Math.floor(T0 / M) * M; // the minute forming when history is fetched
    const minuteKey: CandleKey = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' };
    const briefM = (m: CandleMessage) =>
      m.type === 'candle-history' ? `history ${m.candles.map((k) => `${(k.t - A) / M}:${k.c}/${k.v}`).join(' ')}` : m.type === 'candle-update' ? `update ${(m.candle.t - A) / M}:${m.candle.c}/${m.candle.v}` : `state ${m.state}`;

    /** The scripted exchange with a kline stream the test feeds. */
    function klineStream(klines: number[][]) {
      const ex = scripted(klines);
      let pending: ((rows: number[][]) => void) | undefined;
      ex.source.watchOHLCV = () => new Promise<number[][]>((resolve) => (pending = resolve));
      return {
        ex,
        event: async (rows: number[][]) => {
          pending!(rows);
          await settle();
        },
      };
    }

    it("a stream whose first candle is a later one: the candles before it are settled from REST (their final update was never sent)", async () => {
      const { ex, event } = klineStream([[A - M, 9, 9, 9, 9, 1], [A, 10, 10, 10, 10, 1]]);
      const { time, sent, svc } = start(ex);
      svc.openFor(minuteKey, 'c1');
      await settle();
      // A closes at 12 and B opens before the stream's first event, which is for B
      await time.advance(M);
      ex.klines[1] = [A, 10, 12, 10, 12, 3];
      ex.klines.push([A + M, 12, 12, 12, 12, 1]);
      await event([[A + M, 12, 12, 12, 12, 1]]);
      await time.advance(16);
      expect(sent.map(briefM)).toEqual(['history -1:9/1 0:10/1', 'history -1:9/1 0:12/3 1:12/1', 'update 1:12/1']);
      expect(ex.fetches.length).toBe(2);
    });

    it('a stream whose first candle is the one history ended with: nothing to settle, nothing fetched again', async () => {
      const { ex, event } = klineStream([[A, 10, 10, 10, 10, 1]]);
      const { time, sent, svc } = start(ex);
      svc.openFor(minuteKey, 'c1');
      await settle();
      await event([[A, 10, 11, 10, 11, 2]]);
      await time.advance(16);
      await time.advance(M);
      await event([[A, 10, 12, 10, 12, 3], [A + M, 12, 12, 12, 12, 1]]); // A's final update, then B
      await time.advance(16);
      expect(sent.map(briefM)).toEqual(['history 0:10/1', 'update 0:11/2', 'update 0:12/3', 'update 1:12/1']);
      expect(ex.fetches.length).toBe(1);
    });
  });

  describe('a silent live series asks REST whether its market is quiet', () => {
    it('quiet: says so, counted from the answer, and asks again a period later; data moves the next question', async () => {
      const t0 = T0;
      const ex = scripted([[t0 - 2000, 10, 10, 10, 10, 1], [t0 - 1000, 10, 11, 10, 11, 2]]);
      const { time, owner, sent, svc } = start(ex, undefined, 1000);
      svc.openFor(key, 'c1');
      await settle();
      await time.advance(1000); // the REST window (t0-1000 ..) holds only what the chart holds
      await time.advance(999); // no question before a period after the answer
      expect(sent.map(brief)).toEqual(['history -2:10/1 -1:11/2', 'state live quiet@1']);
      await time.advance(1); // asked again at t0+2000: still quiet
      await ex.trades([{ price: 12, amount: 1, timestamp: t0 + 2500 }]); // data at t0+2000
      await time.advance(16);
      await time.advance(983);
      expect(sent.map(brief)).toEqual(['history -2:10/1 -1:11/2', 'state live quiet@1', 'state live quiet@2', 'update -1:11/2', 'update 2:12/1']);
      await time.advance(1); // a period after the data
      expect(sent.map(brief).at(-1)).toBe('state live quiet@3');
      // the questions' windows: the last three seconds each time (the candles before the first trade's settle once its candle closes: not yet)
      expect(ex.fetches.slice(1)).toEqual([[t0 - 1000, 3], [t0, 3], [t0 + 1000, 3]]);
      svc.closeFor(key, 'c1');
      expect(owner.counts()).toEqual({});
    });

    it('missed: after the grace the stream is redialled, and the repair brings the missed candle', async () => {
      const t0 = T0;
      const ex = scripted([[t0 - 1000, 10, 11, 10, 11, 2]]);
      const { time, sent, svc } = start(ex, undefined, 1000);
      svc.openFor(key, 'c1');
      await settle();
      ex.klines.push([t0 + 2000, 11, 13, 11, 12, 4]); // traded on the exchange; the stream never said
      await time.advance(1000 + CANDLE_MISSED_GRACE_MS - 1);
      expect(ex.redials).toEqual([]);
      await time.advance(1);
      expect(ex.redials).toEqual(['BTC/USDT: the trade stream missed candles the exchange has (silent 3000 ms)']);
      await time.advance(500); // the feed's retry wait, then the repair
      expect(sent.map(brief)).toEqual(['history -1:11/2', 'state reconnecting', 'history -1:11/2 2:12/4 repaired 1']);
      expect(sent[1]).toMatchObject({ error: expect.stringContaining('missed candles') });
    });

    it('missed, but the stream delivers within the grace: no redial; REST down: no verdict, asked again a period later', async () => {
      const t0 = T0;
      const ex = scripted([[t0 - 1000, 10, 11, 10, 11, 2]]);
      const { time, sent, svc } = start(ex, undefined, 1000);
      svc.openFor(key, 'c1');
      await settle();
      ex.klines.push([t0, 11, 13, 11, 12, 4]);
      await time.advance(1500); // asked at t0+1000: missed; the grace runs to t0+3000
      await ex.trades([{ price: 12, amount: 4, timestamp: t0 + 1500 }]);
      ex.restDown(true);
      await time.advance(CANDLE_MISSED_GRACE_MS + 3000); // to t0+6500
      expect(ex.redials).toEqual([]);
      expect(sent.filter((m) => m.type === 'candle-state')).toEqual([]);
      // asked at t0+3000 (the grace over, a period after the data), then every period: t0+4000, 5000, 6000
      expect(ex.failed()).toBe(4);
      ex.restDown(false);
      await time.advance(500);
      expect(sent.map(brief).at(-1)).toBe('state live quiet@7');
    });
  });
});
