import { describe, expect, it } from 'vitest';
import type { DepthView, TapeView } from '../../shared/contract/renderer-api';
import { LadderSettingsSchema, TapeSettingsSchema } from '../../shared/settings';
import { FocusState } from '../../renderer/src/depth/focus-state';

const depth = (key: string, receivedAt: number): DepthView => ({ key, state: 'synced', updateId: 1, eventTime: null, receivedAt, source: 'ws', bids: [[99, 1]], asks: [[101, 1]] });
const tape = (key: string, trades: TapeView['trades']): TapeView => ({ key, reset: false, trades, ids: trades.map((_, i) => String(i)), gaps: [] });

describe('FocusState benchmark marks', () => {
  it('keep the newest book receipt and the oldest streamed trade time until taken; other instruments and REST-recovered trades do not count', () => {
    const f = new FocusState(LadderSettingsSchema.parse({}), TapeSettingsSchema.parse({}));
    f.select('a');
    expect(f.takeDepthMark()).toBeNaN();
    expect(f.takeTradeMark()).toBeNaN();
    f.apply(depth('a', 1000), tape('a', [[100, 1, 1, 950, 0], [100, 1, 1, 940, 0], [100, 1, 1, 10, 1]]), 0);
    f.apply(depth('a', 1010), tape('a', [[100, 1, 1, 990, 0]]), 0);
    f.apply(depth('b', 5), tape('b', [[100, 1, 1, 5, 0]]), 0);
    expect(f.takeDepthMark()).toBe(1010);
    expect(f.takeTradeMark()).toBe(940);
    // taken: forgotten until the next apply
    expect(f.takeDepthMark()).toBeNaN();
    expect(f.takeTradeMark()).toBeNaN();
  });
});
