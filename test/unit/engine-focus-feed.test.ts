import { describe, expect, it } from 'vitest';
import { FocusFeed, TapeRing, type FocusCursor } from '../../electron/engine/market/focus-feed';
import { SOURCE_REST, SOURCE_WS, type BookTop } from '../../shared/contract/tick-batch';

const KEY = 'sim|BTC/USDT';
const top = (over: Partial<BookTop> = {}): BookTop => ({ key: KEY, bids: [[99, 1]], asks: [[101, 2]], eventTime: 1000, receivedAt: 1001, source: SOURCE_WS, state: 1, updateId: 7, ...over });
const cursor = (): FocusCursor => ({ key: KEY, tapeSeq: -1, gapSeq: 0, bookVersion: -1 });

describe('TapeRing', () => {
  it('returns what came after a position, or everything kept (reset) for a reader that fell out of the ring', () => {
    const ring = new TapeRing(4);
    for (let i = 1; i <= 3; i++) ring.push(100 + i, i, 1, 1000 + i, false, String(i));
    expect(ring.since(KEY, -1, 0)).toMatchObject({ reset: true, ids: ['1', '2', '3'] });
    expect(ring.since(KEY, 3, 0)).toBeUndefined();
    for (let i = 4; i <= 9; i++) ring.push(100 + i, i, -1, 1000 + i, i === 9, String(i));
    expect(ring.since(KEY, 7, 0)).toEqual({ key: KEY, reset: false, ids: ['8', '9'], trades: [[108, 8, -1, 1008, 0], [109, 9, -1, 1009, 1]], gaps: [] });
    // 4 and 5 were overwritten before this reader got them: shed, and marked as such
    expect(ring.since(KEY, 3, 0)).toMatchObject({ reset: true, ids: ['6', '7', '8', '9'], gaps: [{ missing: 2, recovered: 0, cause: 'shed', startedAt: 1006, endedAt: 1006 }] });
    expect(ring.since(KEY, -1, 0)!.gaps).toEqual([]); // a new reader starts with what is kept: nothing was shed for it
  });
});

describe('FocusFeed: depth and tape of focused instruments, per reader', () => {
  it('keeps nothing for instruments nobody focuses', () => {
    const f = new FocusFeed();
    f.book(top());
    f.trade(KEY, '1', 100, 1, 1, 1000, SOURCE_WS);
    expect(f.read(cursor())).toEqual({});
  });

  it('a reader gets the book once per change and only the trades and gaps it has not seen', () => {
    const f = new FocusFeed();
    f.retain(new Set([KEY]));
    f.book(top());
    f.trade(KEY, '1', 100, 1, 1, 1000, SOURCE_WS);
    const c = cursor();
    const first = f.read(c);
    expect(first.depth).toEqual({ key: KEY, state: 'synced', updateId: 7, eventTime: 1000, receivedAt: 1001, source: 'ws', bids: [[99, 1]], asks: [[101, 2]] });
    expect(first.tape).toMatchObject({ reset: true, ids: ['1'] });
    expect(f.read(c)).toEqual({}); // nothing new
    f.book(top({ state: 2, updateId: NaN }));
    f.trade(KEY, '5', 101, 2, -1, 1500, SOURCE_WS);
    f.trade(KEY, '2', 100, 1, 1, 1100, SOURCE_REST);
    f.gap({ key: KEY, fromId: '2', toId: '4', missing: 3, recovered: 1, startedAt: 1000, endedAt: 1500, cause: 'id-jump' });
    const next = f.read(c);
    expect(next.depth).toMatchObject({ state: 'resyncing', updateId: null });
    expect(next.tape).toEqual({ key: KEY, reset: false, ids: ['5', '2'], trades: [[101, 2, -1, 1500, 0], [100, 1, 1, 1100, 1]], gaps: [{ fromId: '2', toId: '4', missing: 3, recovered: 1, startedAt: 1000, endedAt: 1500, cause: 'id-jump' }] });
    // a gap arriving without new trades is still sent, once
    f.gap({ key: KEY, fromId: '', toId: '', missing: NaN, recovered: 0, startedAt: 1500, endedAt: 1900, cause: 'outage' });
    expect(f.read(c).tape).toMatchObject({ reset: false, trades: [], gaps: [{ missing: null, cause: 'outage' }] });
    expect(f.read(c)).toEqual({});
    // a second reader (another renderer) starts with everything kept
    expect(f.read(cursor()).tape).toMatchObject({ reset: true, ids: ['1', '5', '2'] });
    expect(f.read(cursor()).tape!.gaps).toHaveLength(2);
  });

  it('unfocused instruments are dropped', () => {
    const f = new FocusFeed();
    f.retain(new Set([KEY]));
    f.book(top());
    f.retain(new Set());
    expect(f.isFocused(KEY)).toBe(false);
    expect(f.read(cursor())).toEqual({});
  });
});
