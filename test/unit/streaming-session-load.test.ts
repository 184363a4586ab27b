import { describe, expect, it } from 'vitest';
import { SessionLoad } from '../../electron/streaming/session-load';
import { SessionReport } from '../../electron/streaming/session-report';
import { FakeTime } from './streaming-fake-time';

function setup() {
  const time = new FakeTime();
  const trace: string[] = [];
  const log = { event: () => undefined, record: (level: string, scope: string, message: string, f?: object) => void trace.push(`${level} ${scope}: ${message} ${JSON.stringify(f)}`) };
  const report = new SessionReport('sim', log, { error: () => undefined }, () => trace.push('changed'));
  return { time, trace, load: new SessionLoad(report, time) };
}

describe('SessionLoad', () => {
  it('logs an episode once when it starts and once when it ends, under fake time', async () => {
    const { time, trace, load } = setup();
    load.sample(10, 5, 0);
    expect(trace).toEqual([]);
    load.sample(600, 5, 0);
    expect(load.behind).toBe(true);
    expect(load.loopLagMs).toBe(600);
    await time.advance(1000);
    load.sample(700, 5, 0); // still behind: no new line
    await time.advance(2999);
    load.sample(10, 5, 0);
    expect(load.behind).toBe(true); // not calm for 3 s yet
    await time.advance(1);
    load.sample(10, 5, 0);
    expect(load.behind).toBe(false);
    expect(trace).toEqual([
      'warn load: exchange behind: more arrives than is handled in time {"exchange":"sim","kind":"behind","loopLagMs":600,"processingMaxMs":5,"tradesShed":0}',
      'changed',
      'info load: exchange caught up {"exchange":"sim","kind":"caught-up","durationMs":1000,"maxLoopLagMs":700,"maxProcessingMs":5,"tradesShed":0}',
      'changed',
    ]);
  });

  it('logs the offered and processed rates with the episode, once at each end', () => {
    const { trace, load } = setup();
    const rates = { offeredPerSec: 9000, processedPerSec: 4000, tickersCoalesced: 120 };
    load.sample(600, 5, 0, rates);
    load.sample(900, 5, 0, { ...rates, offeredPerSec: 9500 }); // same episode: no line
    expect(trace).toEqual([
      'warn load: exchange behind: more arrives than is handled in time {"exchange":"sim","kind":"behind","loopLagMs":600,"processingMaxMs":5,"tradesShed":0,"offeredPerSec":9000,"processedPerSec":4000,"tickersCoalesced":120}',
      'changed',
    ]);
  });

  it('trades shed count the removed subscriptions and the live ones', () => {
    const { load } = setup();
    const live = [{ target: { tradesShed: 3 } }, { target: { tradesShed: 4 } }];
    expect(load.tradesShed(live)).toBe(7);
    load.removed(5);
    expect(load.tradesShed(live.slice(1))).toBe(9);
  });
});
