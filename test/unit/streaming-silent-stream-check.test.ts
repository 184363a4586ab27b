import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { sweepStale, type StaleSweepHost } from '../../electron/streaming/stale-sweep';
import { judgeSilence, MISSED_GRACE_MS, SilentStreamCheck } from '../../electron/streaming/silent-stream-check';
import { RestLane } from '../../electron/streaming/rest-lane';
import { SessionReport } from '../../electron/streaming/session-report';
import { createSubscription, type Subscription } from '../../electron/streaming/subscription';
import type { StreamExchange } from '../../electron/streaming/instrumented-exchange';
import type { TickSink } from '../../electron/streaming/tick-sink';
import { LatencyRing } from '../../electron/streaming/latency-ring';
import { FakeTime, settle } from './streaming-fake-time';
import { tickerTradeId, writeWatchResult } from '../../electron/streaming/channel-calls';
import { takeUndelivered } from '../../electron/streaming/undelivered-updates';
import { TICKERS_PER_REQUEST } from '../../electron/streaming/stream-marks';

describe('judgeSilence', () => {
  it('quiet when the tape holds the newest REST trade, missed when REST has a newer one', () => {
    expect(judgeSilence(10, 10, NaN)).toBe('quiet');
    expect(judgeSilence(11, 10, NaN)).toBe('quiet'); // the stream is ahead of REST
    expect(judgeSilence(10, 11, NaN)).toBe('missed');
  });

  it('an empty history is quiet; ids that do not count cannot say', () => {
    expect(judgeSilence(NaN, undefined, NaN)).toBe('quiet');
    expect(judgeSilence(10, NaN, NaN)).toBe('unknown');
  });

  it('a tape that holds no trade is judged against the previous answer; its first check only sets it', () => {
    expect(judgeSilence(NaN, 10, NaN)).toBe('quiet');
    expect(judgeSilence(NaN, 10, 10)).toBe('quiet');
    expect(judgeSilence(NaN, 11, 10)).toBe('missed');
  });
});

type Answer = () => Promise<unknown>;

function setup(channel: 'trades' | 'ticker' | 'book' = 'trades', symbols = ['BTC/USDT']) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const log = { event: (e: { kind: string; message?: string; symbol?: string }) => void trace.push(`${e.kind} ${e.symbol}: ${e.message}`), record: () => undefined };
  const report = new SessionReport('sim', log, { error: (cls, m) => void trace.push(`error ${cls}: ${m}`) }, () => undefined);
  const rows = { sink: { ticker: () => undefined } as unknown as TickSink, exchangeLatency: undefined, processingLatency: new LatencyRing(8), bookDepth: 10 };
  const subs = symbols.map((symbol) => {
    const s = createSubscription({ exchange: 'sim', symbol, channel }, owner, rows, time.now(), 4);
    s.url = 'wss://1';
    s.state = 'live';
    s.lastDataAt = time.now();
    return s;
  });
  const sub = subs[0]!;
  const answers: Answer[] = [];
  const client = { url: 'wss://1', lastFrameAt: -Infinity, onError: () => void trace.push('onError'), close: async () => void trace.push('close') };
  const ex = {
    clients: { 'wss://1': client },
    has: { fetchTrades: true },
    fetchTrades: (symbol: string, since: number | undefined, limit: number) => {
      trace.push(`fetchTrades ${symbol} since ${since} limit ${limit}`);
      return (answers.shift() ?? (async () => []))();
    },
    fetchOrderBook: (symbol: string, limit: number) => {
      trace.push(`fetchOrderBook ${symbol} limit ${limit}`);
      return (answers.shift() ?? (async () => ({})))();
    },
    fetchTickers: (symbols: string[]) => {
      trace.push(`fetchTickers ${symbols.join(' ')}`);
      return (answers.shift() ?? (async () => ({})))();
    },
    fetchTicker: async (symbol: string) => {
      trace.push(`fetchTicker ${symbol}`);
      return ((await (answers.shift() ?? (async () => ({})))()) as Record<string, unknown>)[symbol];
    },
  } as unknown as StreamExchange;
  (ex.has as Record<string, boolean>).fetchTickers = true;
  // as the session does: what ccxt cached with no watch waiting, written like a watch's result
  const catchUp = (s: Subscription) => {
    const missed = takeUndelivered(ex, s.key, s.target.delivered);
    if (missed === undefined) return;
    trace.push(`caught up ${s.key.symbol}`);
    s.lastDataAt = writeWatchResult(s.target, s.key, missed, ex);
  };
  const check = new SilentStreamCheck({ exchange: () => ex, clock: time, restLane: new RestLane(2), report, owner, catchUp });
  const host: StaleSweepHost = {
    subscriptions: () => subs.values(),
    staleAfterMs: { ticker: 1000, trades: 1000, book: 1000 },
    silence: { mayClose: () => true },
    outages: { suspect: () => undefined },
    report,
    silentStreams: check,
    connectionLost: () => void trace.push('lost'),
  };
  const sweep = () => sweepStale(host, ex, time.now());
  return { time, trace, sub, subs, answers, sweep, ex };
}

