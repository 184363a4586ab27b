// A renderer focuses an instrument: its book and trades are subscribed for that
// renderer (reference-counted with the watchlist), its frames carry the depth and the
// new trades and gap markers, settings remember the focus, and detaching releases it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { FromRendererSchema, ToRendererSchema, type ToRenderer } from '../../shared/contract/renderer-api';
import { SOURCE_WS, TickBatchWriter } from '../../shared/contract/tick-batch';
import { subscriptionId } from '../../shared/market';
import type { Settings } from '../../shared/settings';
import { defaultWorkspace } from '../../shared/workspace';
import { engineWithoutStreaming } from '../support/engine-without-streaming';
import { quietLogger } from '../support/loggers';
import { until } from '../support/until';

let engine: Engine | undefined;
afterEach(() => {
  engine?.link.close();
  engine = undefined;
});

const BTC = 'sim|BTC/USDT';
const ETH = 'sim|ETH/USDT';
const SOL = 'sim|SOL/USDT';

function setup() {
  const { engine: e, settings } = engineWithoutStreaming(quietLogger);
  engine = e;
  (e as unknown as { applyWatchlist: (s: Settings) => void }).applyWatchlist(settings());
  const received = new Map<string, ToRenderer[]>();
  const attach = (id: string) => {
    received.set(id, []);
    e.renderers.attach({ id, send: (m) => received.get(id)!.push(structuredClone(m)) });
  };
  const frames = (id: string) => received.get(id)!.filter((m): m is Extract<ToRenderer, { type: 'frame' }> => m.type === 'frame');
  const subs = () => e.supervisor.subscriptions.map(subscriptionId).filter((s) => s.startsWith(BTC)).sort();
  return { e, attach, frames, received, subs, settings };
}

