// The depth stream (@depth@100ms, U/u) and its faults, seen by the unmodified
// ccxt watchOrderBook: equality with the simulator's book, a gap in update ids
// (ChecksumError, then a resync), a crossed diff that heals, a stale snapshot.
import { describe, expect, it } from 'vitest';
import type { ExchangeSimulator } from '../../simulator/exchange-simulator';
import { binance, errors, firstError, startSim, useSimulator } from './simulator-ccxt-helpers';
import { until } from '../support/until';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt is untyped where it matters here */
useSimulator();

/** Freezes the market, waits for ccxt's book to reach the simulator's last update id, and compares every level. */
async function expectBookEquals(s: ExchangeSimulator, ex: any, symbol: string): Promise<void> {
  s.setRate(0);
  const truth = () => s.book(symbol)!;
  await until(() => ex.orderbooks[symbol]?.nonce === truth().lastUpdateId, `ccxt's ${symbol} book to reach the simulator's update id`, 5000);
  const book = ex.orderbooks[symbol];
  const levels = (side: number[][]): number[][] => side.map((l) => [l[0]!, l[1]!]);
  expect(levels(book.bids)).toEqual(truth().bids);
  expect(levels(book.asks)).toEqual(truth().asks);
}

interface Diff {
  U: number;
  u: number;
  b: string[][];
  a: string[][];
}

/** Places where a recorded depth stream does not chain (U !== previous u + 1). */
function breaks(diffs: Diff[]): Array<{ prevU: number; U: number }> {
  const out: Array<{ prevU: number; U: number }> = [];
  for (let i = 1; i < diffs.length; i++) if (diffs[i]!.U !== diffs[i - 1]!.u + 1) out.push({ prevU: diffs[i - 1]!.u, U: diffs[i]!.U });
  return out;
}

