import { describe, expect, it } from 'vitest';
import type { DepthView } from '../../shared/contract/renderer-api';
import { LadderSettingsSchema, TapeSettingsSchema } from '../../shared/settings';
import { FocusState } from '../../renderer/src/depth/focus-state';
import { CHANGE_FLASH_MS, LadderPainter, TRADED_REFRESH_MS, type LadderEls, type LadderRowEls, type PaintedEl } from '../../renderer/src/depth/ladder-painter';

/** Just what the painter touches of an element; `writes` counts text and width writes. */
class El {
  static writes = 0;
  private text = '';
  private readonly classes = new Set<string>();
  readonly dataset: Record<string, string | undefined> = {};
  readonly style = (() => {
    let width = '';
    return {
      get width() {
        return width;
      },
      set width(v: string) {
        El.writes++;
        width = v;
      },
    };
  })();
  className = '';
  get textContent(): string {
    return this.text;
  }
  set textContent(v: string) {
    El.writes++;
    this.text = v;
  }
  readonly classList = {
    contains: (c: string) => this.classes.has(c),
    toggle: (c: string, on: boolean) => void (on ? this.classes.add(c) : this.classes.delete(c)),
    remove: (c: string) => void this.classes.delete(c),
  };
}

const el = () => new El() as unknown as PaintedEl;
const row = (): LadderRowEls => ({ row: el(), price: el(), size: el(), cum: el(), traded: el(), sizeBar: el(), cumBar: el() });
const LEVELS = 5;

function setup() {
  const els: LadderEls = {
    root: el(), state: el(), age: el(), updateId: el(), spread: el(), imbalanceBar: el(), imbalanceText: el(),
    asks: Array.from({ length: LEVELS }, row), bids: Array.from({ length: LEVELS }, row),
  };
  const focus = new FocusState(LadderSettingsSchema.parse({ levels: LEVELS, grouping: 1 }), TapeSettingsSchema.parse({}));
  focus.select('sim|BTC/USDT');
  const painter = new LadderPainter();
  painter.attach(els);
  return { els, focus, painter };
}

const book = (bidSize: number, updateId: number): DepthView => ({
  key: 'sim|BTC/USDT', state: 'synced', updateId, eventTime: 1000, receivedAt: 1000, source: 'ws',
  bids: [[100, bidSize], [99.99, 2], [99.98, 3], [99.97, 4], [99.96, 5]],
  asks: [[100.01, 1], [100.02, 2], [100.03, 3], [100.04, 4], [100.05, 5]],
});
const trade = (price: number, amount: number, time: number): [number, number, number, number, number] => [price, amount, 1, time, 0];
const shown = (r: LadderRowEls) => `${r.price.textContent} ${r.size.textContent} vol=${r.traded.textContent}${r.row.classList.contains('chg') ? ' chg' : ''}`;

describe('LadderPainter', () => {
  it('paints the book into the fixed rows: asks above (best lowest), bids below (best first), with prices on the rows', () => {
    const { els, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    expect(els.asks.map((r) => r.row.dataset.price)).toEqual(['100.05', '100.04', '100.03', '100.02', '100.01']);
    expect(els.bids.map((r) => r.row.dataset.price)).toEqual(['100', '99.99', '99.98', '99.97', '99.96']);
    expect(shown(els.bids[0]!)).toBe('100 1.000 vol=');
  });

  it('with the book unchanged, trades cost no book writes: the traded column follows at most every TRADED_REFRESH_MS', () => {
    const { els, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    const tape = (id: string, t: ReturnType<typeof trade>) => ({ key: 'sim|BTC/USDT', reset: false, trades: [t], ids: [id], gaps: [] });
    focus.apply(undefined, tape('1', trade(100, 0.5, 1010)), 1010);
    El.writes = 0;
    painter.paint(focus, 1016); // too soon for the traded column; the age in the header is the only write
    expect(El.writes).toBe(1);
    expect(shown(els.bids[0]!)).toBe('100 1.000 vol=');
    painter.paint(focus, 1000 + TRADED_REFRESH_MS);
    expect(shown(els.bids[0]!)).toBe('100 1.000 vol=0.500');
    // a new book repaints at once, and the changed level is highlighted until CHANGE_FLASH_MS has passed
    focus.apply(book(7, 2), undefined, 1300);
    painter.paint(focus, 1300);
    expect(shown(els.bids[0]!)).toBe('100 7.000 vol=0.500 chg');
    painter.paint(focus, 1300 + CHANGE_FLASH_MS - 1);
    expect(shown(els.bids[0]!)).toBe('100 7.000 vol=0.500 chg');
    painter.paint(focus, 1300 + CHANGE_FLASH_MS);
    expect(shown(els.bids[0]!)).toBe('100 7.000 vol=0.500');
  });

  it('a grouping change regroups the same book at once', () => {
    const { els, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    focus.setOptions(LadderSettingsSchema.parse({ levels: LEVELS, grouping: 2 }), TapeSettingsSchema.parse({}));
    painter.paint(focus, 1001);
    expect(els.bids[0]!.row.dataset.price).toBe('100');
    expect(els.bids[1]!.row.dataset.price).toBe('99.98');
    expect(els.bids[1]!.size.textContent).toBe('5.000'); // 99.99 and 99.98 in one group of 2 ticks
  });
});