describe('engine: focus', () => {
  it('subscribes the book and trades for the renderer, sends depth and tape in its frames, remembers it, releases on detach', async () => {
    const t = setup();
    expect(t.subs()).toEqual([`${BTC}|ticker`]); // the watchlist holds the ticker only
    t.attach('r1');
    t.e.renderers.receive('r1', { type: 'focus', group: 'red', focus: { exchange: 'sim', symbol: 'BTC/USDT' } });
    expect(t.subs()).toEqual([`${BTC}|book`, `${BTC}|ticker`, `${BTC}|trades`]);
    expect(t.settings().ui.focus).toEqual({ exchange: 'sim', symbol: 'BTC/USDT' });

    const w = new TickBatchWriter();
    w.book({ key: BTC, bids: [[99, 1]], asks: [[101, 2]], eventTime: 1000, receivedAt: 1001, source: SOURCE_WS, state: 1, updateId: 42 });
    w.trade(BTC, '7', 100, 0.5, 1, 1000, 1001, SOURCE_WS);
    w.trade(BTC, '8', 101, 0.25, -1, 1002, 1003, SOURCE_WS);
    t.e.market.apply(w.flush(1));
    await until(() => t.frames('r1').some((f) => f.depths && f.tapes), 'a frame with depth and tape');
    const f = t.frames('r1').find((x) => x.depths)!;
    expect(f.depths).toHaveLength(1);
    expect(f.depths![0]).toMatchObject({ key: BTC, state: 'synced', updateId: 42, bids: [[99, 1]], asks: [[101, 2]] });
    expect(f.tapes![0]).toMatchObject({ key: BTC, reset: true, ids: ['7', '8'], trades: [[100, 0.5, 1, 1000, 0], [101, 0.25, -1, 1002, 0]] });

    // a second renderer on the same instrument shares the subscriptions; the first one leaving keeps them
    t.attach('r2');
    t.e.renderers.receive('r2', { type: 'focus', group: 'red', focus: { exchange: 'sim', symbol: 'BTC/USDT' } });
    t.e.renderers.detach('r1');
    expect(t.subs()).toEqual([`${BTC}|book`, `${BTC}|ticker`, `${BTC}|trades`]);
    t.e.renderers.detach('r2');
    expect(t.subs()).toEqual([`${BTC}|ticker`]);
  });

  it('keeps one focus per renderer and link group: subscribed and released in an exact trace, frames carry each instrument once', async () => {
    const t = setup();
    const trace: string[] = [];
    const change = t.e.supervisor.changeSubscriptions.bind(t.e.supervisor);
    t.e.supervisor.changeSubscriptions = (add, remove) => {
      // empty changes (a settings save re-applying the watchlist) post nothing to the streaming process
      if (add.length + remove.length) trace.push(`+[${add.map(subscriptionId).join(' ')}] -[${remove.map(subscriptionId).join(' ')}]`);
      change(add, remove);
    };
    const focus = (id: string, group: string, symbol: string) => t.e.renderers.receive(id, { type: 'focus', group, focus: { exchange: 'sim', symbol } });
    t.attach('r1');
    t.attach('r2');
    focus('r1', 'red', 'BTC/USDT');
    focus('r1', 'green', 'ETH/USDT');
    focus('r1', 'blue', 'ETH/USDT'); // already held by green: nothing to subscribe
    focus('r2', 'red', 'ETH/USDT'); // another renderer: counted, nothing to subscribe
    expect(t.e.focused.links('r1')).toEqual(new Map([['red', BTC], ['green', ETH], ['blue', ETH]]));
    t.e.renderers.receive('r1', { type: 'unfocus', group: 'green' }); // blue still holds ETH
    t.e.renderers.receive('r1', { type: 'unfocus', group: 'green' }); // twice: nothing
    focus('r1', 'blue', 'SOL/USDT'); // blue moves: ETH is r2's only
    t.e.renderers.detach('r2'); // ETH released
    t.e.renderers.receive('r1', { type: 'unfocus', group: 'red' });
    t.e.renderers.detach('r1'); // SOL released with the renderer
    expect(trace).toEqual([
      `+[${BTC}|book ${BTC}|trades] -[]`,
      `+[${ETH}|book ${ETH}|trades] -[]`,
      `+[${SOL}|book ${SOL}|trades] -[]`,
      `+[] -[${ETH}|book ${ETH}|trades]`,
      `+[] -[${BTC}|book ${BTC}|trades]`,
      `+[] -[${SOL}|book ${SOL}|trades]`,
    ]);
    expect(t.e.supervisor.subscriptions.filter((k) => k.channel !== 'ticker')).toEqual([]);
    // the feed keeps books and tapes of focused instruments only: none left
    expect(t.e.feed.isFocused(BTC) || t.e.feed.isFocused(ETH) || t.e.feed.isFocused(SOL)).toBe(false);
  });

  it('a frame carries the depth and tape of each focused instrument once, whatever the number of links on it', async () => {
    const t = setup();
    t.attach('r1');
    for (const [group, symbol] of [['red', 'BTC/USDT'], ['green', 'ETH/USDT'], ['blue', 'ETH/USDT']] as const) t.e.renderers.receive('r1', { type: 'focus', group, focus: { exchange: 'sim', symbol } });
    const w = new TickBatchWriter();
    w.book({ key: BTC, bids: [[99, 1]], asks: [[101, 2]], eventTime: 1000, receivedAt: 1001, source: SOURCE_WS, state: 1, updateId: 1 });
    w.book({ key: ETH, bids: [[9, 1]], asks: [[11, 2]], eventTime: 1000, receivedAt: 1001, source: SOURCE_WS, state: 1, updateId: 2 });
    w.trade(ETH, '3', 10, 1, 1, 1000, 1001, SOURCE_WS);
    t.e.market.apply(w.flush(1));
    await until(() => t.frames('r1').some((f) => f.depths?.length === 2), 'a frame with both books');
    const f = t.frames('r1').find((x) => x.depths?.length === 2)!;
    expect(f.depths!.map((d) => `${d.key}:${d.updateId}`).sort()).toEqual([`${BTC}:1`, `${ETH}:2`]);
    expect(f.tapes!.map((x) => `${x.key}:${x.reset}:${x.ids.join()}`).sort()).toEqual([`${BTC}:true:`, `${ETH}:true:3`]); // BTC: its (empty) recent tape
    expect(() => ToRendererSchema.parse(f)).not.toThrow();
    // a link that was not in the enum, or a sixth link, cannot be named
    expect(FromRendererSchema.safeParse({ type: 'focus', group: 'purple', focus: { exchange: 'sim', symbol: 'BTC/USDT' } }).success).toBe(false);
    expect(FromRendererSchema.safeParse({ type: 'unfocus', group: 'none' }).success).toBe(true);
    const twice = { ...f, depths: [f.depths![0]!, f.depths![0]!] };
    expect(ToRendererSchema.safeParse(twice).success).toBe(false);
  });

  it('refuses a focus on an instrument that is not on the watchlist; panel options are validated and saved', () => {
    const t = setup();
    t.attach('r1');
    t.e.renderers.receive('r1', { type: 'focus', group: 'red', focus: { exchange: 'sim', symbol: 'DOGE/USDT' } });
    expect(t.received.get('r1')!.filter((m) => m.type === 'notice').map((m) => (m as { message: string }).message)).toContain('DOGE/USDT (sim) is not on the watchlist');
    expect(t.e.supervisor.subscriptions.some((k) => k.symbol === 'DOGE/USDT')).toBe(false);
    t.e.renderers.receive('r1', { type: 'set-panels', ladder: { grouping: 3, levels: 20, volumeMinutes: 5 } });
    expect(t.settings().ui.ladder.grouping).toBe(1); // refused: 3 is not a grouping
    t.e.renderers.receive('r1', { type: 'set-panels', ladder: { grouping: 25, levels: 30, volumeMinutes: 10 }, tape: { aggregateMs: 50, minSize: 0.1, largeQuote: 250_000, sound: true } });
    expect(t.settings().ui.ladder).toEqual({ grouping: 25, levels: 30, volumeMinutes: 10 });
    expect(t.settings().ui.tape).toEqual({ aggregateMs: 50, minSize: 0.1, largeQuote: 250_000, sound: true });
  });

  it('saves a renderer\'s workspaces; a hostile one is refused and the saved ones stay', () => {
    const t = setup();
    t.attach('r1');
    const scalping = { ...defaultWorkspace('Scalping'), links: { red: { exchange: 'sim', symbol: 'SOL/USDT' } } };
    t.e.renderers.receive('r1', { type: 'set-workspaces', workspaces: { active: 'Scalping', list: [defaultWorkspace(), scalping] } });
    expect(t.settings().ui.workspaces).toEqual({ active: 'Scalping', list: [defaultWorkspace(), scalping] });
    const panels = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`chart-${i + 1}`, { kind: 'chart', link: 'red' }]));
    t.e.renderers.receive('r1', { type: 'set-workspaces', workspaces: { active: 'Default', list: [{ ...defaultWorkspace(), panels }] } });
    expect(t.settings().ui.workspaces.active).toBe('Scalping');
  });
});
