import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { KeepAliveMonitor } from '../../electron/streaming/adapters/futu/keepalive-monitor';
import { UnsubscribeDeferral } from '../../electron/streaming/adapters/futu/unsubscribe-deferral';
import { RestorePlan } from '../../electron/streaming/adapters/futu/restore-plan';
import { FakeTime } from './streaming-fake-time';

/** A keep-alive sender whose answers the test gives or withholds. */
function sender(trace: string[], time: FakeTime) {
  const waiting: { resolve: () => void; reject: () => void }[] = [];
  const send = () =>
    new Promise<void>((resolve, reject) => {
      trace.push(`send@${time.now() - 1_000_000}`);
      waiting.push({ resolve, reject });
    });
  return { send, answer: () => waiting.shift()!.resolve(), fail: () => waiting.shift()!.reject() };
}

describe('KeepAliveMonitor', () => {
  it('sends every interval and stays alive while answers come', async () => {
    const time = new FakeTime();
    const trace: string[] = [];
    const s = sender(trace, time);
    const m = new KeepAliveMonitor({ intervalMs: 1000, maxMisses: 2 }, time, new Owner('t'), s.send, (n) => trace.push(`dead:${n}`));
    m.start();
    for (let i = 0; i < 3; i++) {
      await time.advance(1000);
      s.answer();
    }
    await time.advance(0);
    expect(trace).toEqual(['send@1000', 'send@2000', 'send@3000']);
    expect([m.sent, m.answered]).toEqual([3, 3]);
  });

  it('calls the link dead after maxMisses unanswered intervals, once, and stops', async () => {
    const time = new FakeTime();
    const trace: string[] = [];
    const s = sender(trace, time);
    const owner = new Owner('t');
    const m = new KeepAliveMonitor({ intervalMs: 1000, maxMisses: 2 }, time, owner, s.send, (n) => trace.push(`dead:${n}@${time.now() - 1_000_000}`));
    m.start();
    await time.advance(1000); // sent, never answered
    await time.advance(1000); // miss 1: sends again
    s.fail(); // a rejected keep-alive is no answer
    await time.advance(1000); // miss 2: dead
    await time.advance(10_000);
    expect(trace).toEqual(['send@1000', 'send@2000', 'dead:2@3000']);
    expect(owner.counts()).toEqual({});
  });

  it('a late answer resets the misses; disposing the owner stops it', async () => {
    const time = new FakeTime();
    const trace: string[] = [];
    const s = sender(trace, time);
    const owner = new Owner('t');
    const m = new KeepAliveMonitor({ intervalMs: 1000, maxMisses: 2 }, time, owner, s.send, () => trace.push('dead'));
    m.start();
    await time.advance(2000); // two sends, first unanswered at the second tick (miss 1)
    s.answer(); // the first answer arrives late: link alive
    await time.advance(1000);
    expect(trace).toEqual(['send@1000', 'send@2000', 'send@3000']);
    owner.dispose();
    await time.advance(10_000);
    expect(trace).toHaveLength(3);
    expect(time.pending).toBe(0);
  });
});

describe('UnsubscribeDeferral', () => {
  it('unsubscribes at once after the minute, defers within it and fires at its end', async () => {
    const time = new FakeTime();
    const due: string[] = [];
    const d = new UnsubscribeDeferral(60_000, time, new Owner('t'), (k) => due.push(`${k}@${time.now() - 1_000_000}`));
    expect(d.unsubscribe('a')).toBe('not-subscribed');
    d.subscribed('a');
    d.subscribed('b');
    await time.advance(20_000);
    expect(d.unsubscribe('a')).toBe('deferred');
    expect(d.unsubscribe('a')).toBe('deferred'); // asked twice: one deferral
    await time.advance(40_000);
    expect(due).toEqual(['a@60000']);
    expect(d.unsubscribe('b')).toBe('now');
    expect(d.unsubscribe('a')).toBe('not-subscribed');
  });

  it('a re-subscribe within the minute cancels the deferral (OpenD still has it)', async () => {
    const time = new FakeTime();
    const due: string[] = [];
    const owner = new Owner('t');
    const d = new UnsubscribeDeferral(60_000, time, owner, (k) => due.push(k));
    d.subscribed('a');
    expect(d.resubscribe('a')).toBe(false);
    d.unsubscribe('a');
    expect(d.pending).toEqual(['a']);
    expect(d.resubscribe('a')).toBe(true);
    await time.advance(120_000);
    expect(due).toEqual([]);
    expect(owner.counts()).toEqual({});
    // The minute counts from the original subscription: past it, unsubscribe is immediate.
    expect(d.unsubscribe('a')).toBe('now');
  });

  it('a lost connection drops every deferral and every running minute', async () => {
    const time = new FakeTime();
    const due: string[] = [];
    const d = new UnsubscribeDeferral(60_000, time, new Owner('t'), (k) => due.push(k));
    d.subscribed('a');
    d.subscribed('b');
    d.unsubscribe('a');
    expect(d.connectionLost()).toEqual(['a']);
    await time.advance(120_000);
    expect(due).toEqual([]);
    expect(d.unsubscribe('b')).toBe('not-subscribed');
    expect(time.pending).toBe(0);
  });
});

describe('RestorePlan', () => {
  it('hands out the wanted keys once per connection generation', () => {
    const p = new RestorePlan();
    const g1 = p.loggedIn();
    expect(p.take(g1, ['x', 'y'])).toEqual(['x', 'y']);
    expect(p.take(g1, ['x', 'y'])).toEqual([]); // repeated login callback
    const g2 = p.loggedIn();
    expect(p.take(g1, ['x'])).toEqual([]); // a stale restore of the old connection
    expect(p.take(g2, new Set(['x']))).toEqual(['x']);
    expect(p.take(g2, ['x'])).toEqual([]);
  });
});
