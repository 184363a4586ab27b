import { describe, expect, it } from 'vitest';
import { MAX_NACK_REASON_CHARS, type ShutdownProgress, type TickerRow } from '../../shared/contract/renderer-api';
import type { SubscriptionStatus } from '../../shared/contract/status';
import type { CandleMessage } from '../../shared/contract/candles';
import { defaultSettings } from '../../shared/settings';
import type { Settings } from '../../shared/settings';
import { createAppStore } from '../../renderer/src/state/app-store';
import { routeMessage } from '../../renderer/src/state/message-router';
import { RowStore } from '../../renderer/src/state/row-store';
import { tickerRow } from './renderer-test-rows';
import { handCrankedFrames } from '../support/hand-cranked-frames';

function setup() {
  const app = createAppStore('electron', { status: 'open' });
  const rows = new RowStore();
  const calls: string[] = [];
  const frames: { seq: number; rows: readonly TickerRow[] }[] = [];
  const nacks: { seq: number; reason: string }[] = [];
  let hostExitExpected = false;
  const deps = {
    app,
    rows,
    scheduler: {
      onFrame: (seq: number, r: readonly TickerRow[]) => frames.push({ seq, rows: r }),
      invalidate: (all?: boolean) => calls.push(all ? 'invalidate-all' : 'invalidate'),
      reset: () => calls.push('reset'),
    },
    link: { expectHostExit: () => (hostExitExpected = true) },
    nack: (seq: number, reason: string) => nacks.push({ seq, reason }),
  };
  return { app, rows, calls, frames, nacks, deps, hostExitExpected: () => hostExitExpected };
}

const settings: Settings = defaultSettings();

