import { describe, expect, it } from 'vitest';
import { TurnYield, type TurnClock } from '../../electron/streaming/turn-yield';

/** Time moves and turns happen only when the test says so. */
class FakeTurns implements TurnClock {
  t = 0;
  readonly queued: (() => void)[] = [];
  now(): number {
    return this.t;
  }
  immediate(fn: () => void): void {
    this.queued.push(fn);
  }
  turn(): void {
    const fns = this.queued.splice(0);
    for (const fn of fns) fn();
  }
}

describe('TurnYield', () => {
  it('lets work go on within the budget, with one marker per turn', () => {
    const clock = new FakeTurns();
    const turns = new TurnYield(20, clock);
    expect(turns.due()).toBeUndefined();
    clock.t = 19;
    expect(turns.due()).toBeUndefined();
    expect(clock.queued.length).toBe(1);
    expect(turns.yields).toBe(0);
  });

  it('once the turn outlasts its budget, every caller waits for the same next turn', async () => {
    const clock = new FakeTurns();
    const turns = new TurnYield(20, clock);
    turns.due();
    clock.t = 20;
    const a = turns.due();
    const b = turns.due();
    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(turns.yields).toBe(1);
    const trace: string[] = [];
    void a!.then(() => trace.push('resumed'));
    await Promise.resolve();
    expect(trace).toEqual([]);
    clock.turn();
    await a;
    expect(trace).toEqual(['resumed']);
    // A new turn: a new marker, a new budget.
    clock.t = 35;
    expect(turns.due()).toBeUndefined();
    clock.t = 54;
    expect(turns.due()).toBeUndefined();
    clock.t = 55;
    expect(turns.due()).toBeDefined();
    expect(turns.yields).toBe(2);
  });

  it('a turn that happened resets the clock even when nobody waited', () => {
    const clock = new FakeTurns();
    const turns = new TurnYield(20, clock);
    turns.due();
    clock.turn();
    clock.t = 100;
    expect(turns.due()).toBeUndefined();
    expect(clock.queued.length).toBe(1);
  });

  it('a frame over budget pauses every tracked socket once, and the next turn resumes them', () => {
    const clock = new FakeTurns();
    const turns = new TurnYield(20, clock);
    const trace: string[] = [];
    const socket = (name: string) => ({ pause: () => trace.push(`pause ${name}`), resume: () => trace.push(`resume ${name}`) });
    const a = socket('a');
    turns.track(a);
    turns.track(socket('b'));
    turns.frame();
    clock.t = 25;
    turns.frame();
    turns.frame();
    expect(trace).toEqual(['pause a', 'pause b']);
    turns.untrack(a);
    clock.turn();
    expect(trace).toEqual(['pause a', 'pause b', 'resume b']);
    expect(turns.pauses).toBe(1);
    // Within budget nothing pauses.
    turns.frame();
    clock.t = 30;
    turns.frame();
    expect(trace.length).toBe(3);
  });
});
