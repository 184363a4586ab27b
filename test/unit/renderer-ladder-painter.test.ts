import { describe, expect, it } from 'vitest';
import type { DepthView } from '../../shared/contract/renderer-api';
import { LadderSettingsSchema, TapeSettingsSchema } from '../../shared/settings';
import { FocusState } from '../../renderer/src/depth/focus-state';
import { LADDER_GEOMETRY, drawLadderSide, ladderColumns, type LadderCanvas, type LadderColors, type LadderRowView } from '../../renderer/src/depth/ladder-draw';
import { MIRROR_EARLY_MS, MIRROR_MS, MIRROR_TRAIL_MS } from '../../renderer/src/paint/mirror-cadence';
import { CHANGE_FLASH_MS, LadderPainter, TRADED_REFRESH_MS, type LadderEls, type LadderMirrorRow, type LadderSideEls, type PaintedEl } from '../../renderer/src/depth/ladder-painter';

const COLORS: LadderColors = {
  ask: 'ask', bid: 'bid', text: 'text', muted: 'muted', askCum: 'askCum', bidCum: 'bidCum', askSize: 'askSize', bidSize: 'bidSize', changed: 'changed', font: '13px sans',
};

/** Records what a side's canvas was last drawn with; `draws` counts full redraws. */
class Recorder implements LadderCanvas {
  font = '';
  fillStyle: unknown = '';
  textAlign: LadderCanvas['textAlign'] = 'start';
  textBaseline: LadderCanvas['textBaseline'] = 'alphabetic';
  draws = 0;
  texts: { text: string; x: number; y: number; fill: unknown }[] = [];
  rects: { x: number; y: number; w: number; h: number; fill: unknown }[] = [];
  setTransform(): void {}
  clearRect(): void {
    this.draws++;
    this.texts = [];
    this.rects = [];
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    this.rects.push({ x, y, w, h, fill: this.fillStyle });
  }
  fillText(text: string, x: number, y: number): void {
    this.texts.push({ text, x, y, fill: this.fillStyle });
  }
  /** Row i as drawn: its texts left to right, and whether it is highlighted. */
  row(i: number): string {
    const top = i * LADDER_GEOMETRY.rowHeight;
    const inRow = (y: number) => y >= top && y < top + LADDER_GEOMETRY.rowHeight;
    const texts = this.texts.filter((t) => inRow(t.y)).sort((a, b) => a.x - b.x).map((t) => t.text);
    const changed = this.rects.some((r) => r.fill === 'changed' && r.y === top);
    return texts.join(' ') + (changed ? ' chg' : '');
  }
}

class El {
  textContent = '';
  className = '';
  readonly style = { width: '' };
  readonly dataset: Record<string, string | undefined> = {};
  readonly classList = { toggle: () => undefined };
}

const el = () => new El() as unknown as PaintedEl;
const mirrorRow = (): LadderMirrorRow => ({ row: { dataset: {} }, price: new El(), size: new El(), cum: new El(), traded: new El() });
const LEVELS = 5;

function side(): LadderSideEls & { rec: Recorder } {
  const rec = new Recorder();
  return { canvas: { width: 0, height: 0 }, ctx: rec, rec, mirror: Array.from({ length: LEVELS }, mirrorRow) };
}

function setup() {
  const asks = side();
  const bids = side();
  const els: LadderEls = { root: el(), state: el(), age: new El(), updateId: new El(), spread: new El(), imbalanceBar: el(), imbalanceText: new El(), asks, bids };
  const focus = new FocusState(LadderSettingsSchema.parse({ levels: LEVELS, grouping: 1 }), TapeSettingsSchema.parse({}));
  focus.select('sim|BTC/USDT');
  const painter = new LadderPainter();
  painter.attach(els, COLORS);
  painter.resize(400, 2);
  return { els, asks, bids, focus, painter };
}

const book = (bidSize: number, updateId: number): DepthView => ({
  key: 'sim|BTC/USDT', state: 'synced', updateId, eventTime: 1000, receivedAt: 1000, source: 'ws',
  bids: [[100, bidSize], [99.99, 2], [99.98, 3], [99.97, 4], [99.96, 5]],
  asks: [[100.01, 1], [100.02, 2], [100.03, 3], [100.04, 4], [100.05, 5]],
});
const trade = (price: number, amount: number, time: number): [number, number, number, number, number] => [price, amount, 1, time, 0];
const prices = (s: LadderSideEls) => s.mirror.map((r) => r.row.dataset.price);