const newest = (id: number) => async () => [{ id: String(id), timestamp: 1, price: 1, amount: 1, info: { f: id - 2, l: id } }];

describe('a silent live tape (sweepStale with SilentStreamCheck)', () => {
  it('asks REST once; a quiet market keeps the tape live and its silence counts from the question', async () => {
    const { time, trace, sub, answers, sweep } = setup();
    sub.target.tape!.accept('10', 1);
    const t0 = time.now();
    answers.push(newest(10), newest(10));
    await time.advance(1001);
    sweep();
    sweep(); // asked already: nothing more
    await settle();
    expect(trace).toEqual(['fetchTrades BTC/USDT since undefined limit 1']);
    expect(sub.state).toBe('live');
    expect(sub.quietAt).toBe(t0 + 1001);
    await time.advance(500);
    sweep(); // silent 500 ms since the answer: not past half the limit, when it is asked again
    expect(trace).toHaveLength(1);
    await time.advance(1);
    sweep();
    await settle();
    expect(trace).toEqual(['fetchTrades BTC/USDT since undefined limit 1', 'fetchTrades BTC/USDT since undefined limit 1']);
    expect(sub.state).toBe('live');
  });

  it('REST holds a trade the tape lacks: once the stream had MISSED_GRACE_MS to send it, stale and its socket reconnected', async () => {
    const { time, trace, sub, answers, sweep } = setup();
    sub.target.tape!.accept('10', 1);
    answers.push(newest(12)); // aggregate 10..12: trades 11 and 12 were missed
    await time.advance(1001);
    sweep();
    await settle();
    await time.advance(MISSED_GRACE_MS - 1);
    sweep();
    expect(sub.state).toBe('live');
    await time.advance(1);
    sweep();
    expect(trace).toEqual(['fetchTrades BTC/USDT since undefined limit 1', `STALE BTC/USDT: no data for ${1001 + MISSED_GRACE_MS} ms`, 'onError', 'close']);
    expect(sub.state).toBe('stale');
  });

  it('REST holds a trade the stream sends within MISSED_GRACE_MS: not stale', async () => {
    const { time, trace, sub, answers, sweep } = setup();
    sub.target.tape!.accept('10', 1);
    answers.push(newest(11));
    await time.advance(1001);
    sweep();
    await settle();
    await time.advance(300);
    sub.target.tape!.accept('11', 2);
    sub.lastDataAt = time.now();
    await time.advance(MISSED_GRACE_MS);
    sweep(); // a new silence since that trade: asked about again, not stale
    expect(trace).toEqual(['fetchTrades BTC/USDT since undefined limit 1', 'fetchTrades BTC/USDT since undefined limit 1']);
    expect(sub.state).toBe('live');
  });

  it('a REST failure cannot vouch for the market: counted, then stale as before', async () => {
    const { time, trace, answers, sweep } = setup();
    answers.push(() => Promise.reject(new Error('down')));
    await time.advance(1001);
    sweep();
    await settle();
    sweep();
    expect(trace).toEqual(['fetchTrades BTC/USDT since undefined limit 1', 'error exchange: down', 'STALE BTC/USDT: no data for 1001 ms', 'onError', 'close']);
  });

  it('a trade the stream delivers while REST is asked counts: quiet', async () => {
    const { time, sub, answers, sweep } = setup();
    sub.target.tape!.accept('10', 1);
    let answer: (v: unknown[]) => void = () => undefined;
    answers.push(() => new Promise((r) => (answer = r)));
    await time.advance(1001);
    sweep();
    await settle();
    sub.target.tape!.accept('11', 2);
    answer(await newest(11)());
    await settle();
    expect(sub.quietAt).toBe(time.now());
    await time.advance(10);
    sweep();
    expect(sub.state).toBe('live');
  });

  it('a tape that holds no trade: the first answer is the baseline, a newer trade at the next check was missed', async () => {
    const { time, trace, sub, answers, sweep } = setup();
    answers.push(newest(50), newest(50), newest(51));
    for (let i = 0; i < 2; i++) {
      await time.advance(1001);
      sweep();
      await settle();
      expect(sub.state).toBe('live');
    }
    await time.advance(1001);
    sweep();
    await settle();
    await time.advance(MISSED_GRACE_MS);
    sweep();
    expect(trace.filter((l) => l.startsWith('fetchTrades'))).toHaveLength(3);
    expect(sub.state).toBe('stale');
  });

  it('a tape that ends while REST is asked changes nothing', async () => {
    const { time, sub, answers, sweep } = setup();
    answers.push(() => new Promise((r) => time.setTimeout(() => r([]), 100)));
    await time.advance(1001);
    sweep();
    sub.owner.dispose();
    await time.advance(100);
    expect(sub.quietAt).toBe(-Infinity);
  });

});