describe('order book over the depth stream', () => {
  it('after many diffs ccxt\'s book equals the simulator\'s book level by level', async () => {
    const s = await startSim({ ratePerSymbol: 40 });
    const ex = binance(s);
    s.record(true);
    for (let i = 0; i < 30; i++) await ex.watchOrderBook('ETH/USDT');
    expect(s.view().streams).toEqual({ 'ethusdt@depth@100ms': 1 });
    await expectBookEquals(s, ex, 'ETH/USDT');
    expect(breaks(s.sent('ethusdt@depth@100ms') as Diff[])).toEqual([]);
  });

  it('depthIntervalMs: diffs come at most every 100 ms, each merges the steps between them, and they still chain', async () => {
    const s = await startSim({ ratePerSymbol: 200, depthIntervalMs: 100 });
    const ex = binance(s);
    s.record(true);
    for (let i = 0; i < 8; i++) await ex.watchOrderBook('ETH/USDT');
    const diffs = s.sent('ethusdt@depth@100ms') as Array<Diff & { E: number }>;
    expect(breaks(diffs)).toEqual([]);
    for (let i = 1; i < diffs.length; i++) expect(diffs[i]!.E - diffs[i - 1]!.E).toBeGreaterThanOrEqual(100);
    // 200 steps/s over 100 ms: one diff covers many update ids (without the interval: one each)
    const covered = diffs.slice(1).map((d) => d.u - d.U + 1);
    expect(Math.max(...covered)).toBeGreaterThan(5);
    expect(ex.orderbooks['ETH/USDT'].nonce).toBeLessThanOrEqual(diffs.at(-1)!.u);
  });

  it('book-gap (all symbols): one diff is dropped, ccxt raises ChecksumError on each book, a new watch resyncs to equality', async () => {
    const s = await startSim({ ratePerSymbol: 20 });
    const ex = binance(s);
    s.record(true);
    for (let i = 0; i < 5; i++) await Promise.all([ex.watchOrderBook('SOL/USDT'), ex.watchOrderBook('BNB/USDT')]);
    s.fault({ kind: 'book-gap' });
    expect(s.activeFaults()).toEqual([]); // a one-shot action
    const [sol, bnb] = await Promise.all([firstError(() => ex.watchOrderBook('SOL/USDT')), firstError(() => ex.watchOrderBook('BNB/USDT'))]);
    expect(sol).toBeInstanceOf(errors.ChecksumError);
    expect(bnb).toBeInstanceOf(errors.ChecksumError);
    // on the wire: exactly one break per stream, skipping the dropped diff's ids
    for (const stream of ['solusdt@depth@100ms', 'bnbusdt@depth@100ms']) {
      const gaps = breaks(s.sent(stream) as Diff[]);
      expect(gaps, stream).toHaveLength(1);
      expect(gaps[0]!.U).toBeGreaterThan(gaps[0]!.prevU + 1);
    }
    for (let i = 0; i < 5; i++) await ex.watchOrderBook('SOL/USDT');
    await expectBookEquals(s, ex, 'SOL/USDT');
  });

  it('book-gap for one symbol leaves the others chained', async () => {
    const s = await startSim({ ratePerSymbol: 20 });
    const ex = binance(s);
    for (let i = 0; i < 3; i++) await Promise.all([ex.watchOrderBook('SOL/USDT'), ex.watchOrderBook('BNB/USDT')]);
    s.record(true);
    s.fault({ kind: 'book-gap', symbol: 'SOLUSDT' });
    expect(await firstError(() => ex.watchOrderBook('SOL/USDT'))).toBeInstanceOf(errors.ChecksumError);
    for (let i = 0; i < 5; i++) await ex.watchOrderBook('BNB/USDT');
    expect(breaks(s.sent('bnbusdt@depth@100ms') as Diff[])).toEqual([]);
    expect(() => s.fault({ kind: 'book-gap', symbol: 'NOPEUSDT' })).toThrow(/unknown symbol NOPEUSDT/);
  });

  it('book-crossed: one diff puts a bid above the best ask, the next diff heals it, and the book ends equal', async () => {
    const s = await startSim({ ratePerSymbol: 20 });
    const ex = binance(s);
    // ccxt's book after every depth message it handles (several may arrive in one read)
    const crossed: boolean[] = [];
    const handle = ex.handleOrderBook.bind(ex);
    ex.handleOrderBook = (client: unknown, message: unknown): void => {
      handle(client, message);
      const ob = ex.orderbooks['BTC/USDT'];
      if (ob?.nonce !== undefined && ob.bids.length && ob.asks.length) crossed.push(ob.bids[0][0] >= ob.asks[0][0]);
    };
    for (let i = 0; i < 3; i++) await ex.watchOrderBook('BTC/USDT');
    expect(crossed.length).toBeGreaterThan(0);
    expect(crossed.some(Boolean)).toBe(false);
    s.fault({ kind: 'book-crossed', symbol: 'BTCUSDT' });
    const from = crossed.length;
    while (crossed.length < from + 5) await ex.watchOrderBook('BTC/USDT');
    const after = crossed.slice(from);
    expect(after.filter(Boolean)).toHaveLength(1); // exactly one diff crossed the book
    expect(after[after.indexOf(true) + 1]).toBe(false); // and the next one healed it
    await expectBookEquals(s, ex, 'BTC/USDT');
  });

  it('book-stale-snapshot: the snapshot is behind the stream, ccxt raises ChecksumError, the next snapshot is fresh and resyncs', async () => {
    const s = await startSim({ ratePerSymbol: 20 });
    const ex = binance(s);
    const before = s.market('ETH/USDT')!.updateId;
    s.record(true);
    s.fault({ kind: 'book-stale-snapshot', symbol: 'ETHUSDT' });
    expect(s.market('ETH/USDT')!.updateId).toBeGreaterThan(before); // the live book moved past the capture
    const err = await firstError(() => ex.watchOrderBook('ETH/USDT'));
    expect(err).toBeInstanceOf(errors.ChecksumError);
    const first = (s.sent('ethusdt@depth@100ms') as Diff[])[0]!;
    expect(first.U).toBeGreaterThan(before + 1); // nothing on the stream continues the stale snapshot (lastUpdateId = before)
    for (let i = 0; i < 5; i++) await ex.watchOrderBook('ETH/USDT');
    await expectBookEquals(s, ex, 'ETH/USDT');
    const snapshots = s.restLog().filter((e) => e.path === '/api/v3/depth');
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
  });

  it('book-stale-snapshot over REST: lastUpdateId of the captured book once, then the live one; clear drops a pending one', async () => {
    const s = await startSim({ ratePerSymbol: 0 });
    const depth = async (): Promise<{ lastUpdateId: number; bids: string[][] }> =>
      (await (await fetch(`${s.urls.rest}/depth?symbol=BNBUSDT&limit=5`)).json()) as { lastUpdateId: number; bids: string[][] };
    const live = await depth();
    s.fault({ kind: 'book-stale-snapshot' });
    const stale = await depth();
    expect(stale).toEqual(live);
    const next = await depth();
    expect(next.lastUpdateId).toBe(s.market('BNBUSDT')!.updateId);
    expect(next.lastUpdateId).toBeGreaterThan(stale.lastUpdateId);
    expect(next.bids).toHaveLength(5);
    s.fault({ kind: 'book-stale-snapshot', symbol: 'BNBUSDT' });
    s.fault({ kind: 'clear' });
    expect((await depth()).lastUpdateId).toBe(s.market('BNBUSDT')!.updateId);
  });
});
