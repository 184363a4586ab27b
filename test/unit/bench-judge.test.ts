import { describe, expect, it } from 'vitest';
import {
  drainMoved,
  CpuAccount, accountTrades, boundaryFloor, atLeast, heldGrowth, atMost, beforeAfter, offeredAsPlanned, worstOf, signedAtMost, durationVsCeiling, measuredCapacity, planForLoad, ratio, ratioAtLeast, ratioAtMost, rateVsCeiling, sustainedVerdict, times,
  type LoadFigures,
} from '../../bench/judge';
import { Reservoir } from '../../bench/stats';

describe('bench judging', () => {
  it('a ratio that is not a positive finite number is an ERROR, never a PASS', () => {
    expect(ratioAtMost(-6.2, 1.25)).toBe('ERROR'); // the negative-CPU run once printed PASS for "×−6.20"
    expect(ratioAtMost(0, 1.25)).toBe('ERROR');
    expect(ratioAtMost(NaN, 1.25)).toBe('ERROR');
    expect(ratioAtMost(Infinity, 1.25)).toBe('ERROR');
    expect(ratioAtMost(1.25, 1.25)).toBe('PASS');
    expect(ratioAtMost(1.26, 1.25)).toBe('FAIL');
    expect(ratioAtLeast(0.23, 0.6)).toBe('FAIL');
    expect(ratioAtLeast(0.61, 0.6)).toBe('PASS');
    expect(ratioAtLeast(NaN, 0.6)).toBe('ERROR');
  });

  it('an offered load is judged against the plan it names: ±20%, ERROR when not measured', () => {
    expect(offeredAsPlanned(9.6, 10)).toBe('PASS');
    expect(offeredAsPlanned(150, 10)).toBe('FAIL'); // the book rate the screen stage once offered while naming 10/s
    expect(offeredAsPlanned(658, 500)).toBe('FAIL');
    expect(offeredAsPlanned(400, 500)).toBe('PASS');
    expect(offeredAsPlanned(NaN, 10)).toBe('ERROR');
    expect(offeredAsPlanned(10, 0)).toBe('ERROR');
  });

  it('one row with several verdicts takes the worst', () => {
    expect(worstOf('PASS', 'FAIL')).toBe('FAIL');
    expect(worstOf('FAIL', 'ERROR', 'PASS')).toBe('ERROR');
    expect(worstOf('PASS', 'PASS')).toBe('PASS');
    expect(worstOf('INFO')).toBe('INFO');
  });

  it('a figure that was not measured is an ERROR', () => {
    expect(atMost(NaN, 2)).toBe('ERROR');
    expect(atMost(-1, 2)).toBe('ERROR');
    expect(atMost(0, 0)).toBe('PASS');
    expect(atMost(2.01, 2)).toBe('FAIL');
    expect(atLeast(NaN, 1)).toBe('ERROR');
    expect(atLeast(3, 1)).toBe('PASS');
  });

  it('a signed figure may be negative (gone before a deadline) but must be finite', () => {
    expect(signedAtMost(-845, 200)).toBe('PASS');
    expect(signedAtMost(201, 200)).toBe('FAIL');
    expect(signedAtMost(NaN, 200)).toBe('ERROR');
    expect(beforeAfter(-845)).toBe('845 ms before');
    expect(beforeAfter(12)).toBe('12 ms after');
    expect(beforeAfter(NaN)).toBe('n/a');
  });

  it('ratio() is NaN rather than negative or infinite', () => {
    expect(ratio(-11_900, 100)).toBeNaN();
    expect(ratio(5, 0)).toBeNaN();
    expect(ratio(5, 2)).toBe(2.5);
    expect(times(ratio(-11_900, 1920))).toBe('n/a');
    expect(times(1.6923)).toBe('×1.69');
  });

  it('figures relative to the ceiling: rates as a fraction of C, durations in 1/C', () => {
    expect(rateVsCeiling(19_069, 82_963)).toBe('0.23 C');
    expect(rateVsCeiling(1_000, 82_963)).toBe('0.012 C');
    expect(rateVsCeiling(1_000, undefined)).toBe('');
    expect(rateVsCeiling(1_000, 0)).toBe('');
    // 2 ms at 80k ticks/s = the time raw ccxt takes for 160 ticks
    expect(durationVsCeiling([1, 2], 80_000)).toBe('80 / 160 /C');
    expect(durationVsCeiling([NaN], 80_000)).toBe('');
    // a CPU cost per tick of 0.27 ms at C = 3,799/s: 1.03 ticks of raw ccxt's time
    expect(durationVsCeiling([0.2691], 3_799)).toBe('1.02 /C');
  });
});

