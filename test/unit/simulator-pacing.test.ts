// Pacing: one list, one clock, n messages per due entry, bounded catch-up, deadlines.
import { describe, expect, it } from 'vitest';
import { Pacer, type Paced } from '../../simulator/pacer';

interface E extends Paced {
  name: string;
  sent: number;
}

const entry = (name: string): E => ({ name, sent: 0, nextDue: 0, slot: -1 });

/** Runs the pacer every `stepMs` from t0 to t1 and returns the entries' counts. */
function simulate(p: Pacer<E>, entries: E[], t0: number, t1: number, stepMs: number): void {
  for (let t = t0; t <= t1 + 1e-9; t += stepMs) p.run(t, (e, n) => (e.sent += n));
}

describe('pacer', () => {
  it('emits rate messages per second per entry, the first one at once', () => {
    const p = new Pacer<E>(4);
    const a = entry('a');
    const b = entry('b');
    p.add(a, 0);
    p.add(b, 100);
    let first = 0;
    p.run(0, (e, n) => {
      if (e === a) first = n;
      e.sent += n;
    });
    expect(first).toBe(1);
    simulate(p, [a, b], 5, 10_000, 5);
    // a: t = 0, 250, ..., 10000 -> 41; b: t = 100, 350, ..., 9850 -> 40
    expect(a.sent).toBe(41);
    expect(b.sent).toBe(40);
  });

  it('supports fractional rates', () => {
    const p = new Pacer<E>(0.5);
    const a = entry('a');
    p.add(a, 0);
    simulate(p, [a], 0, 10_000, 10);
    expect(a.sent).toBe(6); // t = 0, 2000, 4000, 6000, 8000, 10000
  });

  it('sends several messages per wake-up at high rates, exact over time', () => {
    const p = new Pacer<E>(10_000);
    const a = entry('a');
    p.add(a, 0);
    const batches: number[] = [];
    for (let t = 0; t <= 1000; t += 4) p.run(t, (_e, n) => batches.push(n));
    const total = batches.reduce((x, y) => x + y, 0);
    expect(total).toBe(10_001);
    // 40 per 4 ms wake-up (41 when floating point rounds a boundary the other way)
    expect(Math.min(...batches.slice(1))).toBeGreaterThanOrEqual(39);
    expect(Math.max(...batches.slice(1))).toBeLessThanOrEqual(41);
  });

  it('returns the next due time and Infinity when idle', () => {
    const p = new Pacer<E>(2);
    expect(p.run(0, () => {})).toBe(Infinity);
    const a = entry('a');
    p.add(a, 1000);
    expect(p.run(1000, () => {})).toBe(1500);
    expect(p.run(1200, () => {})).toBe(1500);
    p.remove(a);
    expect(p.size).toBe(0);
    expect(p.run(2000, () => {})).toBe(Infinity);
  });

  it('catches up at most maxLagMs of backlog after a stall and counts what it skipped', () => {
    const p = new Pacer<E>(1000, 20);
    const a = entry('a');
    p.add(a, 0);
    p.run(0, (e, n) => (e.sent += n));
    let n = 0;
    p.run(1000, (_e, k) => (n = k)); // a 1 s stall owes 1000 messages
    expect(n).toBe(21);
    expect(p.skipped).toBeGreaterThanOrEqual(975);
  });

  it('rate 0 pauses, a faster rate applies at once, a slower one after the pending message', () => {
    const p = new Pacer<E>(1);
    const a = entry('a');
    p.add(a, 0);
    p.run(0, () => {});
    expect(a.nextDue).toBe(1000);
    p.setRate(100, 10);
    expect(a.nextDue).toBe(20);
    p.setRate(0, 20);
    expect(p.run(5000, () => {})).toBe(Infinity);
    p.setRate(2, 6000);
    expect(a.nextDue).toBe(6500);
    expect(() => p.setRate(-1, 0)).toThrow(/rate/);
    expect(() => p.setRate(Number.NaN, 0)).toThrow(/rate/);
  });

  it('stops at the deadline, skips the rest, and serves the skipped entries first next time', () => {
    const p = new Pacer<E>(1);
    const es = ['a', 'b', 'c', 'd'].map(entry);
    for (const e of es) p.add(e, 0);
    const order: string[] = [];
    let clock = 0;
    p.run(0, (e) => {
      order.push(e.name);
      clock += 10;
    }, 15, () => clock);
    expect(order).toEqual(['a', 'b']);
    expect(p.skipped).toBe(2);
    order.length = 0;
    p.run(1000, (e) => order.push(e.name));
    expect(order).toEqual(['c', 'd', 'a', 'b']);
  });

});