describe('message routing', () => {
  it('hello builds the rows from the watchlist and the row store from the snapshot', () => {
    const t = setup();
    routeMessage({ type: 'hello', host: 'headless', settings, rows: [tickerRow('sim', 'BTC/USDT'), tickerRow('sim', 'DOGE/USDT')] }, t.deps);
    const state = t.app.getState();
    expect(state.ready).toBe(true);
    expect(state.host).toBe('headless');
    expect(state.rows.map((r) => r.key)).toEqual(settings.watchlist.map((w) => `${w.exchange}|${w.symbol}`));
    expect(state.showDiagnostics).toBe(settings.ui.showDiagnostics);
    expect(t.rows.get('sim|BTC/USDT')?.data).not.toBeNull();
    expect(t.rows.get('sim|DOGE/USDT')).toBeUndefined(); // not watched
    expect(t.calls).toEqual(['reset']);
  });

  it('frames go to the scheduler, never into React state', () => {
    const t = setup();
    routeMessage({ type: 'hello', host: 'electron', settings, rows: [] }, t.deps);
    const before = t.app.getState();
    routeMessage({ type: 'frame', seq: 4, sentAt: 1, rows: [tickerRow('sim', 'BTC/USDT')] }, t.deps);
    expect(t.frames.map((f) => f.seq)).toEqual([4]);
    expect(t.app.getState()).toBe(before);
  });

  it('the candles a frame carries go to the charts, in order, before its rows', () => {
    const t = setup();
    const order: string[] = [];
    const key = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' } as const;
    const deps = {
      ...t.deps,
      charts: { apply: (m: CandleMessage) => order.push(m.type === 'candle-update' ? `candle ${m.candle.c}` : m.type) },
      scheduler: { ...t.deps.scheduler, onFrame: (seq: number) => order.push(`frame ${seq}`) },
    };
    routeMessage({ type: 'hello', host: 'electron', settings, rows: [] }, deps);
    routeMessage({
      type: 'frame', seq: 7, sentAt: 1, rows: [tickerRow('sim', 'BTC/USDT')],
      candles: [
        { type: 'candle-state', key, state: 'live' },
        { type: 'candle-update', key, candle: { t: 0, o: 1, h: 2, l: 1, c: 2, v: 1 }, receivedAt: 1 },
      ],
    }, deps);
    expect(order).toEqual(['candle-state', 'candle 2', 'frame 7']);
    // a chart that cannot take a candle does not leave the frame unanswered: it is nacked (main resends every row)
    deps.charts.apply = () => {
      throw new Error('chart refused');
    };
    routeMessage({ type: 'frame', seq: 8, sentAt: 1, rows: [], candles: [{ type: 'candle-state', key, state: 'live' }] }, deps);
    expect(t.nacks).toEqual([{ seq: 8, reason: 'could not apply frame: chart refused' }]);
  });

  it('a frame the row store cannot apply is nacked with the reason, not left unanswered', () => {
    const t = setup();
    t.deps.scheduler.onFrame = () => {
      throw new Error('row store broke');
    };
    routeMessage({ type: 'frame', seq: 5, sentAt: 1, rows: [tickerRow('sim', 'BTC/USDT')] }, t.deps);
    expect(t.nacks).toEqual([{ seq: 5, reason: 'could not apply frame: row store broke' }]);
    t.deps.scheduler.onFrame = () => {
      throw new Error('x'.repeat(2000));
    };
    routeMessage({ type: 'frame', seq: 6, sentAt: 1, rows: [] }, t.deps);
    expect(t.nacks[1]!.reason).toHaveLength(MAX_NACK_REASON_CHARS);
  });

  it('with the real frame scheduler, every frame is answered: applied ones acked after the paint, failed ones nacked', () => {
    const app = createAppStore('electron', { status: 'open' });
    const replies: string[] = [];
    const { rows, scheduler, paint, setApplyFails } = handCrankedFrames({ ack: (seq) => replies.push(`ack ${seq}`), failure: 'bad row', frameTime: 16 });
    const deps = { app, rows, scheduler, link: { expectHostExit: () => undefined }, nack: (seq: number, reason: string) => replies.push(`nack ${seq} ${reason}`) };
    routeMessage({ type: 'hello', host: 'electron', settings, rows: [] }, deps);
    routeMessage({ type: 'frame', seq: 1, sentAt: 1, rows: [tickerRow('sim', 'BTC/USDT')] }, deps);
    paint();
    setApplyFails(true);
    routeMessage({ type: 'frame', seq: 2, sentAt: 1, rows: [tickerRow('sim', 'BTC/USDT')] }, deps);
    paint();
    setApplyFails(false);
    routeMessage({ type: 'frame', seq: 3, sentAt: 1, rows: [tickerRow('sim', 'BTC/USDT', { last: 101 })] }, deps);
    paint();
    expect(replies).toEqual(['ack 1', 'nack 2 could not apply frame: bad row', 'ack 3']);
    expect(rows.get('sim|BTC/USDT')?.data?.last).toBe(101);
  });

  it('settings keep the rows array when the watchlist is unchanged and drop unwatched data', () => {
    const t = setup();
    routeMessage({ type: 'hello', host: 'electron', settings, rows: [tickerRow('sim', 'BTC/USDT')] }, t.deps);
    const rowsBefore = t.app.getState().rows;
    routeMessage({ type: 'settings', settings: { ...settings, ui: { ...settings.ui, showDiagnostics: false, devMenu: true } } }, t.deps);
    expect(t.app.getState().rows).toBe(rowsBefore);
    expect(t.app.getState().showDiagnostics).toBe(false);
    const fewer = { ...settings, watchlist: settings.watchlist.filter((w) => w.symbol !== 'BTC/USDT' || w.exchange !== 'sim') };
    routeMessage({ type: 'settings', settings: fewer }, t.deps);
    expect(t.app.getState().rows.some((r) => r.key === 'sim|BTC/USDT')).toBe(false);
    expect(t.rows.get('sim|BTC/USDT')).toBeUndefined();
  });

  it('status updates the status bar state and the rows, then asks for a paint', () => {
    const t = setup();
    const sub: SubscriptionStatus = { id: 'sim|BTC/USDT|ticker', exchange: 'sim', symbol: 'BTC/USDT', channel: 'ticker', state: 'stale', source: 'ws' };
    routeMessage({ type: 'status', exchanges: [], subscriptions: [sub] }, t.deps);
    expect(t.app.getState().subscriptions).toEqual([sub]);
    expect(t.rows.get('sim|BTC/USDT')?.subscription?.state).toBe('stale');
    expect(t.calls).toEqual(['invalidate']);
  });

  it('shutdown shows progress and tells the link the host will go away; notices become toasts', () => {
    const t = setup();
    const progress: ShutdownProgress = { phase: 'graceful', trigger: 'ui', startedAt: 1, deadlineMs: 3000, components: [], escalations: [] };
    routeMessage({ type: 'shutdown', progress }, t.deps);
    expect(t.app.getState().shutdown).toEqual(progress);
    expect(t.hostExitExpected()).toBe(true);
    for (let i = 0; i < 7; i++) routeMessage({ type: 'notice', level: 'error', message: `n${i}` }, t.deps);
    const notices = t.app.getState().notices;
    expect(notices.map((n) => n.message)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
    t.app.getState().dismissNotice(notices[0]!.id);
    expect(t.app.getState().notices).toHaveLength(4);
  });

  it('losing the link un-readies the screen until the next hello', () => {
    const t = setup();
    routeMessage({ type: 'hello', host: 'headless', settings, rows: [] }, t.deps);
    t.app.getState().setLink({ status: 'retrying', attempt: 1, retryInMs: 250 });
    expect(t.app.getState().ready).toBe(false);
    t.app.getState().setLink({ status: 'open' });
    expect(t.app.getState().ready).toBe(false);
    routeMessage({ type: 'hello', host: 'headless', settings, rows: [] }, t.deps);
    expect(t.app.getState().ready).toBe(true);
  });
});