describe('CpuAccount: a process replaced mid-stage', () => {
  it('adds the new process from zero instead of going negative', () => {
    const cpu = new CpuAccount();
    cpu.sample(100, 12_000);
    cpu.sample(100, 12_500);
    cpu.sample(200, 300); // replaced: the new pid has used 300 ms in this stage
    cpu.sample(200, 900);
    expect(cpu.totalMs).toBe(500 + 300 + 600);
    expect(cpu.replaced).toBe(1);
  });

  it('ignores readings of a pid that is gone (0 from /proc) and periods without a process', () => {
    const cpu = new CpuAccount();
    cpu.sample(undefined, 0);
    cpu.sample(7, 1000);
    cpu.sample(7, 0);
    cpu.sample(7, 1200);
    cpu.sample(undefined, 0);
    expect(cpu.totalMs).toBe(200);
    expect(cpu.replaced).toBe(0);
  });
});

describe('verdicts', () => {
  const ok: LoadFigures = {
    rowsWithData: 10, rows: 10, tradesLost: 0, tradesShed: 0, lostBatches: 0, tickerMismatches: 0, queuesBounded: true, simSkipped: 0, deliveredRatio: 0.99, restarts: 0,
  };

  it('a met load is sustained with no reasons', () => {
    expect(sustainedVerdict(ok)).toEqual({ sustained: true, reasons: [] });
  });

  it('a load that was not met says why, with figures', () => {
    const v = sustainedVerdict({ ...ok, rowsWithData: 362, rows: 500, restarts: 2, tradesLost: 242_060, deliveredRatio: 0.608 });
    expect(v.sustained).toBe(false);
    expect(v.reasons).toEqual(['only 362 of 500 rows received data', 'streaming process restarted 2×', '242,060 trades lost', 'delivered 60.8% of sent']);
    expect(sustainedVerdict({ ...ok, deliveredRatio: NaN }).reasons).toEqual(['delivered n/a% of sent']);
    // shed and counted is not lost, but a load that needed shedding was not met
    expect(sustainedVerdict({ ...ok, tradesShed: 11_279 })).toEqual({ sustained: false, reasons: ['11,279 trades shed (counted)'] });
  });

  it('trade accounting: delivered + shed = sent, else FAIL with the gap', () => {
    expect(accountTrades({ sent: 100, delivered: 90, shed: 10 })).toEqual({ status: 'PASS', gap: 0, text: 'sent 100, delivered 90, shed and counted 10; gap 0' });
    const missing = accountTrades({ sent: 1000, delivered: 900, shed: undefined });
    expect(missing.status).toBe('FAIL');
    expect(missing.gap).toBe(100);
    expect(missing.text).toBe('sent 1,000, delivered 900, shed: not reported by the streaming process; gap 100');
    expect(accountTrades({ sent: 5, delivered: 5, shed: undefined }).status).toBe('PASS');
    expect(accountTrades({ sent: NaN, delivered: 5, shed: 0 }).status).toBe('ERROR');
  });

  it('planForLoad spreads a load over symbols, then raises the per-stream rate', () => {
    // 3 messages per symbol step: the ticker's, and two trades (each stream's step makes one)
    expect(planForLoad(1000, 500)).toEqual({ symbols: 7, perStream: 50, offered: 1050 });
    expect(planForLoad(38_138, 500)).toEqual({ symbols: 255, perStream: 50, offered: 38_250 });
    expect(planForLoad(200_000, 500)).toEqual({ symbols: 500, perStream: 134, offered: 201_000 });
    expect(planForLoad(30, 60)).toEqual({ symbols: 1, perStream: 50, offered: 150 });
    expect(() => planForLoad(NaN, 500)).toThrow(/cannot plan/);
  });
});

describe('Reservoir', () => {
  it('keeps every value until full, then a bounded sample of the whole stream', () => {
    let i = 0;
    const seq = [0.0, 0.99, 0.5, 0.1];
    const r = new Reservoir(2, () => seq[i++ % seq.length]!);
    r.add(1);
    r.add(2);
    r.add(3); // seen 3: floor(0.0 × 3) = 0 → replaces slot 0
    r.add(4); // seen 4: floor(0.99 × 4) = 3 → dropped
    r.add(5); // seen 5: floor(0.5 × 5) = 2 → dropped
    r.add(6); // seen 6: floor(0.1 × 6) = 0 → replaces slot 0
    expect(r.count).toBe(6);
    expect(r.take()).toEqual([6, 2]);
    expect(r.count).toBe(0);
    expect(r.take()).toEqual([]);
  });
});

