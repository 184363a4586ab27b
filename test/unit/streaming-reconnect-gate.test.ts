import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { ReconnectGate } from '../../electron/streaming/reconnect-gate';
import { FakeTime, settle } from './streaming-fake-time';

const backoff = { baseMs: 100, capMs: 1000, factor: 2, jitter: 0.5 };

function setup() {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const gate = new ReconnectGate(backoff, time, {
    connecting: (attempt) => trace.push(`CONNECTING ${attempt} @${time.now() - 1_000_000}`),
    reconnecting: (attempt, delayMs) => trace.push(`RECONNECTING ${attempt} in ${delayMs}`),
    changed: () => undefined,
  }, () => 0); // no jitter drawn: delays are the nominal ones
  return { time, owner, trace, gate };
}

describe('ReconnectGate', () => {
  it('one outage: closes, opens after the backoff, wakes every waiting loop once', async () => {
    const { time, owner, trace, gate } = setup();
    const woke: string[] = [];
    const loops = ['a', 'b', 'c'].map((n) => gate.wait(new AbortController().signal).then(() => woke.push(n)));
    gate.scheduleRetry(owner);
    gate.scheduleRetry(owner); // a second loop reporting the same outage: no second backoff
    expect(gate.isOpen).toBe(false);
    expect(owner.counts()).toEqual({ backoff: 1 });
    await time.advance(99);
    expect(woke).toEqual([]);
    await time.advance(1);
    await Promise.all(loops);
    expect(woke).toEqual(['a', 'b', 'c']);
    expect(trace).toEqual(['RECONNECTING 1 in 100', 'CONNECTING 1 @100']);
    expect(gate.isOpen).toBe(true);
    expect(gate.epoch).toBe(1);
    expect(gate.reconnects).toBe(1);
  });

  it('an attempt fails once however many loops saw it fail, and late reports of an old epoch do not count', async () => {
    const { time, owner, trace, gate } = setup();
    gate.scheduleRetry(owner);
    await time.advance(100);
    const epoch = gate.epoch;
    expect(gate.failed(epoch - 1)).toBe(false); // issued before this attempt
    expect(gate.failed(epoch)).toBe(true);
    gate.scheduleRetry(owner);
    expect(gate.failed(epoch)).toBe(false); // gate closed: the same attempt, reported again
    expect(gate.attempt).toBe(1);
    await time.advance(200);
    expect(gate.failed(gate.epoch)).toBe(true);
    gate.scheduleRetry(owner);
    await time.advance(400);
    expect(trace).toEqual(['RECONNECTING 1 in 100', 'CONNECTING 1 @100', 'RECONNECTING 2 in 200', 'CONNECTING 2 @300', 'RECONNECTING 3 in 400', 'CONNECTING 3 @700']);
    gate.succeeded();
    expect(gate.attempt).toBe(0);
  });

  it('delays grow by the backoff and stay capped', async () => {
    const { time, owner, trace, gate } = setup();
    for (let i = 0; i < 6; i++) {
      gate.scheduleRetry(owner);
      await time.advance(1000);
      gate.failed(gate.epoch);
    }
    expect(trace.filter((t) => t.startsWith('RECONNECTING'))).toEqual(['RECONNECTING 1 in 100', 'RECONNECTING 2 in 200', 'RECONNECTING 3 in 400', 'RECONNECTING 4 in 800', 'RECONNECTING 5 in 1000', 'RECONNECTING 6 in 1000']);
  });

  it('shut cancels the pending retry; openNow(false) wakes loops without starting an attempt', async () => {
    const { time, owner, trace, gate } = setup();
    const woke: string[] = [];
    void gate.wait(new AbortController().signal).then(() => woke.push('loop'));
    gate.scheduleRetry(owner);
    gate.shut();
    expect(owner.size()).toBe(0);
    await time.advance(10_000);
    expect(gate.isOpen).toBe(false);
    expect(woke).toEqual([]);
    gate.openNow(false);
    await settle();
    expect(woke).toEqual(['loop']);
    expect(trace).toEqual(['RECONNECTING 1 in 100']);
    expect(gate.reconnects).toBe(0);
  });

  it('an aborted waiter leaves; disposing the owner cancels the retry', async () => {
    const { time, owner, gate } = setup();
    const ctl = new AbortController();
    const waited = gate.wait(ctl.signal);
    ctl.abort();
    await expect(waited).resolves.toBeUndefined();
    gate.scheduleRetry(owner);
    owner.dispose();
    await time.advance(10_000);
    expect(gate.isOpen).toBe(false);
    expect(time.pending).toBe(0);
  });
});
