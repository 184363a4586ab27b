import { describe, expect, it } from 'vitest';
import type { TapeView } from '../../shared/contract/renderer-api';
import { TapeModel } from '../../renderer/src/depth/tape-model';
import { INTENSITY_QUOTE, TAPE_GEOMETRY, layoutTape, tapeColumns, tapeLineClass, tapeLineCount, tradeAlpha } from '../../renderer/src/depth/tape-layout';

const at = (ms: number) => new Date(2026, 0, 1, 10, 0, 0, ms).getTime();
const view = (trades: TapeView['trades'], over: Partial<TapeView> = {}): TapeView => ({ key: 'k', reset: false, trades, ids: trades.map((_, i) => `t${i}`), gaps: [], ...over });

describe('layoutTape', () => {
  it('trade lines: side tone, time, price, size, merged count, recovered mark, large flag; empty lines fill the rest', () => {
    const m = new TapeModel({ aggregateMs: 10, minSize: 0, largeQuote: 1000 });
    m.apply(view([[100, 1, 1, at(1), 0], [100.5, 2, 1, at(5), 0], [99, 20, -1, at(30), 0], [101, 0.5, 0, at(20), 1]]));
    const lines = layoutTape(m.visible, 5, 1000);
    expect(lines.map((l) => [tapeLineClass(l), l.id, l.time, l.price, l.size])).toEqual([
      ['tape-line sell large', 't2', '10:00:00.030', '99', '20.00'],
      ['tape-line unknown recovered', 't3', '10:00:00.020 ↺', '101', '0.5000'],
      ['tape-line buy', 't1', '10:00:00.001', '100.5', '3.000 ×2'], // a merged line keeps its first trade's time,
      ['tape-line empty', '', '', '', ''],
      ['tape-line empty', '', '', '', ''],
    ]);
    // intensity: the notional on a log scale against the large-trade threshold, full at and above it
    expect(lines[0]!.alpha).toBe(1);
    expect(lines[1]!.alpha).toBe(Math.round((0.45 + 0.55 * (Math.log1p(50.5) / Math.log1p(1000))) * 100) / 100);
  });

  it('a line\'s intensity depends on its trade alone: 0.45 for nothing, 1 from the threshold up (a default one when none is set)', () => {
    expect(tradeAlpha(0, 1000)).toBe(0.45);
    expect(tradeAlpha(1000, 1000)).toBe(1);
    expect(tradeAlpha(5000, 1000)).toBe(1);
    expect(tradeAlpha(31.6, 1000)).toBe(Math.round((0.45 + 0.55 * (Math.log1p(31.6) / Math.log1p(1000))) * 100) / 100);
    expect(tradeAlpha(INTENSITY_QUOTE, 0)).toBe(1);
    expect(tradeAlpha(100, 0)).toBe(tradeAlpha(100, INTENSITY_QUOTE));
  });

  it('gap markers say how long and how many trades were recovered; shed markers how many were dropped', () => {
    const m = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    m.apply(view([[100, 1, 1, at(0), 0], [101, 1, 1, at(900), 0]]));
    m.apply(view([], { gaps: [{ fromId: '1', toId: '9', missing: 7, recovered: 7, startedAt: at(100), endedAt: at(600), cause: 'id-jump' }] }));
    m.apply(view([], { gaps: [{ fromId: '1', toId: '9', missing: null, recovered: 2, startedAt: at(50), endedAt: at(80), cause: 'outage' }] }));
    m.apply(view([], { gaps: [{ fromId: '1', toId: '9', missing: 12, recovered: 0, startedAt: at(700), endedAt: at(800), cause: 'shed' }] }));
    expect(layoutTape(m.visible, 5, 0).map((l) => [tapeLineClass(l), l.id, l.time, l.price, l.size])).toEqual([
      ['tape-line buy', 't1', '10:00:00.900', '101', '1.000'],
      ['tape-line gap', '', '10:00:00.800', 'shed (too slow)', '12 trades'],
      ['tape-line gap', '', '10:00:00.600', 'gap 0.5 s', '7/7 recovered'],
      ['tape-line gap', '', '10:00:00.080', 'gap 0.0 s', '2 recovered'],
      ['tape-line buy', 't0', '10:00:00.000', '100', '1.000'],
    ]);
  });

  it('trades of one burst share their time text; the next time is formatted anew', () => {
    const m = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    m.apply(view([[1, 1, 1, at(7), 0], [2, 1, 1, at(7), 0], [3, 1, 1, at(8), 0], [4, 1, 1, at(7), 0]]));
    expect(layoutTape(m.visible, 4, 0).map((l) => l.time)).toEqual(['10:00:00.007', '10:00:00.008', '10:00:00.007', '10:00:00.007']);
  });

  it('shows no more lines than asked for', () => {
    const m = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    m.apply(view([[1, 1, 1, 1, 0], [2, 1, 1, 2, 0], [3, 1, 1, 3, 0]]));
    expect(layoutTape(m.visible, 2, 0).map((l) => l.price)).toEqual(['3', '2']);
  });
});

describe('tape geometry', () => {
  it('time at the left padding; price and size share the rest, right-aligned', () => {
    const { padX, timeWidth, gap } = TAPE_GEOMETRY;
    const c = tapeColumns(400);
    const col = (400 - 2 * padX - timeWidth - 2 * gap) / 2;
    expect(c).toEqual({ timeX: padX, priceRight: padX + timeWidth + gap + col, sizeRight: 400 - padX });
    // too narrow: columns collapse onto the time column's end, never negative
    expect(tapeColumns(10).priceRight).toBe(padX + timeWidth + gap);
  });

  it('counts whole lines below the top padding', () => {
    const { lineHeight, topPad } = TAPE_GEOMETRY;
    expect(tapeLineCount(topPad + 30 * lineHeight)).toBe(30);
    expect(tapeLineCount(topPad + 30 * lineHeight - 1)).toBe(29);
    expect(tapeLineCount(0)).toBe(0);
  });
});
