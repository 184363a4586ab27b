import { describe, expect, it } from 'vitest';
import { groupSide, imbalance, inferTick, spread, VolumeAtPrice } from '../../renderer/src/depth/ladder-math';

const bids = [[100.3, 1], [100.2, 2], [100.1, 3], [99.9, 4], [99.5, 5]] as const;
const asks = [[100.4, 1], [100.5, 1], [100.9, 2], [101.0, 2]] as const;

describe('ladder math', () => {
  it('infers the price step despite float noise', () => {
    expect(inferTick(bids, asks)).toBe(0.1);
    expect(inferTick([[0.30000000000000004, 1], [0.2, 1]], [])).toBe(0.1);
    expect(inferTick([[5, 1], [3, 1]], [[7, 1]])).toBe(2);
    expect(inferTick([[5, 1]], [])).toBeNaN();
  });

  it('1 tick: the levels as they are, with cumulative depth; limited to N levels', () => {
    expect(groupSide(bids, 0.1, 1, 3, true)).toEqual([
      { price: 100.3, size: 1, cumulative: 1 },
      { price: 100.2, size: 2, cumulative: 3 },
      { price: 100.1, size: 3, cumulative: 6 },
    ]);
  });

  it('grouping floors bids and ceils asks to buckets of N ticks, summing sizes', () => {
    expect(groupSide(bids, 0.1, 5, 10, true)).toEqual([
      { price: 100, size: 6, cumulative: 6 },
      { price: 99.5, size: 9, cumulative: 15 },
    ]);
    expect(groupSide(asks, 0.1, 5, 10, false)).toEqual([
      { price: 100.5, size: 2, cumulative: 2 },
      { price: 101, size: 4, cumulative: 6 },
    ]);
    expect(groupSide(bids, 0.1, 10, 1, true)).toEqual([{ price: 100, size: 6, cumulative: 6 }]); // the level cut still counts what fits in it
  });

  it('spread in ticks and basis points of the mid; imbalance over the visible levels', () => {
    const s = spread(100.3, 100.4, 0.1);
    expect(s.ticks).toBe(1);
    expect(s.abs).toBe(0.1);
    expect(s.bps).toBeCloseTo((0.1 / 100.35) * 10_000, 6);
    expect(spread(undefined, 1, 0.1).ticks).toBeNaN();
    const b = groupSide(bids, 0.1, 1, 2, true); // cumulative 3
    const a = groupSide(asks, 0.1, 1, 1, false); // cumulative 1
    expect(imbalance(b, a)).toBe(0.5);
    expect(imbalance([], [])).toBe(0);
  });

  it('volume traded at each price over the last N minutes, grouped like the ladder', () => {
    const v = new VolumeAtPrice(60_000);
    v.add(100.3, 1, 1_000);
    v.add(100.2, 2, 30_000);
    v.add(100.4, 3, 61_500);
    v.add(100.2, 0.5, 20_000); // a recovered (older) trade lands in its own second
    const isBid = (p: number) => p < 100.4;
    expect(v.totals(61_500, 0.1, 1, isBid)).toEqual(new Map([[100.2, 2.5], [100.4, 3]])); // the trade at 1 s expired
    expect(v.totals(61_500, 0.1, 5, isBid)).toEqual(new Map([[100, 2.5], [100.5, 3]]));
  });
});