describe('LadderPainter', () => {
  it('draws the book on each side: asks above (best lowest), bids below (best first), and mirrors it in the hidden rows', () => {
    const { asks, bids, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    expect(prices(asks)).toEqual(['100.05', '100.04', '100.03', '100.02', '100.01']);
    expect(prices(bids)).toEqual(['100', '99.99', '99.98', '99.97', '99.96']);
    expect(bids.rec.row(0)).toBe('100 1.000 1.000');
    expect(asks.rec.row(4)).toBe('100.01 1.000 1.000');
    expect(bids.mirror[0]!.size.textContent).toBe('1.000');
    // the backing store is in device pixels; prices in their column, bars from the right edge
    expect(bids.canvas).toEqual({ width: 800, height: LEVELS * LADDER_GEOMETRY.rowHeight * 2 });
    expect(bids.rec.texts.find((t) => t.text === '100')).toMatchObject({ x: ladderColumns(400)[1], fill: 'bid' });
    const cum = bids.rec.rects.filter((r) => r.fill === 'bidCum');
    expect(cum.at(-1)).toMatchObject({ x: 0, w: 400 }); // the deepest level holds the most depth
  });

  it('draws nothing before it knows its width or colours, then at once', () => {
    const { asks, focus, painter } = setup();
    painter.resize(0, 1);
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    expect(asks.rec.draws).toBe(0);
    expect(prices(asks)).toEqual(['100.05', '100.04', '100.03', '100.02', '100.01']); // the hidden rows do not wait
    painter.resize(300, 1);
    painter.paint(focus, 1001);
    expect(asks.rec.draws).toBe(1);
    expect(asks.canvas.width).toBe(300);
  });

  it('with the book unchanged, trades cause no redraw: the traded column follows at most every TRADED_REFRESH_MS', () => {
    const { bids, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    const tape = (id: string, t: ReturnType<typeof trade>) => ({ key: 'sim|BTC/USDT', reset: false, trades: [t], ids: [id], gaps: [] });
    focus.apply(undefined, tape('1', trade(100, 0.5, 1010)), 1010);
    painter.paint(focus, 1016); // too soon for the traded column
    expect(bids.rec.draws).toBe(1);
    expect(bids.rec.row(0)).toBe('100 1.000 1.000');
    painter.paint(focus, 1000 + TRADED_REFRESH_MS);
    expect(bids.rec.draws).toBe(2);
    expect(bids.rec.row(0)).toBe('0.500 100 1.000 1.000');
    painter.paint(focus, 1000 + TRADED_REFRESH_MS + 1); // nothing changed: nothing drawn
    expect(bids.rec.draws).toBe(2);
    // a new book redraws at once, and the changed level is highlighted until CHANGE_FLASH_MS has passed
    focus.apply(book(7, 2), undefined, 1300);
    painter.paint(focus, 1300);
    expect(bids.rec.row(0)).toBe('0.500 100 7.000 7.000 chg');
    painter.paint(focus, 1300 + CHANGE_FLASH_MS - 1);
    expect(bids.rec.row(0)).toBe('0.500 100 7.000 7.000 chg');
    painter.paint(focus, 1300 + CHANGE_FLASH_MS);
    expect(bids.rec.row(0)).toBe('0.500 100 7.000 7.000');
  });

  it('the hidden rows trail the canvas by at most MIRROR_MS, and always catch up', () => {
    const { bids, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    expect(painter.mirrorDueAt()).toBe(Infinity);
    focus.apply(book(7, 2), undefined, 1100);
    painter.paint(focus, 1100);
    expect(bids.rec.row(0)).toBe('100 7.000 7.000 chg');
    expect(bids.mirror[0]!.size.textContent).toBe('1.000'); // not due yet
    expect(painter.mirrorDueAt()).toBe(1000 + MIRROR_MS + MIRROR_TRAIL_MS);
    painter.writeMirror(1000 + MIRROR_MS - MIRROR_EARLY_MS - 1);
    expect(bids.mirror[0]!.size.textContent).toBe('1.000');
    painter.writeMirror(1000 + MIRROR_MS);
    expect(bids.mirror[0]!.size.textContent).toBe('7.000');
    expect(painter.mirrorDueAt()).toBe(Infinity);
  });

  it('a grouping change regroups the same book at once', () => {
    const { bids, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    focus.setOptions(LadderSettingsSchema.parse({ levels: LEVELS, grouping: 2 }), TapeSettingsSchema.parse({}));
    painter.paint(focus, 1001);
    expect(bids.rec.row(0)).toBe('100 1.000 1.000');
    expect(bids.rec.row(1)).toBe('99.98 5.000 6.000'); // 99.99 and 99.98 in one group of 2 ticks
    painter.writeMirror(1000 + MIRROR_MS);
    expect(prices(bids).slice(0, 2)).toEqual(['100', '99.98']);
  });

  it('a book gone (another instrument, no book yet) blanks both sides', () => {
    const { asks, bids, focus, painter } = setup();
    focus.apply(book(1, 1), undefined, 1000);
    painter.paint(focus, 1000);
    focus.select('sim|ETH/USDT');
    painter.paint(focus, 1001);
    expect(bids.rec.texts).toEqual([]);
    expect(asks.rec.texts).toEqual([]);
    painter.writeMirror(1000 + MIRROR_MS);
    expect(prices(bids)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('drawLadderSide', () => {
  it('writes the fill colour once per colour, not once per row, and draws every row\'s bars and texts in that colour', () => {
    const rec = new Recorder();
    let fillWrites = 0;
    let fill: unknown = '';
    Object.defineProperty(rec, 'fillStyle', { get: () => fill, set: (v) => { fillWrites++; fill = v; } });
    const rows: LadderRowView[] = Array.from({ length: 20 }, (_, i) => ({
      price: 100 + i, priceText: String(100 + i), sizeText: `s${i}`, cumText: `c${i}`, tradedText: `t${i}`, sizeFrac: 0.5, cumFrac: 0.75, changed: i % 2 === 0,
    }));
    drawLadderSide({ width: 0, height: 0 }, rec, rows, 'bid', 400, 1, COLORS);
    expect(fillWrites).toBe(6);
    expect(rec.row(3)).toBe('t3 103 s3 c3');
    expect(rec.row(4)).toBe('t4 104 s4 c4 chg');
    const inRow = (i: number) => rec.texts.filter((t) => t.y === (i + 0.5) * LADDER_GEOMETRY.rowHeight);
    expect(inRow(7).map((t) => t.fill)).toEqual(['muted', 'bid', 'text', 'text']);
    expect(rec.rects.filter((r) => r.fill === 'bidCum')).toHaveLength(20);
    expect(rec.rects.filter((r) => r.fill === 'bidSize')).toHaveLength(20);
    expect(rec.rects.filter((r) => r.fill === 'changed')).toHaveLength(10);
  });
});
