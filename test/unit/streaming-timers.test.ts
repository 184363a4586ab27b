import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { boundedWait, nextTurn, ownedInterval, ownedTimeout, settleWithin, sleep } from '../../shared/lifecycle/timers';
import { FakeTime, settle } from './streaming-fake-time';

describe('owned timers on an injected scheduler', () => {
  it('a timeout fires once at its time and is counted by its owner until then', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    const fired: number[] = [];
    ownedTimeout(time, owner, () => fired.push(time.now()), 100, 'backoff');
    expect(owner.counts()).toEqual({ backoff: 1 });
    await time.advance(99);
    expect(fired).toEqual([]);
    await time.advance(1);
    expect(fired).toEqual([1_000_100]);
    expect(owner.size()).toBe(0);
  });

  it('disposing the owner cancels timeouts and intervals', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    const fired: string[] = [];
    ownedTimeout(time, owner, () => fired.push('timeout'), 100);
    ownedInterval(time, owner, () => fired.push('tick'), 30);
    await time.advance(70);
    expect(fired).toEqual(['tick', 'tick']);
    owner.dispose();
    await time.advance(1000);
    expect(fired).toEqual(['tick', 'tick']);
    expect(time.pending).toBe(0);
  });

  it('an interval keeps running when its callback throws, and stops when its registration is disposed', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    let n = 0;
    const reg = ownedInterval(time, owner, () => {
      n++;
      throw new Error('boom');
    }, 10);
    await expect(time.advance(10)).rejects.toThrow('boom');
    await expect(time.advance(10)).rejects.toThrow('boom');
    expect(n).toBe(2);
    reg.dispose();
    await settle();
    await time.advance(100);
    expect(n).toBe(2);
  });

  it('sleep resolves at its time, or at once on abort', async () => {
    const time = new FakeTime();
    const ctl = new AbortController();
    const woke: string[] = [];
    void sleep(time, 50, new AbortController().signal).then(() => woke.push(`slept ${time.now() - 1_000_000}`));
    void sleep(time, 500, ctl.signal).then(() => woke.push(`aborted ${time.now() - 1_000_000}`));
    await time.advance(50);
    expect(woke).toEqual(['slept 50']);
    ctl.abort();
    await settle();
    expect(woke).toEqual(['slept 50', 'aborted 50']);
    expect(time.pending).toBe(0);
  });
});

describe('settleWithin: one timeout-race convention', () => {
  it('gives the value when the work wins, and cancels its timer', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    const r = settleWithin(Promise.resolve(7), 100, time, owner);
    await expect(r).resolves.toEqual({ timedOut: false, value: 7 });
    await settle();
    expect(time.pending).toBe(0);
    expect(owner.size()).toBe(0);
  });

  it('says timedOut when the time runs out first; a rejection passes through', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    const outcome: unknown[] = [];
    void settleWithin(new Promise(() => undefined), 100, time, owner).then((r) => outcome.push(r));
    await time.advance(100);
    expect(outcome).toEqual([{ timedOut: true }]);
    await expect(settleWithin(Promise.reject(new Error('no')), 100, time, owner)).rejects.toThrow('no');
  });

  it('ends as a timeout when its owner is disposed (or already was)', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    const outcome: unknown[] = [];
    void settleWithin(new Promise(() => undefined), 10_000, time, owner).then((r) => outcome.push(r));
    owner.dispose();
    await settle();
    expect(outcome).toEqual([{ timedOut: true }]);
    await expect(settleWithin(new Promise(() => undefined), 10_000, time, owner)).resolves.toEqual({ timedOut: true });
  });

  it('boundedWait swallows rejections and timeouts', async () => {
    const time = new FakeTime();
    const owner = new Owner('t');
    await expect(boundedWait(Promise.reject(new Error('x')), 10, time, owner)).resolves.toBeUndefined();
    const done: string[] = [];
    void boundedWait(new Promise(() => undefined), 10, time, owner).then(() => done.push('done'));
    await time.advance(10);
    expect(done).toEqual(['done']);
    await expect(boundedWait(undefined, 10, time, owner)).resolves.toBeUndefined();
  });
});

describe('nextTurn and Owner.close: the runtime timers behind the one timers module', () => {
  it('nextTurn runs after the current turn and its promise callbacks; cancelled, it never runs', async () => {
    const order: string[] = [];
    nextTurn(() => order.push('next turn'));
    const cancel = nextTurn(() => order.push('cancelled'));
    cancel();
    void Promise.resolve().then(() => order.push('microtask'));
    order.push('this turn');
    await new Promise<void>((r) => nextTurn(r));
    expect(order).toEqual(['this turn', 'microtask', 'next turn']);
  });

  it('Owner.close waits on the given scheduler and reports the stoppers still running at its deadline', async () => {
    const time = new FakeTime();
    const owner = new Owner('root');
    owner.child('session').add('socket', () => new Promise<void>(() => undefined));
    owner.add('timer', () => undefined);
    const closed = owner.close(500, time);
    let late: Record<string, number> | undefined;
    void closed.then((r) => (late = r));
    await time.advance(499);
    expect(late).toBeUndefined();
    await time.advance(1);
    expect(late).toEqual({ socket: 1 });
    expect(time.pending).toBe(0);
  });
});
