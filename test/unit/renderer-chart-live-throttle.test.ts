import { describe, expect, it } from 'vitest';
import type { Candle } from '../../shared/contract/candles';
import { LIVE_CHART_MS, LIVE_CHART_SLACK_MS, LiveCandleThrottle } from '../../renderer/src/chart/live-throttle';

const candle = (t: number, c: number): Candle => ({ t, o: 10, h: Math.max(10, c), l: Math.min(10, c), c, v: 1 });

/** A fake clock and timers; the trace records what reached the chart and when. */
function setup() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const trace: string[] = [];
  const throttle = new LiveCandleThrottle({
    now: () => now,
    setTimeout: (fn, ms) => {
      const timer = { at: now + ms, fn, live: true };
      timers.push(timer);
      return () => void (timer.live = false);
    },
    apply: (candles) => trace.push(`${now}: ${candles.map((k) => `${k.t}@${k.c}`).join(' ')}`),
  });
  const advance = (to: number) => {
    for (;;) {
      const next = timers.filter((x) => x.live && x.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      now = next.at;
      next.live = false;
      next.fn();
    }
    now = to;
  };
  return { throttle, trace, advance, timersPending: () => timers.filter((x) => x.live).length };
}

describe('LiveCandleThrottle', () => {
  it('applies the first update at once, then the newest state at most every LIVE_CHART_MS', () => {
    const { throttle, trace, advance } = setup();
    throttle.offer(candle(60_000, 11));
    // a new state every 16 ms (a frame), the price one higher each time
    for (let ms = 16; ms < 2 * LIVE_CHART_MS; ms += 16) {
      advance(ms);
      throttle.offer(candle(60_000, 11 + ms / 16));
    }
    advance(3 * LIVE_CHART_MS);
    // each apply carries the newest state offered before it (the offer of the last frame before it)
    const newestBefore = (t: number) => 11 + Math.floor((t - 1) / 16);
    expect(trace).toEqual([`0: 60000@11`, `${LIVE_CHART_MS}: 60000@${newestBefore(LIVE_CHART_MS)}`, `${2 * LIVE_CHART_MS}: 60000@${newestBefore(2 * LIVE_CHART_MS)}`]);
  });

  it('a candle that closed between two applies is handed over with its final state before the new one', () => {
    const { throttle, trace, advance } = setup();
    throttle.offer(candle(0, 11));
    advance(30);
    throttle.offer(candle(0, 12));
    advance(60);
    throttle.offer(candle(0, 13)); // the final state of the candle at 0
    throttle.offer(candle(60_000, 9));
    advance(2 * LIVE_CHART_MS);
    expect(trace).toEqual(['0: 0@11', `${LIVE_CHART_MS}: 0@13 60000@9`]);
  });

  it('an update that comes at about the interval is applied at once, not a few ms later in a frame of its own', () => {
    const { throttle, trace, advance, timersPending } = setup();
    throttle.offer(candle(0, 11));
    const early = LIVE_CHART_MS - LIVE_CHART_SLACK_MS; // e.g. a quiet market's ticks, 4 a second with jitter
    advance(early);
    throttle.offer(candle(0, 12));
    expect(timersPending()).toBe(0);
    advance(early + 1);
    throttle.offer(candle(0, 13)); // 1 ms after an apply: waits for the interval
    expect(timersPending()).toBe(1);
    advance(2 * early + LIVE_CHART_MS);
    expect(trace).toEqual(['0: 0@11', `${early}: 0@12`, `${early + LIVE_CHART_MS}: 0@13`]);
  });

  it('clear drops what is pending and its timer (history replaced the series)', () => {
    const { throttle, trace, advance, timersPending } = setup();
    throttle.offer(candle(0, 11));
    advance(10);
    throttle.offer(candle(0, 12));
    expect(timersPending()).toBe(1);
    throttle.clear();
    expect(timersPending()).toBe(0);
    advance(4 * LIVE_CHART_MS);
    expect(trace).toEqual(['0: 0@11']);
  });
});

describe('LiveCandleThrottle phase', () => {
  it('updates that come once an interval are applied on arrival again after a burst put the applies out of phase', () => {
    const { throttle, trace, advance, timersPending } = setup();
    throttle.offer(candle(0, 11));
    advance(10);
    throttle.offer(candle(0, 12)); // a burst: waits for the interval (applied at 250, 10 ms after...)
    // ...then one update per interval, 60 ms after each timer apply (a quiet market's 4 a second)
    const arrivals = [310, 310 + LIVE_CHART_MS, 310 + 2 * LIVE_CHART_MS];
    let c = 13;
    for (const at of arrivals) {
      advance(at);
      throttle.offer(candle(0, c++));
      expect(timersPending()).toBe(0); // applied at once: in the frame with the ticks that came with it
    }
    expect(trace).toEqual(['0: 0@11', `${LIVE_CHART_MS}: 0@12`, ...arrivals.map((at, i) => `${at}: 0@${13 + i}`)]);
  });

  it('a steady stream faster than the interval stays throttled to one apply per interval', () => {
    const { throttle, trace, advance } = setup();
    for (let ms = 0; ms <= 10 * LIVE_CHART_MS; ms += 16) {
      advance(ms);
      throttle.offer(candle(0, 11));
    }
    const times = trace.map((line) => Number(line.split(':')[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(LIVE_CHART_MS);
    expect(times.length).toBeGreaterThanOrEqual(10);
  });
});
