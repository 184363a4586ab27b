// The frame floor's arithmetic (bench/frame-floor.ts): per painted frame, the oldest
// message's receipt → the end of the frame's callback; missed beats from the rAF
// timestamps; what the floor leaves of the latency target and when the script target's
// page is above it already.
import { describe, expect, it } from 'vitest';
import { floorFigures, floorText, judgeFloor, pingOf, type FloorFigures } from '../../bench/frame-floor';

const P = 1000 / 60;

describe('frame floor figures', () => {
  it('takes receipt → painted per frame and counts beats that took longer than 1.25 periods', () => {
    const frames = [
      { frameTime: 0, oldestAt: -10, doneAt: 1 }, // 11
      { frameTime: P, oldestAt: P - 15, doneAt: P + 2 }, // 17
      { frameTime: 3 * P, oldestAt: P + 3, doneAt: 3 * P + 1 }, // missed a beat: 2P - 2
      { frameTime: 4 * P, oldestAt: 3 * P + 5, doneAt: 4 * P + 1 }, // P - 4
    ];
    const f = floorFigures(frames, 4, 2);
    expect(f.frames).toBe(4);
    expect(f.scriptMs).toBe(4);
    expect(f.seconds).toBe(2);
    expect(f.missedBeatShare).toBeCloseTo(1 / 3, 9);
    // nearest rank over [11, P - 4, 17, 2P - 2]
    expect(f.p50).toBeCloseTo(P - 4, 9);
    expect(f.p99).toBeCloseTo(2 * P - 2, 9);
  });

  it('is not a number, not zero, when the page painted nothing', () => {
    const f = floorFigures([], 0, 1);
    expect(f.frames).toBe(0);
    expect(f.p99).toBeNaN();
    expect(f.missedBeatShare).toBeNaN();
  });
});

const fig = (p99: number, frames = 300): FloorFigures => ({ scriptMs: 0, frames, seconds: 5, p50: p99 - 3, p99, missedBeatShare: 0.01 });

describe('judging the floor against the latency target', () => {
  it('says what the idle page leaves of the target, and whether the budget page is above it', () => {
    expect(judgeFloor(fig(18.2), fig(21.9), 20.7)).toEqual({ left: expect.closeTo(2.5, 9) as number, contradicts: true });
    expect(judgeFloor(fig(17), fig(20.7), 20.7).contradicts).toBe(false);
  });

  it('claims nothing from a budget page that painted nothing', () => {
    expect(judgeFloor(fig(18), fig(NaN, 0), 20.7).contradicts).toBe(false);
  });

  it('writes the three floors, what the relayed one leaves, and the contradiction only when there is one', () => {
    const t = floorText({ page: fig(16.9), relayed: fig(18.2), relayedBudget: { ...fig(21.9), scriptMs: 4 } }, 20.7, 4);
    expect(t).toBe('fed directly, receipt → painted: 13.9 / 16.9 (300 frames in 5.0 s, 1.0% of beats missed); '
      + 'through a bare child and a bare main process (the streaming process → main → renderer hops), source → painted: '
      + 'painting only 15.2 / 18.2 (300 frames in 5.0 s, 1.0% of beats missed), spending the script target\'s 4 ms in every frame first 18.9 / 21.9 (300 frames in 5.0 s, 1.0% of beats missed); '
      + 'the relayed painting-only floor leaves 2.5 ms of the 20.7 ms target at p99 for all the screen does in a frame; with the script target\'s 4 ms in every frame it is above the target');
    expect(floorText({ page: fig(16), relayed: fig(17), relayedBudget: fig(20) }, 20.7, 4)).not.toContain('above the target');
    expect(floorText({ error: 'floor socket failed' }, 20.7, 4)).toBe('not measured: floor socket failed');
  });
});

describe('the relay reading a page\'s clock ping', () => {
  it('takes an integer ping and ignores anything else without throwing', () => {
    expect(pingOf('{"ping":3}')).toBe(3);
    expect(pingOf('{"ping":1.5}')).toBeUndefined();
    expect(pingOf('{"ping":"3"}')).toBeUndefined();
    expect(pingOf('null')).toBeUndefined();
    expect(pingOf('not json')).toBeUndefined();
  });
});
