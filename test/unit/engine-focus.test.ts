// A renderer focuses an instrument: its book and trades are subscribed for that
// renderer (reference-counted with the watchlist), its frames carry the depth and the
// new trades and gap markers, settings remember the focus, and detaching releases it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import type { ToRenderer } from '../../shared/contract/renderer-api';
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
    t.e.renderers.receive('r1', { type: 'focus', focus: { exchange: 'sim', symbol: 'BTC/USDT' } });
    expect(t.subs()).toEqual([`${BTC}|book`, `${BTC}|ticker`, `${BTC}|trades`]);
    expect(t.settings().ui.focus).toEqual({ exchange: 'sim', symbol: 'BTC/USDT' });

    const w = new TickBatchWriter();
    w.book({ key: BTC, bids: [[99, 1]], asks: [[101, 2]], eventTime: 1000, receivedAt: 1001, source: SOURCE_WS, state: 1, updateId: 42 });
    w.trade(BTC, '7', 100, 0.5, 1, 1000, 1001, SOURCE_WS);
    w.trade(BTC, '8', 101, 0.25, -1, 1002, 1003, SOURCE_WS);
    t.e.market.apply(w.flush(1));
    await until(() => t.frames('r1').some((f) => f.depth && f.tape), 'a frame with depth and tape');
    const f = t.frames('r1').find((x) => x.depth)!;
    expect(f.depth).toMatchObject({ key: BTC, state: 'synced', updateId: 42, bids: [[99, 1]], asks: [[101, 2]] });
    expect(f.tape).toMatchObject({ key: BTC, reset: true, ids: ['7', '8'], trades: [[100, 0.5, 1, 1000, 0], [101, 0.25, -1, 1002, 0]] });

    // a second renderer on the same instrument shares the subscriptions; the first one leaving keeps them
    t.attach('r2');
    t.e.renderers.receive('r2', { type: 'focus', focus: { exchange: 'sim', symbol: 'BTC/USDT' } });
    t.e.renderers.detach('r1');
    expect(t.subs()).toEqual([`${BTC}|book`, `${BTC}|ticker`, `${BTC}|trades`]);
    t.e.renderers.detach('r2');
    expect(t.subs()).toEqual([`${BTC}|ticker`]);
  });

  it('refuses a focus on an instrument that is not on the watchlist; panel options are validated and saved', () => {
    const t = setup();
    t.attach('r1');
    t.e.renderers.receive('r1', { type: 'focus', focus: { exchange: 'sim', symbol: 'DOGE/USDT' } });
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