describe('a silent live book', () => {
  const snapshot = (nonce: number) => async () => ({ bids: [[99, 1]], asks: [[101, 1]], nonce });

  it('the book holds the exchange\'s newest update id: quiet, synced and live; a newer one: stale and resynced', async () => {
    const { time, trace, sub, answers, sweep } = setup('book');
    sub.target.book!.update(99, 101, 500, time.now());
    answers.push(snapshot(500), snapshot(507));
    await time.advance(1001);
    sweep();
    await settle();
    expect(sub.state).toBe('live');
    expect(sub.target.book!.state).toBe('synced');
    await time.advance(1001);
    sweep();
    await settle();
    await time.advance(MISSED_GRACE_MS);
    sweep();
    expect(trace).toEqual(['fetchOrderBook BTC/USDT limit 5', 'fetchOrderBook BTC/USDT limit 5', `STALE BTC/USDT: no data for ${1001 + MISSED_GRACE_MS} ms`, 'onError', 'close']);
    expect(sub.state).toBe('stale');
    expect(sub.target.book!.state).toBe('stale');
  });
});

describe('silent live tickers', () => {
  it('those silent in one pass are asked about in one request, by the last trade id they counted; quiet stays live, missed goes stale', async () => {
    const { time, trace, subs, answers, sweep } = setup('ticker', ['A/USDT', 'B/USDT', 'C/USDT']);
    const [a, b, c] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]];
    a.target.lastTradeId = 70;
    b.target.lastTradeId = 80;
    c.target.lastTradeId = 90;
    answers.push(async () => ({ 'A/USDT': { info: { lastId: 70 } }, 'B/USDT': { info: { lastId: 81 } } })); // C missing from the answer
    await time.advance(1001);
    sweep();
    await settle();
    expect(trace).toEqual(['fetchTickers A/USDT B/USDT C/USDT']);
    expect(subs.map((s) => s.state)).toEqual(['live', 'live', 'live']);
    await time.advance(10);
    sweep();
    // REST could not say for C: stale at once; B missed a trade: stale once its stream had time to send it; A quiet
    expect(trace.slice(1)).toEqual(['STALE C/USDT: no data for 1011 ms', 'onError', 'close']);
    await time.advance(MISSED_GRACE_MS);
    sweep();
    expect(trace.slice(4)).toEqual([`STALE B/USDT: no data for ${1011 + MISSED_GRACE_MS} ms`, 'onError', 'close']);
    expect(subs.map((s) => s.state)).toEqual(['live', 'stale', 'stale']);
  });

  it('tickers nearly due join a pass\'s request and stay in phase after; alone, a nearly due ticker is not asked early', async () => {
    const { time, trace, subs, answers, sweep } = setup('ticker', ['A/USDT', 'B/USDT', 'C/USDT']);
    const [a, b, c] = subs as [(typeof subs)[0], (typeof subs)[0], (typeof subs)[0]];
    for (const s of subs) s.target.lastTradeId = 70;
    const quiet = async () => ({ 'A/USDT': { info: { lastId: 70 } }, 'B/USDT': { info: { lastId: 70 } }, 'C/USDT': { info: { lastId: 70 } } });
    b.lastDataAt = time.now() + 40; // its silence began 40 ms later (its own socket, stepped on its own)
    c.lastDataAt = time.now() + 300; // silent for less than a quarter of the limit at the pass
    await time.advance(480);
    sweep();
    await settle();
    expect(trace).toEqual([]); // B is nearly due, but nothing is due: nothing is asked early
    answers.push(quiet);
    await time.advance(21);
    sweep(); // A due (501 ms), B nearly (461 ms) joins, C (201 ms) does not
    await settle();
    expect(trace).toEqual(['fetchTickers A/USDT B/USDT']);
    expect(a.quietAt).toBe(b.quietAt);
    answers.push(quiet, quiet);
    await time.advance(500);
    sweep(); // C due (701 ms); A and B, silent 500 ms since their answer (not past half), join it
    await settle();
    expect(trace.slice(1)).toEqual(['fetchTickers C/USDT A/USDT B/USDT']);
    expect(new Set(subs.map((s) => s.quietAt)).size).toBe(1);
    expect(subs.map((s) => s.state)).toEqual(['live', 'live', 'live']);
  });

  it('a row whose best bid or ask moved without a trade missed it too', async () => {
    const { time, subs, answers, sweep } = setup('ticker', ['A/USDT', 'B/USDT']);
    for (const s of subs) Object.assign(s.target, { lastTradeId: 70, lastBid: 99, lastAsk: 101 });
    answers.push(async () => ({ 'A/USDT': { bid: 99, ask: 101, info: { lastId: 70 } }, 'B/USDT': { bid: 99, ask: 100.5, info: { lastId: 70 } } }));
    await time.advance(1001);
    sweep();
    await settle();
    await time.advance(MISSED_GRACE_MS);
    sweep();
    expect(subs.map((s) => s.state)).toEqual(['live', 'stale']);
  });

  it('a ticker that came while no watch waited is taken from ccxt\'s cache before REST is asked: judged by it, quiet', async () => {
    const { time, trace, sub, answers, sweep, ex } = setup('ticker');
    const ticker = (L: number, bid: number) => ({ symbol: 'BTC/USDT', last: bid, bid, ask: bid + 1, info: { L, _rx: time.now() } });
    const tickers: Record<string, unknown> = {};
    Object.assign(ex, { tickers });
    // the stream delivered the ticker of trade 70; trade 71's came while no watch waited
    tickers['BTC/USDT'] = ticker(70, 99);
    writeWatchResult(sub.target, sub.key, tickers['BTC/USDT'], ex);
    tickers['BTC/USDT'] = ticker(71, 100);
    answers.push(async () => ({ 'BTC/USDT': { bid: 100, ask: 101, info: { lastId: 71 } } }));
    await time.advance(1001);
    sweep();
    await settle();
    await time.advance(MISSED_GRACE_MS);
    sweep();
    // without the catch-up: REST has trade 71 and a new bid the row lacks, "missed", stale and reconnected
    expect(trace).toEqual(['caught up BTC/USDT', 'fetchTicker BTC/USDT']);
    expect(sub.target.lastTradeId).toBe(71);
    expect(sub.state).toBe('live');
    expect(sub.quietAt).toBe(time.now() - MISSED_GRACE_MS);
  });

  it('a ticker that carries no trade id (another exchange) is not asked about: stale at once, as before', async () => {
    const { time, trace, sub, sweep } = setup('ticker');
    await time.advance(1001);
    sweep();
    expect(trace).toEqual(['STALE BTC/USDT: no data for 1001 ms', 'onError', 'close']);
    expect(sub.state).toBe('stale');
  });

  it('a failed request is counted once, and each of its tickers goes stale as before', async () => {
    const { time, trace, subs, answers, sweep } = setup('ticker', ['A/USDT', 'B/USDT']);
    for (const s of subs) s.target.lastTradeId = 5;
    answers.push(() => Promise.reject(new Error('down')));
    await time.advance(1001);
    sweep();
    await settle();
    sweep();
    expect(trace.filter((l) => l.startsWith('fetchTickers'))).toEqual(['fetchTickers A/USDT B/USDT']);
    expect(trace.filter((l) => l.startsWith('error'))).toEqual(['error exchange: down']);
    expect(trace.filter((l) => l.startsWith('STALE'))).toEqual(['STALE A/USDT: no data for 1001 ms', 'STALE B/USDT: no data for 1001 ms']);
    expect(subs.map((s) => s.state)).toEqual(['stale', 'stale']);
  });

  it(`more than ${TICKERS_PER_REQUEST} silent tickers take one request per ${TICKERS_PER_REQUEST}`, async () => {
    const symbols = Array.from({ length: TICKERS_PER_REQUEST + 1 }, (_, i) => `S${i}/USDT`);
    const { time, trace, subs, sweep } = setup('ticker', symbols);
    for (const s of subs) s.target.lastTradeId = 5;
    await time.advance(1001);
    sweep();
    await settle();
    expect(trace.map((l) => l.split(' ').length - 1)).toEqual([TICKERS_PER_REQUEST, 1]);
  });

  it('the mark a ticker carries: the stream\'s L, else REST\'s lastId', () => {
    expect(tickerTradeId({ L: 12 })).toBe(12);
    expect(tickerTradeId({ lastId: '34' })).toBe(34);
    expect(tickerTradeId({ c: '1.0' })).toBeNaN();
    expect(tickerTradeId(undefined)).toBeNaN();
  });
});
