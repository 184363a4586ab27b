import { describe, expect, it } from 'vitest';
import { AgeTick, RepaintClock } from '../../renderer/src/paint/repaint-clock';

/** Fake time: timers run only when advance() passes them. */
function harness() {
  let t = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const repaints: { at: number; all: boolean }[] = [];
  const clock = new RepaintClock({
    now: () => t,
    setTimeout: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return () => (timers = timers.filter((x) => x !== timer));
    },
    repaint: (all) => repaints.push({ at: t, all }),
  });
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const next = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((x) => x !== next);
      t = next.at;
      next.fn();
    }
    t = end;
  };
  return { clock, repaints, advance, pending: () => timers.length };
}

describe('RepaintClock', () => {
  it('sets no timer and repaints nothing while no row is shown', () => {
    const h = harness();
    h.advance(10_000);
    expect(h.pending()).toBe(0);
    expect(h.repaints).toEqual([]);
  });

  it('repaints ages once per second while rows are shown, and stops when they are gone', () => {
    const h = harness();
    h.clock.setShowing(true);
    h.advance(3500);
    expect(h.repaints).toEqual([
      { at: 1000, all: true },
      { at: 2000, all: true },
      { at: 3000, all: true },
    ]);
    expect(h.pending()).toBe(1);
    h.clock.setShowing(false);
    expect(h.pending()).toBe(0);
    h.advance(5000);
    expect(h.repaints).toHaveLength(3);
  });

  it('wakes once at the end of a flash to repaint only what changed, with one timer at a time', () => {
    const h = harness();
    h.clock.setShowing(true);
    h.clock.flashEndsAt(600);
    h.clock.flashEndsAt(600);
    expect(h.pending()).toBe(1);
    h.advance(700);
    expect(h.repaints).toEqual([{ at: 600, all: false }]);
    // The age tick is still due at 1000, flashes or not.
    h.advance(300);
    expect(h.repaints).toEqual([
      { at: 600, all: false },
      { at: 1000, all: true },
    ]);
  });

  it('a flash reported after the paint it triggered re-arms; none left means no wake-up', () => {
    const h = harness();
    h.clock.flashEndsAt(300);
    h.advance(300);
    h.clock.flashEndsAt(450); // the paint at 300 found another flash on
    h.advance(1000);
    expect(h.repaints).toEqual([
      { at: 300, all: false },
      { at: 450, all: false },
    ]);
    h.clock.flashEndsAt(Infinity);
    expect(h.pending()).toBe(0);
  });

  it('dispose cancels the pending timer', () => {
    const h = harness();
    h.clock.setShowing(true);
    h.clock.flashEndsAt(200);
    h.clock.dispose();
    expect(h.pending()).toBe(0);
    h.advance(5000);
    expect(h.repaints).toEqual([]);
  });

  it('keeps an earlier timer when flashes keep coming later: no timer per frame', () => {
    const h = harness();
    let timersSet = 0;
    const clock = new RepaintClock({
      now: () => 0,
      setTimeout: () => {
        timersSet++;
        return () => undefined;
      },
      repaint: () => undefined,
    });
    for (let end = 600; end < 700; end += 10) clock.flashEndsAt(end);
    expect(timersSet).toBe(1);
    clock.flashEndsAt(100); // earlier: re-armed
    expect(timersSet).toBe(2);
    // A timer that fires before anything is due repaints nothing and re-arms.
    h.clock.flashEndsAt(300);
    h.clock.flashEndsAt(500);
    h.advance(300);
    expect(h.repaints).toEqual([]);
    h.advance(200);
    expect(h.repaints).toEqual([{ at: 500, all: false }]);
  });

  it('wakes once per repaint on fractional times, though the browser truncates timer delays', () => {
    // Flash ends and age ticks are receivedAt-based, so fractional; Chromium runs setTimeout(fn, 599.7)
    // after 599 ms (and, like any timer, a little later than asked: 0.05 ms here).
    let t = 0.3;
    let timers: { at: number; fn: () => void }[] = [];
    let fired = 0;
    const repaints: number[] = [];
    const clock = new RepaintClock({
      now: () => t,
      setTimeout: (fn, ms) => {
        const timer = { at: t + Math.trunc(ms) + 0.05, fn };
        timers.push(timer);
        return () => (timers = timers.filter((x) => x !== timer));
      },
      repaint: () => repaints.push(t),
    });
    const advance = (to: number) => {
      for (let next = timers[0]; next && next.at <= to; next = timers[0]) {
        timers = timers.slice(1);
        t = next.at;
        fired++;
        next.fn();
      }
      t = to;
    };
    clock.setShowing(true); // ages due at 1000.3
    clock.flashEndsAt(600.9);
    advance(5000);
    expect(repaints.map(Math.floor)).toEqual([601, 1000, 2000, 3000, 4000]);
    expect(fired).toBe(5); // one timer per repaint: none fired early to find nothing due
  });

  it('with a slack, flash ends ride on the data frames instead of frames of their own, and are never later than the slack', () => {
    // Data frames every 100 ms until 1000, each starting a flash that ends 550 ms later (between two
    // frames, as receipt times fall); each paint, data or clock, repaints the flashes that ended and
    // reports the earliest still on.
    const run = (slack: number) => {
      let t = 0;
      let timers: { at: number; fn: () => void }[] = [];
      const ends: number[] = [];
      const clockRepaints: number[] = [];
      let latest = 0; // how late a flash end was repainted, at worst
      const paint = () => {
        for (const e of ends.filter((x) => x <= t)) latest = Math.max(latest, t - e);
        ends.splice(0, ends.filter((x) => x <= t).length);
        clock.flashEndsAt(ends[0] ?? Infinity);
      };
      const clock = new RepaintClock(
        {
          now: () => t,
          setTimeout: (fn, ms) => {
            const timer = { at: t + ms, fn };
            timers.push(timer);
            timers.sort((a, b) => a.at - b.at);
            return () => (timers = timers.filter((x) => x !== timer));
          },
          repaint: () => {
            clockRepaints.push(t);
            paint();
          },
        },
        1000,
        slack,
      );
      const advance = (to: number) => {
        for (let next = timers[0]; next && next.at <= to; next = timers[0]) {
          timers = timers.slice(1);
          t = next.at;
          next.fn();
        }
        t = to;
      };
      for (let frame = 0; frame <= 1000; frame += 100) {
        advance(frame);
        ends.push(frame + 550);
        paint();
      }
      advance(3000);
      return { clockRepaints, latest };
    };
    // Without slack, every flash end costs a frame of its own, 50 ms before a data frame.
    const exact = run(0);
    expect(exact.clockRepaints).toEqual([550, 650, 750, 850, 950, 1050, 1150, 1250, 1350, 1450, 1550]);
    expect(exact.latest).toBe(0);
    // With 150 ms, none does while data flows (the frame at 600 repaints the end at 550, ...); after the
    // last frame (1000) the clock repaints what ended, two ends at a time, never later than the slack.
    const slack = run(150);
    expect(slack.clockRepaints).toEqual([1200, 1400, 1600]);
    expect(slack.latest).toBe(150);
  });
});

