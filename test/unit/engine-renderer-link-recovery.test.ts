// The renderer link never waits forever for an ack: a nack or an ack timeout takes
// the credit back and the renderer gets every row again; both are counted and
// reported once per episode. Fake time (vitest timers behind the injected scheduler).
import { describe, expect, it, vi } from 'vitest';
import { MarketState } from '../../electron/engine/market/market-state';
import { ACK_TIMEOUT_MS, NACK_RESEND_DELAY_MS, RendererLink, type FrameTroubleEpisode, type RendererClient } from '../../electron/engine/renderer-link/renderer-link';
import { SOURCE_WS, TickBatchWriter } from '../../shared/contract/tick-batch';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { fakeScheduler } from '../support/fake-scheduler';
import { fakeTimersInEachTest } from '../support/fake-timers';

const BTC = 'sim|BTC/USDT';
const ETH = 'sim|ETH/USDT';

type Frame = Extract<ToRenderer, { type: 'frame' }>;

function setup() {
  const m = new MarketState((k) => link.markDirty(k));
  const episodes: FrameTroubleEpisode[] = [];
  const invalid: string[] = [];
  const link: RendererLink = new RendererLink({
    rows: (k) => m.row(k),
    allKeys: () => m.keys(),
    greet: () => [],
    onRequest: () => undefined,
    onInvalid: (_c, e) => invalid.push(e),
    onFrameTrouble: (_c, e) => episodes.push(e),
    scheduler: fakeScheduler,
  });
  m.ensureRow('sim', 'BTC/USDT');
  m.ensureRow('sim', 'ETH/USDT');
  const sent: ToRenderer[] = [];
  const c: RendererClient = { id: 'a', send: (x) => sent.push(x) };
  link.attach(c);
  const w = new TickBatchWriter();
  const tick = (key: string, last: number) => {
    w.ticker(key, last, last, last, 0, 0, 0, last, last, SOURCE_WS);
    m.apply(w.flush(last));
  };
  /** Each frame as "seq:keys" (sorted), the trace the assertions compare. */
  const frames = () => sent.filter((x): x is Frame => x.type === 'frame').map((f) => `${f.seq}:${f.rows.map((r) => r.key.split('|')[1]).sort().join(',')}`);
  return { m, link, tick, frames, episodes, invalid };
}

fakeTimersInEachTest();

