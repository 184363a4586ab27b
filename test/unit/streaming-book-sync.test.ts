import { describe, expect, it } from 'vitest';
import { BookSync } from '../../electron/streaming/book/book-sync';
import { BOOK_STATES, bookStateOf } from '../../shared/market';

describe('BookSync: the state of one full-depth book', () => {
  it('syncing until the first good book, then synced with its update id and age', () => {
    const b = new BookSync();
    expect(b.state).toBe('syncing');
    expect(b.age(5000)).toBe(Infinity);
    expect(b.resync('reconnect')).toBe(false); // never shown as synced: nothing to resync
    expect(b.state).toBe('syncing');
    expect(b.update(99, 101, 42, 1000)).toBe('synced');
    expect({ state: b.state, id: b.lastUpdateId, age: b.age(1250), resyncs: b.resyncs }).toEqual({ state: 'synced', id: 42, age: 250, resyncs: 0 });
    expect(bookStateOf(b.code)).toBe('synced');
  });

  it('a gap, a crossed book and a reconnect each start one resync episode, counted by cause', () => {
    const b = new BookSync();
    b.update(99, 101, 1, 1000);
    expect(b.resync('gap')).toBe(true);
    expect(b.resync('gap')).toBe(false); // more faults before the next good book: the same episode
    expect(b.resync('reconnect')).toBe(false);
    expect({ state: b.state, cause: b.cause }).toEqual({ state: 'resyncing', cause: 'gap' });
    b.update(99, 101, 9, 1100);
    expect({ state: b.state, cause: b.cause }).toEqual({ state: 'synced', cause: undefined });
    expect(b.update(101, 101, 10, 1200)).toBe('crossed'); // best bid = best ask
    expect({ state: b.state, cause: b.cause, id: b.lastUpdateId }).toEqual({ state: 'resyncing', cause: 'crossed', id: 10 });
    b.update(99, 101, 20, 1300);
    b.resync('reconnect');
    expect(b.resyncsBy).toEqual({ gap: 1, crossed: 1, reconnect: 1 });
    expect(b.resyncs).toBe(3);
  });

  it('a crossed first snapshot or a gap while syncing counts as a resync; a one-sided book is not crossed', () => {
    const b = new BookSync();
    expect(b.update(102, 101, 1, 1000)).toBe('crossed');
    expect(b.state).toBe('resyncing');
    expect(b.update(99, undefined, 2, 1100)).toBe('synced');
    const c = new BookSync();
    expect(c.resync('gap')).toBe(true);
    expect(c.resyncsBy.gap).toBe(1);
  });

  it('stale once per silence; the next good book is synced again; a reconnect after staleness is a resync', () => {
    const b = new BookSync();
    b.update(99, 101, 1, 1000);
    expect(b.stale()).toBe(true);
    expect(b.stale()).toBe(false);
    expect(bookStateOf(b.code)).toBe('stale');
    expect(b.resync('reconnect')).toBe(true);
    expect(b.state).toBe('resyncing');
    b.update(99, 101, 5, 9000);
    expect(b.state).toBe('synced');
    expect(b.stale()).toBe(true);
    b.update(99, 101, 6, 9100);
    expect(b.state).toBe('synced');
  });

  it('state codes round-trip through the tick batch encoding', () => {
    BOOK_STATES.forEach((s, i) => expect(bookStateOf(i)).toBe(s));
    expect(bookStateOf(4)).toBeUndefined();
  });
});