describe('RepaintClock age slack: the age tick rides on data frames', () => {
  /** Rows shown, ages every 1000 ms, ages up to 250 ms late when no data frame repaints them first. */
  function slackHarness() {
    let t = 0;
    let timers: { at: number; fn: () => void }[] = [];
    const trace: string[] = [];
    let fired = 0;
    const clock = new RepaintClock(
      {
        now: () => t,
        setTimeout: (fn, ms) => {
          const timer = { at: t + ms, fn: () => (fired++, fn()) };
          timers.push(timer);
          return () => (timers = timers.filter((x) => x !== timer));
        },
        repaint: (all) => trace.push(`${t} clock ${all ? 'ages' : 'flash'}`),
      },
      1000,
      0,
      250,
    );
    const advance = (to: number) => {
      for (;;) {
        const next = timers.filter((x) => x.at <= to).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((x) => x !== next);
        t = next.at;
        next.fn();
      }
      t = to;
    };
    /** A data frame at `at`: it repaints every age when the clock says the tick is due. */
    const dataFrame = (at: number) => {
      advance(at);
      trace.push(`${at} data${clock.agesDue() ? ' +ages' : ''}`);
    };
    return { clock, trace, advance, dataFrame, pending: () => timers.length, fired: () => fired };
  }

  it('a data frame at or after the tick takes it, and the clock repaints nothing of its own while data comes', () => {
    const h = slackHarness();
    h.clock.setShowing(true);
    for (let at = 250; at <= 3000; at += 250) h.dataFrame(at);
    expect(h.trace).toEqual([
      '250 data', '500 data', '750 data', '1000 data +ages', '1250 data', '1500 data', '1750 data', '2000 data +ages',
      '2250 data', '2500 data', '2750 data', '3000 data +ages',
    ]);
    expect(h.pending()).toBe(1); // the fallback for a screen whose data stops
    expect(h.fired()).toBe(0); // and no timer woke the page for nothing
  });

  it('with no data the clock repaints ages the slack late, then once a period', () => {
    const h = slackHarness();
    h.clock.setShowing(true);
    h.advance(3500);
    expect(h.trace).toEqual(['1250 clock ages', '2250 clock ages', '3250 clock ages']);
  });

  it('data that stops hands the tick back to the clock; no rows shown: never due', () => {
    const h = slackHarness();
    h.clock.setShowing(true);
    h.dataFrame(1100);
    h.advance(2400);
    expect(h.trace).toEqual(['1100 data +ages', '2350 clock ages']);
    h.clock.setShowing(false);
    h.dataFrame(5000);
    expect(h.trace.at(-1)).toBe('5000 data');
    expect(h.pending()).toBe(0);
  });
});

describe('AgeTick: a chart header’s age on the watchlist’s tick', () => {
  it('keeps the one age timer running while a panel listens, even with no row shown, and calls it in the all-rows repaint', () => {
    const h = harness();
    let rowsShown = 0;
    const tick = new AgeTick(() => h.clock.setShowing(rowsShown > 0 || tick.size > 0));
    const heard: number[] = [];
    // the runtime's paint: an all-rows repaint runs the tick
    const paintAll = () => {
      for (const r of h.repaints.splice(0)) if (r.all) tick.run(r.at);
    };
    const stop = tick.listen((t) => heard.push(t));
    h.advance(2500);
    paintAll();
    expect(heard).toEqual([1000, 2000]);
    expect(h.pending()).toBe(1); // one timer for every age on screen
    stop();
    stop(); // twice is harmless
    expect(h.pending()).toBe(0);
    h.advance(5000);
    paintAll();
    expect(heard).toEqual([1000, 2000]);
    // with rows shown the clock runs anyway; the listener leaving does not stop it
    rowsShown = 1;
    h.clock.setShowing(true);
    const stop2 = tick.listen((t) => heard.push(t));
    stop2();
    expect(h.pending()).toBe(1);
  });
});
