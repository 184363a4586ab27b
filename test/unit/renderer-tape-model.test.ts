import { describe, expect, it } from 'vitest';
import type { TapeView } from '../../shared/contract/renderer-api';
import { TapeModel, type TapeEntry } from '../../renderer/src/depth/tape-model';

const view = (trades: TapeView['trades'], over: Partial<TapeView> = {}): TapeView => ({ key: 'k', reset: false, trades, ids: trades.map((_, i) => String(i)), gaps: [], ...over });
const brief = (lines: readonly TapeEntry[]) => lines.map((l) => (l.kind === 'gap' ? `gap ${l.gap.recovered}/${l.gap.missing}` : `${l.side > 0 ? 'B' : 'S'} ${l.price} ${l.amount}${l.count > 1 ? ` x${l.count}` : ''}${l.recovered ? ' r' : ''}${l.large ? ' L' : ''}`));

describe('TapeModel', () => {
  it('newest first; a minimum size hides small trades; large trades by notional', () => {
    const m = new TapeModel({ aggregateMs: 0, minSize: 0.5, largeQuote: 1000 });
    m.apply(view([[100, 1, 1, 1000, 0], [101, 0.1, -1, 1001, 0], [99, 20, -1, 1002, 0]]));
    expect(brief(m.visible)).toEqual(['S 99 20 L', 'B 100 1']);
    expect(m.largeInLastApply).toBe(1);
  });

  it('aggregates same-side trades within N ms into one line; a side change or a longer pause starts a new one', () => {
    const m = new TapeModel({ aggregateMs: 50, minSize: 0, largeQuote: 0 });
    m.apply(view([[100, 1, 1, 1000, 0], [101, 2, 1, 1040, 0], [101, 1, -1, 1045, 0], [100, 1, -1, 1200, 0]]));
    expect(brief(m.visible)).toEqual(['S 100 1', 'S 101 1', 'B 101 3 x2']);
  });

  it('a gap marker sits where the hole was, recovered trades inside it; a reset replaces everything', () => {
    const m = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    m.apply(view([[100, 1, 1, 1000, 0], [105, 1, 1, 2000, 0]]));
    m.apply(view([[101, 1, -1, 1500, 1]], { gaps: [{ fromId: '2', toId: '3', missing: 2, recovered: 1, startedAt: 1000, endedAt: 2000, cause: 'id-jump' }] }));
    expect(brief(m.visible)).toEqual(['B 105 1', 'gap 1/2', 'S 101 1 r', 'B 100 1']);
    m.apply(view([[1, 1, 1, 1, 0]], { reset: true }));
    expect(brief(m.visible)).toEqual(['B 1 1']);
  });

  it('hovering pauses the lines and counts what arrived meanwhile', () => {
    const m = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    m.apply(view([[100, 1, 1, 1000, 0]]));
    m.pause(true);
    m.apply(view([[101, 1, 1, 1001, 0], [102, 1, 1, 1002, 0]]));
    expect(brief(m.visible)).toEqual(['B 100 1']);
    expect(m.pendingTrades).toBe(2);
    m.pause(false);
    expect(brief(m.visible)).toEqual(['B 102 1', 'B 101 1', 'B 100 1']);
    expect(m.pendingTrades).toBe(0);
  });
});
