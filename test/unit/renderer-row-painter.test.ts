import { describe, expect, it } from 'vitest';
import type { PaintContext, PaintedField, RowElements } from '../../renderer/src/paint/row-painter';
import { PAINTED_FIELDS, RowPainter } from '../../renderer/src/paint/row-painter';
import { RowStore } from '../../renderer/src/state/row-store';
import { tickerRow } from './renderer-test-rows';

/** Records what the painter writes, like a DOM element would keep it. */
class FakeElement {
  textContent: string | null = null;
  attributes = new Map<string, string>();
  writes = 0;
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value);
    this.writes++;
  }
}

function fakeRow() {
  const cells = Object.fromEntries(PAINTED_FIELDS.map((f) => [f, new FakeElement()])) as Record<PaintedField, FakeElement>;
  const row = new FakeElement();
  const badge = new FakeElement();
  const elements: RowElements = { row, cells, badge };
  return { row, cells, badge, elements };
}

const ctx = (now: number, over: Partial<PaintContext> = {}): PaintContext => ({
  now,
  hostConnected: true,
  staleAfterMs: 5000,
  pollStaleAfterMs: 6000,
  flashMs: 600,
  ...over,
});

describe('RowPainter', () => {
  it('paints a row without data as waiting', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const view = fakeRow();
    painter.register('sim|BTC/USDT', view.elements);
    painter.paintAll(store, ctx(1000));
    expect(view.row.attributes.get('data-state')).toBe('waiting');
    expect(view.row.attributes.get('data-source')).toBe('ws');
    expect(view.badge.textContent).toBe('waiting');
    expect(view.cells.bid.textContent).toBe('—');
  });

  it('treats a placeholder row without any price as waiting, not as old data', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const view = fakeRow();
    painter.register('binance|BTC/USDT', view.elements);
    store.reset([tickerRow('binance', 'BTC/USDT', { bid: null, ask: null, last: null, changePct: null, volume: null, eventTime: null, receivedAt: 0 })]);
    store.setSubscriptions([{ id: 'binance|BTC/USDT|ticker', exchange: 'binance', symbol: 'BTC/USDT', channel: 'ticker', state: 'reconnecting', source: 'ws' }]);
    painter.paintAll(store, ctx(1_800_000_000_000));
    expect(view.row.attributes.get('data-state')).toBe('waiting');
    expect(view.badge.textContent).toBe('waiting · reconnecting');
    expect(view.cells.age.textContent).toBe('—');
  });

  it('writes cell text, flashes and ages straight into the elements', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const view = fakeRow();
    painter.register('sim|BTC/USDT', view.elements);
    store.apply([tickerRow('sim', 'BTC/USDT', { receivedAt: 1000, eventTime: 988 })], 1000);
    store.apply([tickerRow('sim', 'BTC/USDT', { last: 101, receivedAt: 1100, eventTime: 1090, changePct: -2 })], 1100);
    painter.paintKeys(store.takeDirty(), store, ctx(1300));
    expect(view.row.attributes.get('data-state')).toBe('live');
    expect(view.cells.last.textContent).toBe('101.00');
    expect(view.cells.last.attributes.get('data-flash')).toBe('up');
    expect(view.cells.bid.attributes.get('data-flash')).toBe('');
    expect(view.cells.changePct.textContent).toBe('−2.00%');
    expect(view.cells.changePct.attributes.get('data-sign')).toBe('down');
    expect(view.cells.age.textContent).toBe('0.2s');
    expect(view.cells.delay.textContent).toBe('10 ms');
    expect(view.cells.source.textContent).toBe('socket');

    // The periodic repaint advances the age and ends the flash.
    painter.paintAll(store, ctx(2500));
    expect(view.cells.age.textContent).toBe('1.4s');
    expect(view.cells.last.attributes.get('data-flash')).toBe('');
  });

  it('says delayed on a row its broker serves delayed (no live data permission)', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const view = fakeRow();
    painter.register('sim-ib|AAPL@SMART:STK:USD', view.elements);
    store.apply([tickerRow('sim-ib', 'AAPL@SMART:STK:USD', { receivedAt: 1000, eventTime: 1000 })], 1000);
    const status = { id: 'sim-ib|AAPL@SMART:STK:USD|ticker', exchange: 'sim-ib', symbol: 'AAPL@SMART:STK:USD', channel: 'ticker' as const, state: 'live' as const, source: 'ws' as const };
    store.setSubscriptions([{ ...status, delayed: true }]);
    painter.paintAll(store, ctx(1100));
    expect(view.row.attributes.get('data-state')).toBe('live');
    expect(view.row.attributes.get('data-delayed')).toBe('true');
    expect(view.badge.textContent).toBe('live · delayed');
    store.setSubscriptions([status]);
    painter.paintAll(store, ctx(1200));
    expect(view.row.attributes.get('data-delayed')).toBe('false');
    expect(view.badge.textContent).toBe('live');
  });

  it('does not touch the DOM when nothing visible changed', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const view = fakeRow();
    painter.register('sim|BTC/USDT', view.elements);
    store.apply([tickerRow('sim', 'BTC/USDT')], 1000);
    painter.paintAll(store, ctx(1000));
    const before = view.row.writes + view.cells.bid.writes;
    view.cells.bid.textContent = 'sentinel';
    painter.paintAll(store, ctx(1010));
    expect(view.row.writes + view.cells.bid.writes).toBe(before);
    expect(view.cells.bid.textContent).toBe('sentinel');
  });

  it('turns old numbers stale when no update arrives, and paints only registered rows', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const view = fakeRow();
    const unregister = painter.register('sim|BTC/USDT', view.elements);
    store.apply([tickerRow('sim', 'BTC/USDT', { receivedAt: 1000 })], 1000);
    painter.paintAll(store, ctx(6001));
    expect(view.row.attributes.get('data-state')).toBe('stale');
    unregister();
    expect(painter.paintKeys(['sim|BTC/USDT'], store, ctx(7000))).toBe(0);
  });

  it('knows when the flashes on screen end and repaints only those rows then', () => {
    const painter = new RowPainter();
    const store = new RowStore();
    const btc = fakeRow();
    const eth = fakeRow();
    painter.register('sim|BTC/USDT', btc.elements);
    painter.register('sim|ETH/USDT', eth.elements);
    store.apply([tickerRow('sim', 'BTC/USDT', { receivedAt: 1000 }), tickerRow('sim', 'ETH/USDT', { receivedAt: 1000 })], 1000);
    painter.paintAll(store, ctx(1000));
    expect(painter.nextFlashEnd()).toBe(Infinity);
    store.apply([tickerRow('sim', 'BTC/USDT', { last: 101, receivedAt: 1100 })], 1100);
    painter.paintKeys(store.takeDirty(), store, ctx(1100));
    expect(btc.cells.last.attributes.get('data-flash')).toBe('up');
    expect(painter.nextFlashEnd()).toBe(1700);
    const ethWrites = eth.row.writes;
    expect(painter.paintEndedFlashes(store, ctx(1699))).toBe(0);
    expect(painter.paintEndedFlashes(store, ctx(1700))).toBe(1);
    expect(btc.cells.last.attributes.get('data-flash')).toBe('');
    expect(eth.row.writes).toBe(ethWrites);
    expect(painter.nextFlashEnd()).toBe(Infinity);
  });
});