describe('RendererLink recovery', () => {
  it('takes the credit back after the ack timeout, resends every row, ignores the late ack and reports the episode once', () => {
    const { link, tick, frames, episodes } = setup();
    tick(BTC, 1);
    vi.advanceTimersByTime(0);
    expect(frames()).toEqual(['1:BTC/USDT']);
    // No ack: nothing more is sent until the timeout, however much data arrives.
    tick(BTC, 2);
    vi.advanceTimersByTime(ACK_TIMEOUT_MS - 1);
    expect(frames()).toEqual(['1:BTC/USDT']);
    vi.advanceTimersByTime(1);
    // Frame 2 carries the full state (ETH too, which never changed), not just what was dirty.
    expect(frames()).toEqual(['1:BTC/USDT', '2:BTC/USDT,ETH/USDT']);
    expect(link.ackTimeouts).toBe(1);
    expect(episodes).toEqual([{ phase: 'began', kind: 'timeout', seq: 1 }]);
    // The late ack of frame 1 does not release frame 2's credit.
    link.receive('a', { type: 'frame-ack', seq: 1 });
    tick(ETH, 3);
    vi.advanceTimersByTime(0);
    expect(frames()).toHaveLength(2);
    // A second timeout in the same episode is counted, not reported again.
    vi.advanceTimersByTime(ACK_TIMEOUT_MS);
    expect(frames()).toEqual(['1:BTC/USDT', '2:BTC/USDT,ETH/USDT', '3:BTC/USDT,ETH/USDT']);
    expect(link.ackTimeouts).toBe(2);
    expect(episodes).toHaveLength(1);
    // The ack of the current frame ends the episode; the stream goes on normally.
    link.receive('a', { type: 'frame-ack', seq: 3 });
    expect(episodes.at(-1)).toEqual({ phase: 'ended', nacks: 0, timeouts: 2 });
    tick(ETH, 4);
    vi.advanceTimersByTime(0);
    expect(frames().at(-1)).toBe('4:ETH/USDT');
    link.receive('a', { type: 'frame-ack', seq: 4 });
    vi.advanceTimersByTime(ACK_TIMEOUT_MS * 3);
    expect(link.ackTimeouts).toBe(2); // acked frames never time out
    expect(frames()).toHaveLength(4);
  });

  it('after a nack resends every row once the resend delay has passed, and reports the reason once per episode', () => {
    const { link, tick, frames, episodes } = setup();
    tick(BTC, 1);
    vi.advanceTimersByTime(0);
    link.receive('a', { type: 'frame-nack', seq: 1, reason: 'invalid frame: rows.0.bid: expected number' });
    expect(link.frameNacks).toBe(1);
    expect(episodes).toEqual([{ phase: 'began', kind: 'nack', seq: 1, reason: 'invalid frame: rows.0.bid: expected number' }]);
    // Not at once: a renderer that keeps refusing must not ping-pong frames at IPC speed.
    vi.advanceTimersByTime(NACK_RESEND_DELAY_MS - 1);
    expect(frames()).toEqual(['1:BTC/USDT']);
    vi.advanceTimersByTime(1);
    expect(frames()).toEqual(['1:BTC/USDT', '2:BTC/USDT,ETH/USDT']);
    // A stale nack (not the frame in flight) changes nothing.
    link.receive('a', { type: 'frame-nack', seq: 1, reason: 'again' });
    expect(link.frameNacks).toBe(1);
    link.receive('a', { type: 'frame-nack', seq: 2, reason: 'still broken' });
    vi.advanceTimersByTime(NACK_RESEND_DELAY_MS);
    expect(frames()).toEqual(['1:BTC/USDT', '2:BTC/USDT,ETH/USDT', '3:BTC/USDT,ETH/USDT']);
    expect(link.frameNacks).toBe(2);
    expect(episodes).toHaveLength(1);
    link.receive('a', { type: 'frame-ack', seq: 3 });
    expect(episodes).toEqual([
      { phase: 'began', kind: 'nack', seq: 1, reason: 'invalid frame: rows.0.bid: expected number' },
      { phase: 'ended', nacks: 2, timeouts: 0 },
    ]);
    // A nack answers the frame: its ack timeout never fires.
    vi.advanceTimersByTime(ACK_TIMEOUT_MS * 2);
    expect(link.ackTimeouts).toBe(0);
  });

  it('refuses a malformed nack as invalid input; close() and detach() leave no timer behind', () => {
    const { link, tick, frames, invalid } = setup();
    tick(BTC, 1);
    vi.advanceTimersByTime(0);
    link.receive('a', { type: 'frame-nack', seq: 1, reason: 'x'.repeat(501) });
    link.receive('a', { type: 'frame-nack', seq: 1 });
    expect(invalid).toHaveLength(2);
    expect(link.frameNacks).toBe(0);
    expect(vi.getTimerCount()).toBe(1); // frame 1's ack timeout
    link.detach('a');
    expect(vi.getTimerCount()).toBe(0);

    const other = setup();
    other.tick(BTC, 1);
    vi.advanceTimersByTime(0);
    other.link.close();
    expect(vi.getTimerCount()).toBe(0);
    other.tick(ETH, 2);
    vi.advanceTimersByTime(ACK_TIMEOUT_MS * 2);
    expect(other.link.ackTimeouts).toBe(0);
    expect(other.frames()).toEqual(['1:BTC/USDT']);
    expect(frames()).toEqual(['1:BTC/USDT']);
  });
});
