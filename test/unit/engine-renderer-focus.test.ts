// One focus per renderer and link: each link is a consumer of its own in the
// subscription references, links on one instrument share one cursor, and a new focus
// (or a resend) starts that instrument's cursor over.
import { describe, expect, it } from 'vitest';
import { RendererFocus, focusConsumer } from '../../electron/engine/market/renderer-focus';
import { SubscriptionRefs, type RefChange } from '../../electron/engine/market/subscription-refs';
import { subscriptionId } from '../../shared/market';

const ids = (c: RefChange) => `+${c.added.map(subscriptionId).join(',')} -${c.removed.map(subscriptionId).join(',')}`;
const btc = { exchange: 'sim', symbol: 'BTC/USDT' };
const eth = { exchange: 'sim', symbol: 'ETH/USDT' };

describe('RendererFocus', () => {
  it('holds each link as its own consumer and releases what only it held', () => {
    const refs = new SubscriptionRefs();
    const f = new RendererFocus(refs);
    expect(ids(f.focus('r1', 'red', btc))).toBe('+sim|BTC/USDT|book,sim|BTC/USDT|trades -');
    expect(ids(f.focus('r1', 'none', btc))).toBe('+ -');
    expect(refs.holders({ ...btc, channel: 'book' })).toBe(2);
    expect(ids(f.focus('r1', 'red', eth))).toBe('+sim|ETH/USDT|book,sim|ETH/USDT|trades -'); // "none" still holds BTC
    expect(ids(f.unfocus('r1', 'none'))).toBe('+ -sim|BTC/USDT|book,sim|BTC/USDT|trades');
    expect(ids(f.unfocus('r1', 'none'))).toBe('+ -');
    expect(ids(f.unfocus('r2', 'red'))).toBe('+ -');
    expect([...f.keys()]).toEqual(['sim|ETH/USDT']);
    expect(ids(f.release('r1'))).toBe('+ -sim|ETH/USDT|book,sim|ETH/USDT|trades');
    expect(refs.keys()).toEqual([]);
    expect([...f.cursors('r1')]).toEqual([]);
    expect(focusConsumer('r1', 'amber')).toBe('focus:r1:amber');
  });

  it('links on one instrument share its cursor; a new focus or a resend starts it over, an unfollowed one is dropped', () => {
    const f = new RendererFocus(new SubscriptionRefs());
    f.focus('r1', 'red', btc);
    f.focus('r1', 'green', eth);
    const [b, e] = [...f.cursors('r1')];
    Object.assign(b!, { tapeSeq: 10, bookVersion: 3, gapSeq: 1 });
    Object.assign(e!, { tapeSeq: 20, bookVersion: 4, gapSeq: 2 });
    f.focus('r1', 'blue', btc); // blue joins BTC: its panels need the whole tape, so the shared cursor starts over
    expect([...f.cursors('r1')]).toEqual([
      { key: 'sim|BTC/USDT', tapeSeq: -1, bookVersion: -1, gapSeq: 1 },
      { key: 'sim|ETH/USDT', tapeSeq: 20, bookVersion: 4, gapSeq: 2 },
    ]);
    f.resend('r1');
    expect([...f.cursors('r1')].map((c) => [c.tapeSeq, c.bookVersion])).toEqual([[-1, -1], [-1, -1]]);
    f.focus('r1', 'green', btc); // nobody follows ETH now
    expect([...f.cursors('r1')].map((c) => c.key)).toEqual(['sim|BTC/USDT']);
    expect(f.links('r1')).toEqual(new Map([['red', 'sim|BTC/USDT'], ['green', 'sim|BTC/USDT'], ['blue', 'sim|BTC/USDT']]));
  });
});
