import { describe, expect, it } from 'vitest';
import type { TickerRow } from '../../shared/contract/renderer-api';
import type { PaintedFrame } from '../../renderer/src/paint/frame-scheduler';
import { FrameScheduler } from '../../renderer/src/paint/frame-scheduler';
import { tickerRow } from './renderer-test-rows';

/** A hand-cranked requestAnimationFrame. */
function harness() {
  const queue: ((t: number) => void)[] = [];
  const acks: number[] = [];
  const paints: boolean[] = [];
  const painted: PaintedFrame[] = [];
  const applied: TickerRow[][] = [];
  let clock = 0;
  let failPaint = false;
  const scheduler = new FrameScheduler({
    requestFrame: (cb) => queue.push(cb),
    clock: () => (clock += 0.5),
    apply: (rows) => {
      applied.push([...rows]);
      const times = rows.map((r) => r.receivedAt);
      return { rows: rows.length, receivedAtMin: Math.min(...times), receivedAtMax: Math.max(...times) };
    },
    paint: (all) => {
      paints.push(all);
      if (failPaint) throw new Error('paint failed');
    },
    ack: (seq) => acks.push(seq),
    onPainted: (f) => painted.push(f),
  });
  const runFrame = (t: number) => {
    const callbacks = queue.splice(0);
    for (const cb of callbacks) cb(t);
    return callbacks.length;
  };
  return { scheduler, queue, acks, paints, painted, applied, runFrame, setFailPaint: (v: boolean) => (failPaint = v) };
}

describe('FrameScheduler', () => {
  it('stores rows at once but paints and acks on the next animation frame', () => {
    const h = harness();
    h.scheduler.onFrame(1, [tickerRow('sim', 'BTC/USDT', { receivedAt: 5 })]);
    expect(h.applied).toHaveLength(1);
    expect(h.acks).toEqual([]);
    expect(h.runFrame(16)).toBe(1);
    expect(h.paints).toEqual([false]);
    expect(h.acks).toEqual([1]);
    expect(h.painted[0]).toMatchObject({ seq: 1, frameTime: 16, rows: 1, receivedAtMin: 5, receivedAtMax: 5 });
    expect(h.painted[0]?.scriptMs).toBeGreaterThan(0);
    expect(h.painted[0]!.doneTime).toBeGreaterThan(0);
  });

  it('reports when main sent the acked (last) frame message and when it had been applied, on the scheduler\'s clock', () => {
    const h = harness(); // the clock reads 0.5, 1.0, 1.5... one step per read
    h.scheduler.onFrame(1, [tickerRow('sim', 'BTC/USDT', { receivedAt: 5 })], 900); // applied at 1.0
    h.scheduler.onFrame(2, [tickerRow('sim', 'ETH/USDT', { receivedAt: 6 })], 916); // applied at 2.0
    h.runFrame(16);
    expect(h.painted[0]).toMatchObject({ seq: 2, sentAt: 916, appliedAt: 2 });
  });

  it('requests one animation frame however many updates arrive before it', () => {
    const h = harness();
    h.scheduler.onFrame(1, [tickerRow('sim', 'BTC/USDT', { receivedAt: 5 })]);
    h.scheduler.invalidate();
    h.scheduler.onFrame(2, [tickerRow('sim', 'ETH/USDT', { receivedAt: 3 })]);
    expect(h.queue).toHaveLength(1);
    h.runFrame(16);
    expect(h.acks).toEqual([2]);
    expect(h.painted).toHaveLength(1);
    expect(h.painted[0]).toMatchObject({ seq: 2, rows: 2, receivedAtMin: 3, receivedAtMax: 5 });
  });

  it('paints without acking when only statuses or ages changed, and repaints all on request', () => {
    const h = harness();
    h.scheduler.invalidate(true);
    h.runFrame(16);
    expect(h.paints).toEqual([true]);
    expect(h.acks).toEqual([]);
    expect(h.painted).toEqual([]);
  });

  it('still acks when painting throws, so the stream cannot stall', () => {
    const h = harness();
    h.setFailPaint(true);
    h.scheduler.onFrame(7, [tickerRow('sim', 'BTC/USDT')]);
    expect(() => h.runFrame(16)).toThrow('paint failed');
    expect(h.acks).toEqual([7]);
    h.setFailPaint(false);
    h.scheduler.onFrame(8, [tickerRow('sim', 'BTC/USDT')]);
    h.runFrame(32);
    expect(h.acks).toEqual([7, 8]);
  });

  it('forgets an unacked frame of a previous session on reset', () => {
    const h = harness();
    h.scheduler.onFrame(3, [tickerRow('sim', 'BTC/USDT')]);
    h.scheduler.reset();
    h.runFrame(16);
    expect(h.acks).toEqual([]);
    expect(h.paints).toEqual([true]);
  });

  it('requests no animation frame while nothing changes: no frame loop runs idle', () => {
    const h = harness();
    expect(h.queue).toHaveLength(0);
    h.scheduler.onFrame(1, [tickerRow('sim', 'BTC/USDT', { receivedAt: 5 })]);
    h.runFrame(16);
    // Painted and acked: nothing asks for the next frame until new data or a repaint comes.
    expect(h.queue).toHaveLength(0);
    expect(h.runFrame(32)).toBe(0);
    expect(h.paints).toEqual([false]);
  });
});
