// The engine's tick path below the streaming process: market state applies
// columnar batches in place (newest wins, unknown instruments ignored), and the
// renderer link sends at most one frame in flight per renderer, coalescing rows.
import { describe, expect, it } from 'vitest';
import { MarketState } from '../../electron/engine/market/market-state';
import { ACK_TIMEOUT_MS, LEAD_MS, RendererLink, sendDelay, type RendererClient } from '../../electron/engine/renderer-link/renderer-link';
import { FakeTime } from './streaming-fake-time';
import { SOURCE_REST, SOURCE_WS, TickBatchWriter } from '../../shared/contract/tick-batch';
import type { ToRenderer } from '../../shared/contract/renderer-api';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('MarketState', () => {
  it('applies tickers in place, keeps the newest by event time, ignores instruments not on the watchlist', () => {
    const dirty: string[] = [];
    const m = new MarketState((k) => dirty.push(k));
    const row = m.ensureRow('sim', 'BTC/USDT');
    const w = new TickBatchWriter();
    w.ticker('sim|BTC/USDT', 100, 101, 100.5, 1.5, 10, 1000, 2000, 2001, SOURCE_WS);
    w.ticker('sim|ETH/USDT', 1, 2, 3, 4, 5, 6, 7, 8, SOURCE_WS);
    m.apply(w.flush(0));
    expect(m.row('sim|BTC/USDT')).toBe(row); // same object, updated in place
    expect(row).toMatchObject({ bid: 100, ask: 101, last: 100.5, changePct: 1.5, volume: 1000, eventTime: 2000, receivedAt: 2001, source: 'ws' });
    expect(m.row('sim|ETH/USDT')).toBeUndefined();
    expect(dirty).toEqual(['sim|BTC/USDT']);

    // An older ticker (a REST poll that raced the socket) never overwrites a newer one.
    w.ticker('sim|BTC/USDT', 1, 2, 3, 4, 5, 6, 1999, 2100, SOURCE_REST);
    m.apply(w.flush(0));
    expect(row.last).toBe(100.5);
    // Missing fields (NaN) keep what the row had; a newer REST ticker marks the source.
    w.ticker('sim|BTC/USDT', NaN, NaN, 102, NaN, NaN, NaN, 2100, 2101, SOURCE_REST);
    m.apply(w.flush(0));
    expect(row).toMatchObject({ bid: 100, ask: 101, last: 102, source: 'rest', eventTime: 2100 });
  });

  it('applies trades as last price and books as top of book', () => {
    const m = new MarketState(() => undefined);
    const row = m.ensureRow('sim', 'BTC/USDT');
    const w = new TickBatchWriter();
    w.trade('sim|BTC/USDT', 't1', 200, 0.5, 1, 3000, 3001, SOURCE_WS);
    w.book({ key: 'sim|BTC/USDT', bids: [[199, 1]], asks: [[201, 2]], eventTime: 3002, receivedAt: 3003, source: SOURCE_WS, state: 1, updateId: 1 });
    m.apply(w.flush(0));
    expect(row).toMatchObject({ last: 200, bid: 199, ask: 201, eventTime: 3002 });
    expect(m.tradesApplied).toBe(1);
    expect(m.booksApplied).toBe(1);
    m.retain(new Set());
    expect(m.allRows()).toEqual([]);
  });
});

function client(id: string): RendererClient & { sent: ToRenderer[] } {
  const sent: ToRenderer[] = [];
  return { id, sent, send: (m) => sent.push(m) };
}