describe('measuredCapacity: what a storm doubles', () => {
  it('takes the highest sustained path rate of the same run', () => {
    const rates = [
      { label: '1k', deliveredPerS: 1000, sustained: true },
      { label: '20k', deliveredPerS: 19_069, sustained: true },
      { label: '50k', deliveredPerS: 26_579, sustained: false },
    ];
    expect(measuredCapacity(rates, 82_963)).toEqual({ perS: 19_069, source: 'highest sustained path rate (20k)' });
  });

  it('falls back to the lowest stage, then to the ceiling, and says so', () => {
    expect(measuredCapacity([{ label: '1k', deliveredPerS: 640, sustained: false }], 10_000)).toEqual({ perS: 640, source: 'no path rate sustained: delivered at 1k' });
    expect(measuredCapacity([], 10_000)).toEqual({ perS: 6000, source: 'no path stages: 0.6 C, the target capacity' });
    expect(measuredCapacity([], undefined)).toBeUndefined();
    expect(measuredCapacity([{ label: '1k', deliveredPerS: NaN, sustained: true }], NaN)).toBeUndefined();
  });

  it('held memory: the end of a soak against its half, NaN when a half saw no full collection', () => {
    const MB = 1024 * 1024;
    const flat = [{ t: 10, held: 30 * MB }, { t: 290, held: 40 * MB }, { t: 300, held: undefined }, { t: 590, held: 41 * MB }, { t: 600, held: 40 * MB }];
    expect(heldGrowth(flat, 600)).toEqual({ half: 40 * MB, end: 40 * MB, growth: 0 });
    const leak = [{ t: 300, held: 40 * MB }, { t: 600, held: 60 * MB }];
    expect(heldGrowth(leak, 600).growth).toBeCloseTo(0.5);
    expect(heldGrowth([{ t: 10, held: undefined }, { t: 600, held: 50 * MB }], 600).growth).toBeNaN();
    expect(heldGrowth([], 600).growth).toBeNaN();
    // judged as a signed figure: what shrank is bounded too
    expect(signedAtMost(heldGrowth(leak, 600).growth, 0.1)).toBe('FAIL');
    expect(signedAtMost(heldGrowth([{ t: 300, held: 50 * MB }, { t: 600, held: 40 * MB }], 600).growth, 0.1)).toBe('PASS');
    expect(signedAtMost(heldGrowth([], 600).growth, 0.1)).toBe('ERROR');
  });

  it('the process boundary floor: per message, scaled to the stage\'s messages per tick, beside the target\'s allowance', () => {
    // 50 ms/s for 300 batches + 100 acks a second: 125 µs a message
    const m = { floorMsPerS: 50, batchesPerS: 300, acksPerS: 100 };
    // 1,000 ticks/s carried by 394 messages/s; raw ccxt 65 µs/tick, target ×1.25: 16.25 µs/tick beyond it
    const slow = boundaryFloor(m, { messagesPerS: 394, unitsPerS: 1000, rawUsPerUnit: 65, targetRatio: 1.25 });
    expect(slow.perMessageUs).toBeCloseTo(125);
    expect(slow.floorUs).toBeCloseTo(49.25);
    expect(slow.allowanceUs).toBeCloseTo(16.25);
    expect(slow.exceeds).toBe(true);
    // many ticks per message: the boundary fits inside the allowance
    const fast = boundaryFloor(m, { messagesPerS: 800, unitsPerS: 20_000, rawUsPerUnit: 25, targetRatio: 1.25 });
    expect(fast.floorUs).toBeCloseTo(5);
    expect(fast.exceeds).toBe(false);
    // nothing is claimed from a reading that failed
    for (const bad of [{ ...m, floorMsPerS: NaN }, { ...m, batchesPerS: 0, acksPerS: 0 }]) {
      const r = boundaryFloor(bad, { messagesPerS: 394, unitsPerS: 1000, rawUsPerUnit: 65, targetRatio: 1.25 });
      expect(r.floorUs).toBeNaN();
      expect(r.exceeds).toBe(false);
    }
    expect(boundaryFloor(m, { messagesPerS: 394, unitsPerS: 1000, rawUsPerUnit: NaN, targetRatio: 1.25 }).exceeds).toBe(false);
  });
});

describe('drainMoved: when a drain is not over yet', () => {
  const still = { ticksIn: 10, streamingTicksIn: 50, streamingTicksPending: 0, dirty: 0, awaiting: 0 };
  it('is quiet only when neither process took a tick in and nothing waits to be sent or acked', () => {
    expect(drainMoved(still, still)).toBe(false);
    expect(drainMoved(still, { ...still, ticksIn: 11 })).toBe(true);
    // the host took nothing, but the streaming process is still reading its sockets' backlog
    expect(drainMoved(still, { ...still, streamingTicksIn: 60 })).toBe(true);
    expect(drainMoved(still, { ...still, streamingTicksPending: 3 })).toBe(true);
    expect(drainMoved(still, { ...still, dirty: 1 })).toBe(true);
    expect(drainMoved(still, { ...still, awaiting: 1 })).toBe(true);
  });
});
