// The IB adapter's pure parts: code meanings, request pacing, depth rows → levels.
import { describe, expect, it } from 'vitest';
import type { BookTop } from '../../shared/contract/tick-batch';
import { Owner } from '../../shared/lifecycle/owner';
import { DEPTH_DELETE, DEPTH_INSERT, DEPTH_UPDATE, DepthBook, SIDE_ASK, SIDE_BID } from '../../electron/streaming/adapters/ib/depth-book';
import { ibMeaning } from '../../electron/streaming/adapters/ib/ib-codes';
import { FIRST_GAP_MS, MAX_GAP_MS, RELAX_AFTER, RequestPacer } from '../../electron/streaming/adapters/ib/request-pacer';
import { FakeTime } from './streaming-fake-time';

describe('ibMeaning', () => {
  it('maps connectivity, farm, client id, pacing and request codes', () => {
    expect(ibMeaning(1100, false)).toEqual({ kind: 'connectivity-lost' });
    expect(ibMeaning(1101, false)).toEqual({ kind: 'restored', dataLost: true });
    expect(ibMeaning(1102, false)).toEqual({ kind: 'restored', dataLost: false });
    expect([2104, 2106, 2108, 2158].map((c) => ibMeaning(c, false).kind)).toEqual(['farm', 'farm', 'farm', 'farm']);
    expect(ibMeaning(326, false)).toEqual({ kind: 'client-id-in-use' });
    expect(ibMeaning(100, true)).toEqual({ kind: 'pacing' });
    expect(ibMeaning(200, true)).toEqual({ kind: 'request-failed', errorClass: 'bad-symbol' });
    expect(ibMeaning(354, true)).toEqual({ kind: 'no-permission' });
    expect(ibMeaning(322, true)).toEqual({ kind: 'request-failed', errorClass: 'exchange' });
    expect(ibMeaning(2109, true)).toEqual({ kind: 'other' }); // a warning does not end the request
  });
});

describe('RequestPacer', () => {
  it('sends at once until TWS complains, then spaces requests, doubling per violation up to the cap', async () => {
    const time = new FakeTime();
    const owner = new Owner('ib');
    const pacer = new RequestPacer(time, owner);
    const sent: number[] = [];
    const at = () => sent.push(time.now() - 1_000_000);
    pacer.send(at);
    pacer.send(at);
    expect(sent).toEqual([0, 0]);
    pacer.violated();
    expect(pacer.gapMs).toBe(FIRST_GAP_MS);
    pacer.send(at);
    pacer.send(at);
    pacer.send(at);
    expect(sent).toEqual([0, 0]); // the last send was just now: wait one gap
    expect(owner.counts()).toEqual({ pacer: 1 });
    await time.advance(100);
    expect(sent).toEqual([0, 0, 25, 50, 75]);
    for (let i = 0; i < 10; i++) pacer.violated();
    expect(pacer.gapMs).toBe(MAX_GAP_MS);
    pacer.send(at);
    pacer.clear();
    expect(owner.counts()).toEqual({});
    await time.advance(5000);
    expect(sent).toHaveLength(5);
  });

  it('relaxes after a run of requests without a violation', async () => {
    const time = new FakeTime();
    const pacer = new RequestPacer(time, new Owner('ib'));
    pacer.violated();
    pacer.violated();
    expect(pacer.gapMs).toBe(50);
    for (let i = 0; i < RELAX_AFTER; i++) pacer.send(() => undefined);
    await time.advance(RELAX_AFTER * 50);
    expect(pacer.gapMs).toBe(25);
    for (let i = 0; i < RELAX_AFTER; i++) pacer.send(() => undefined);
    await time.advance(RELAX_AFTER * 25);
    expect(pacer.gapMs).toBe(0);
  });
});

describe('DepthBook', () => {
  const top = (): BookTop => ({ key: 'ib|ES', bids: [], asks: [], eventTime: NaN, receivedAt: NaN, source: 0, state: 1, updateId: NaN });

  it('turns rows by position into price levels', () => {
    const book = new DepthBook(5);
    expect(book.apply(0, DEPTH_INSERT, SIDE_BID, 100, 5)).toBe(true);
    expect(book.apply(0, DEPTH_INSERT, SIDE_BID, 101, 3)).toBe(true); // a better bid pushes the old one down
    expect(book.apply(0, DEPTH_INSERT, SIDE_ASK, 102, 7)).toBe(true);
    expect(book.apply(1, DEPTH_UPDATE, SIDE_BID, 100, 9)).toBe(true);
    const t = top();
    book.copyInto(t, 10);
    expect([t.bids, t.asks]).toEqual([[[101, 3], [100, 9]], [[102, 7]]]);
    expect(book.apply(0, DEPTH_DELETE, SIDE_BID, 101, 0)).toBe(true);
    book.copyInto(t, 10);
    expect(t.bids).toEqual([[100, 9]]);
  });

  it('refuses rows that do not fit, keeps at most its rows, and cuts to the depth asked', () => {
    const book = new DepthBook(2);
    expect(book.apply(1, DEPTH_INSERT, SIDE_BID, 100, 1)).toBe(false); // a hole at position 0
    expect(book.apply(2, DEPTH_INSERT, SIDE_BID, 100, 1)).toBe(false);
    expect(book.apply(0, DEPTH_DELETE, SIDE_ASK, 100, 1)).toBe(false);
    book.apply(0, DEPTH_INSERT, SIDE_BID, 100, 1);
    book.apply(0, DEPTH_INSERT, SIDE_BID, 101, 1);
    book.apply(0, DEPTH_INSERT, SIDE_BID, 102, 1);
    const t = top();
    book.copyInto(t, 10);
    expect(t.bids).toEqual([[102, 1], [101, 1]]);
    book.copyInto(t, 1);
    expect(t.bids).toEqual([[102, 1]]);
    book.reset();
    book.copyInto(t, 10);
    expect(t.bids).toEqual([]);
  });
});