describe('RendererLink', () => {
  function setup() {
    const m = new MarketState((k) => link.markDirty(k));
    const requests: unknown[] = [];
    const invalid: string[] = [];
    const link = new RendererLink({
      rows: (k) => m.row(k),
      allKeys: () => m.keys(),
      greet: () => [{ type: 'notice', level: 'info', message: 'hello' }],
      onRequest: (_c, r) => requests.push(r),
      onInvalid: (_c, e) => invalid.push(e),
    });
    m.ensureRow('sim', 'BTC/USDT');
    m.ensureRow('sim', 'ETH/USDT');
    const w = new TickBatchWriter();
    const tick = (key: string, last: number, t: number) => {
      w.ticker(key, last, last, last, 0, 0, 0, t, t, SOURCE_WS);
      m.apply(w.flush(t));
    };
    return { m, link, tick, requests, invalid };
  }

  it('greets, sends the first frame in the same turn, holds the next until acked, and coalesces rows meanwhile', async () => {
    const { link, tick } = setup();
    const c = client('a');
    link.attach(c);
    expect(c.sent.map((m) => m.type)).toEqual(['notice']);
    tick('sim|BTC/USDT', 1, 1);
    tick('sim|ETH/USDT', 2, 2);
    await nextTurn();
    const frames = () => c.sent.filter((m): m is Extract<ToRenderer, { type: 'frame' }> => m.type === 'frame');
    expect(frames()).toHaveLength(1);
    expect(frames()[0]!.rows.map((r) => r.key).sort()).toEqual(['sim|BTC/USDT', 'sim|ETH/USDT']);
    // Many ticks while the frame is unacked: nothing is sent...
    for (let i = 0; i < 100; i++) tick('sim|BTC/USDT', 10 + i, 10 + i);
    await nextTurn();
    expect(frames()).toHaveLength(1);
    // ...and one frame with the newest value follows the ack.
    link.receive('a', { type: 'frame-ack', seq: frames()[0]!.seq });
    await nextTurn();
    expect(frames()).toHaveLength(2);
    expect(frames()[1]!.rows).toHaveLength(1);
    expect(frames()[1]!.rows[0]!.last).toBe(109);
    // A stale ack (wrong seq) does not release the credit.
    tick('sim|ETH/USDT', 5, 500);
    link.receive('a', { type: 'frame-ack', seq: 1 });
    await nextTurn();
    expect(frames()).toHaveLength(2);
  });

  it('validates renderer messages, refuses work after the shutdown signal but still takes quit', async () => {
    const { link, requests, invalid } = setup();
    const c = client('a');
    link.attach(c);
    link.receive('a', { type: 'watch', exchange: 'sim', symbol: 'btc-usdt', channels: ['ticker'] });
    link.receive('a', { type: 'nonsense' });
    link.receive('a', 'not even an object');
    expect(invalid).toHaveLength(3);
    expect(requests).toHaveLength(0);
    link.receive('a', { type: 'watch', exchange: 'sim', symbol: 'DOT/USDT', channels: ['ticker'] });
    expect(requests).toHaveLength(1);
    link.acceptingWork = false;
    link.receive('a', { type: 'unwatch', exchange: 'sim', symbol: 'DOT/USDT' });
    expect(requests).toHaveLength(1);
    expect(c.sent.at(-1)).toMatchObject({ type: 'notice', level: 'warn' });
    link.receive('a', { type: 'quit', force: false });
    expect(requests).toHaveLength(2);
    // Unknown clients are ignored entirely.
    link.receive('nobody', { type: 'quit', force: true });
    expect(requests).toHaveLength(2);
  });
});

describe('MarketState ordering across channels', () => {
  it('orders tickers, trades and books each against their own kind, so a newer trade cannot block the final ticker', () => {
    const m = new MarketState(() => undefined);
    const row = m.ensureRow('sim', 'BTC/USDT');
    const w = new TickBatchWriter();
    // A trade at t=110 arrives (on its own socket) before the ticker at t=100...
    w.trade('sim|BTC/USDT', 't1', 201, 1, 1, 110, 111, SOURCE_WS);
    m.apply(w.flush(0));
    w.ticker('sim|BTC/USDT', 199, 202, 200, 1, 1, 1, 100, 112, SOURCE_WS);
    m.apply(w.flush(0));
    // ...the ticker's bid/ask still apply; its older last does not replace the newer trade's.
    expect(row).toMatchObject({ bid: 199, ask: 202, last: 201, eventTime: 110 });
    // The final ticker always lands, whatever trades did before it.
    w.ticker('sim|BTC/USDT', 198, 203, 198.5, 1, 1, 1, 120, 121, SOURCE_WS);
    m.apply(w.flush(0));
    expect(row).toMatchObject({ bid: 198, ask: 203, last: 198.5, eventTime: 120 });
    // An older book does not override the ticker's top of book.
    w.book({ key: 'sim|BTC/USDT', bids: [[1, 1]], asks: [[2, 1]], eventTime: 115, receivedAt: 122, source: SOURCE_WS, state: 1, updateId: 1 });
    m.apply(w.flush(0));
    expect(row).toMatchObject({ bid: 198, ask: 203 });
  });
});

