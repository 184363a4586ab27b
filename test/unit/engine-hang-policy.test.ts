import { describe, expect, it } from 'vitest';
import { HangPolicy } from '../../electron/engine/supervisor/hang-policy';

const opts = { windowMs: 3000, checkEveryMs: 500 };

/** Runs checks every `every` ms from `from` to `to` (inclusive); returns the verdicts' hung flags. */
function checks(p: HangPolicy, from: number, to: number, every = 500, deliverEvery = 0): boolean[] {
  const out: boolean[] = [];
  for (let t = from; t <= to; t += every) {
    if (deliverEvery > 0 && t % deliverEvery === 0) p.delivered();
    out.push(p.check(t).hung);
  }
  return out;
}

describe('HangPolicy', () => {
  it('a silent child is hung once the silence exceeds the window, not before', () => {
    const p = new HangPolicy(opts, 0);
    // 500..3000: 3000 ms of silence is not more than the window; 3500 is.
    expect(checks(p, 500, 3000)).toEqual([false, false, false, false, false, false]);
    const v = p.check(3500);
    expect(v).toEqual({ hung: true, silentMs: 3500, last: undefined });
  });

  it('any delivery resets the silence: a child busy for 2 s bursts is never hung', () => {
    const p = new HangPolicy(opts, 0);
    // One message every 2 s (what a loop blocked for 2 s at a time still sends between blocks), for a minute.
    expect(checks(p, 500, 60_000, 500, 2000).some(Boolean)).toBe(false);
    expect(p.check(60_500).silentMs).toBe(500);
  });

  it('a late check (the parent itself was blocked) credits at most two periods of silence', () => {
    const p = new HangPolicy(opts, 0);
    // Our loop was blocked for 10 s: the child's messages sat unread; that is not its silence.
    expect(p.check(10_000)).toEqual({ hung: false, silentMs: 1000 });
    // Once we listen again, what arrived resets it.
    p.delivered();
    expect(p.check(10_500)).toEqual({ hung: false, silentMs: 0 });
  });

  it('a child that stays silent while the parent is lagging is still judged hung after a few checks', () => {
    const p = new HangPolicy(opts, 0);
    // Every check is 4 s late; each credits 1000 ms, so the fourth one crosses 3000.
    expect([4000, 8000, 12_000, 16_000].map((t) => p.check(t).hung)).toEqual([false, false, false, true]);
  });

  it('reports the last loop report with the verdict and forgets it on reset', () => {
    const p = new HangPolicy(opts, 0);
    p.delivered();
    p.heartbeat({ progress: 41, lagMs: 12 });
    expect(p.check(500).hung).toBe(false);
    expect(checks(p, 1000, 3500).some(Boolean)).toBe(false);
    expect(p.check(4000)).toEqual({ hung: true, silentMs: 3500, last: { progress: 41, lagMs: 12 } });
  });

  it('reset starts a new process with nothing accrued, even when nothing arrived since', () => {
    const p = new HangPolicy(opts, 0);
    checks(p, 500, 2500);
    p.reset(2500);
    expect(p.last).toBeUndefined();
    expect(checks(p, 3000, 5500)).toEqual([false, false, false, false, false, false]);
    expect(p.check(6000).hung).toBe(true);
  });
});
