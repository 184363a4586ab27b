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
    // Without the child's CPU time, silence alone decides.
    expect(v).toEqual({ hung: true, silentMs: 3500, cause: 'silent', last: undefined });
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
    expect(p.check(4000)).toEqual({ hung: true, silentMs: 3500, cause: 'silent', last: { progress: 41, lagMs: 12 } });
  });

  it('reset starts a new process with nothing accrued, even when nothing arrived since', () => {
    const p = new HangPolicy(opts, 0);
    checks(p, 500, 2500);
    p.reset(2500);
    expect(p.last).toBeUndefined();
    expect(checks(p, 3000, 5500)).toEqual([false, false, false, false, false, false]);
    expect(p.check(6000).hung).toBe(true);
  });

  describe('with the child\'s CPU time', () => {
    /** Checks every 500 ms from `from` to `to`, the child's CPU growing at `share` of a core; returns the last verdict. */
    function run(p: HangPolicy, from: number, to: number, share: number, cpuAt0 = 10_000) {
      let v = p.check(from, cpuAt0 + share * from);
      for (let t = from + 500; t <= to; t += 500) {
        v = p.check(t, cpuAt0 + share * t);
        if (v.hung) return { at: t, v };
      }
      return { at: to, v };
    }

    it('a stopped child (SIGSTOP: no CPU at all) is hung after the window', () => {
      const p = new HangPolicy(opts, 0);
      expect(run(p, 500, 10_000, 0)).toEqual({ at: 3500, v: { hung: true, silentMs: 3500, cause: 'stopped', cpuMs: 0, last: undefined } });
    });

    it('a spinning child (a full core, nothing delivered) is hung once it has had a window of CPU', () => {
      const p = new HangPolicy(opts, 0);
      // The CPU baseline is taken at the first silent check (500), so 3000 ms of CPU is reached at 3500.
      expect(run(p, 500, 10_000, 1)).toEqual({ at: 3500, v: { hung: true, silentMs: 3500, cause: 'spinning', cpuMs: 3000, last: undefined } });
    });

    it('a starved child (long synchronous work at 15% of a core) is busy, not hung, until it has burnt a window of CPU', () => {
      const p = new HangPolicy(opts, 0);
      const { at, v } = run(p, 500, 10_000, 0.15);
      expect(at).toBe(10_000);
      expect(v).toEqual({ hung: false, silentMs: 10_000, cpuMs: 1425 });
      // Were it an endless loop at that share, it is still killed: 3000 ms of CPU takes 20 s.
      expect(run(p, 10_500, 60_000, 0.15)).toMatchObject({ at: 20_500, v: { hung: true, cause: 'spinning' } });
    });

    it('a delivery ends the silence and its CPU count', () => {
      const p = new HangPolicy(opts, 0);
      run(p, 500, 3000, 0.5);
      p.delivered();
      expect(p.check(3500, 20_000)).toEqual({ hung: false, silentMs: 0 });
      expect(p.silent).toBe(true);
      expect(p.check(4000, 20_000)).toEqual({ hung: false, silentMs: 500, cpuMs: 0 });
    });
  });
});
