// The renderer's focus per link: it tells main which instrument each link's ladder
// and tape follow and which links have none left (an exact message trace), starts a
// new session over, and hands each frame's depths and tapes to the links on their
// instrument, so two ladders show two books.
import { describe, expect, it } from 'vitest';
import type { DepthView, FromRenderer, TapeView } from '../../shared/contract/renderer-api';
import { FromRendererSchema } from '../../shared/contract/renderer-api';
import { LadderSettingsSchema, TapeSettingsSchema } from '../../shared/settings';
import type { Link, WorkspaceInstrument } from '../../shared/workspace';
import { FocusState } from '../../renderer/src/depth/focus-state';
import { MarketFocus } from '../../renderer/src/workspace/market-focus';

const SOL = { exchange: 'sim', symbol: 'SOL/USDT' };
const ETH = { exchange: 'sim', symbol: 'ETH/USDT' };
const depth = (key: string, updateId: number): DepthView => ({ key, state: 'synced', updateId, eventTime: null, receivedAt: 1, source: 'ws', bids: [[99, 1]], asks: [[101, 1]] });
const tape = (key: string, id: string): TapeView => ({ key, reset: true, trades: [[100, 1, 1, 5, 0]], ids: [id], gaps: [] });

function setup() {
  const sent: FromRenderer[] = [];
  const focus = new MarketFocus<FocusState>({
    send: (m) => sent.push(FromRendererSchema.parse(m)),
    create: () => new FocusState(LadderSettingsSchema.parse({}), TapeSettingsSchema.parse({})),
  });
  const follow = (entries: [Link, WorkspaceInstrument][]) => focus.follow(new Map(entries));
  const trace = () => sent.splice(0).map((m) => (m.type === 'focus' ? `focus ${m.group} ${m.focus.symbol}` : m.type === 'unfocus' ? `unfocus ${m.group}` : m.type));
  return { focus, follow, trace };
}

describe('MarketFocus', () => {
  it('focuses each link once per instrument, unfocuses a link with no ladder or tape left, and says it all again in a new session', () => {
    const { follow, trace, focus } = setup();
    expect(follow([['red', SOL]])).toBe(true);
    expect(follow([['red', SOL]])).toBe(false); // nothing new: nothing sent
    expect(follow([['red', SOL], ['green', ETH]])).toBe(true);
    expect(follow([['red', SOL], ['green', SOL]])).toBe(true);
    expect(follow([['red', SOL]])).toBe(true);
    focus.newSession();
    expect(follow([['red', SOL], ['none', ETH]])).toBe(true);
    expect(trace()).toEqual(['focus red SOL/USDT', 'focus green ETH/USDT', 'focus green SOL/USDT', 'unfocus green', 'focus red SOL/USDT', 'focus none ETH/USDT']);
    expect([...focus.states()].map(([l, s]) => `${l}:${s.key}`)).toEqual(['red:sim|SOL/USDT', 'none:sim|ETH/USDT']);
  });

  it('each link takes the depth and tape of its own instrument from a frame', () => {
    const { follow, focus } = setup();
    follow([['red', SOL], ['green', ETH], ['blue', ETH]]);
    focus.apply([depth('sim|SOL/USDT', 1), depth('sim|ETH/USDT', 2)], [tape('sim|ETH/USDT', '9')], 0);
    expect(focus.of('red')!.depth?.updateId).toBe(1);
    expect(focus.of('green')!.depth?.updateId).toBe(2);
    expect(focus.of('blue')!.depth?.updateId).toBe(2);
    expect(focus.of('red')!.tape.visible).toHaveLength(0);
    expect(focus.of('green')!.tape.visible.map((l) => l.kind === 'trade' && l.id)).toEqual(['9']);
    expect(focus.of('amber')).toBeUndefined();
    // a link moved to another instrument forgets the previous one's book at once
    follow([['red', ETH], ['green', ETH], ['blue', ETH]]);
    expect(focus.of('red')!.depth).toBeNull();
  });
});