describe('RendererLink just-in-time frames', () => {
  it('computes the wait so an update lands LEAD_MS before the renderer’s next frame', () => {
    const p = 1000 / 60;
    expect(sendDelay({ frameTime: undefined, periodMs: p }, 1000)).toBe(0);
    // Last frame at 1000; now 1001: next frame at 1016.67, send at 1011.67.
    expect(sendDelay({ frameTime: 1000, periodMs: p }, 1001)).toBeCloseTo(p - LEAD_MS - 1, 6);
    // Inside the lead window of the next frame: aim for the one after.
    expect(sendDelay({ frameTime: 1000, periodMs: p }, 1000 + p - 2)).toBeCloseTo(p + 2 - LEAD_MS, 6);
    // Long after the last known frame, the grid still gives the next slot.
    const d = sendDelay({ frameTime: 1000, periodMs: p }, 5000);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(p);
  });

  /** A link over one row on fake time; `jit` counts the just-in-time send timers armed (the ack timeout is not one). */
  function linkOnFakeTime() {
    const time = new FakeTime();
    let jit = 0;
    const scheduler = {
      now: () => time.now(),
      setTimeout: (fn: () => void, ms: number) => {
        if (ms !== ACK_TIMEOUT_MS) jit++;
        return time.setTimeout(fn, ms);
      },
    };
    const m = new MarketState((k) => link.markDirty(k));
    const link = new RendererLink({ rows: (k) => m.row(k), allKeys: () => m.keys(), greet: () => [], onRequest: () => undefined, onInvalid: () => undefined, scheduler });
    m.ensureRow('sim', 'BTC/USDT');
    const c = client('a');
    link.attach(c);
    const w = new TickBatchWriter();
    const tick = async (v: number) => {
      w.ticker('sim|BTC/USDT', v, v, v, 0, 0, 0, v, v, SOURCE_WS);
      m.apply(w.flush(v));
      await nextTurn();
    };
    const frames = () => c.sent.filter((x): x is Extract<ToRenderer, { type: 'frame' }> => x.type === 'frame');
    const ack = (frameAgoMs: number) => link.receive('a', { type: 'frame-ack', seq: frames().at(-1)!.seq, frameTime: time.now() - frameAgoMs });
    return { time, link, tick, frames, ack, jitTimers: () => jit };
  }

  it('after an ack with a frame time, holds data that follows other data within a frame for the slot before the next paint', async () => {
    const { time, link, tick, frames, ack, jitTimers } = linkOnFakeTime();
    await tick(1);
    expect(frames()).toHaveLength(1); // no grid known yet: sent in the same turn
    // The renderer painted it in a frame that began 1 ms ago; more data 2 ms later.
    ack(1);
    await time.advance(2);
    await tick(2);
    expect(frames()).toHaveLength(1); // waiting for the slot before the next frame
    expect(jitTimers()).toBe(1);
    await time.advance(1000 / 60);
    expect(frames()).toHaveLength(2);
    link.close();
  });

  it('an idle stream (4 updates a second) still waits for the slot: data a few ms later joins the same frame', async () => {
    const { time, link, tick, frames, ack, jitTimers } = linkOnFakeTime();
    await tick(0);
    ack(1);
    for (let i = 1; i <= 4; i++) {
      await time.advance(250);
      await tick(i); // the tickers' read...
      await time.advance(2);
      await tick(i + 0.5); // ...and the book diff's, 2 ms later
      await time.advance(1000 / 60);
      expect(frames()).toHaveLength(i + 1); // one frame for both
      expect(frames()[i]!.rows[0]!.last).toBe(i + 0.5);
      ack(1);
    }
    expect(jitTimers()).toBe(4);
    link.close();
  });
});
