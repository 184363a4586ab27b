// The broker connect handshake IB and Futu share, on fake time: it settles once,
// the budget fails a silent server, and every failure hangs the attempt up; a
// hang-up fails the handshake in progress and a connect() that outlived it.
import { describe, expect, it, vi } from 'vitest';
import { BrokerError } from '../../electron/streaming/adapters/adapter';
import { ConnectAttempts, Handshake, HANDSHAKE_MS } from '../../electron/streaming/adapters/handshake';
import { Owner } from '../../shared/lifecycle/owner';
import { fakeScheduler } from '../support/fake-scheduler';
import { fakeTimersInEachTest } from '../support/fake-timers';

fakeTimersInEachTest();

const BUDGET_MS = 5000;

/** A handshake whose outcome and hang-ups are written to `trace`. */
function traced(owner = new Owner('adapter')) {
  const trace: string[] = [];
  const hs = new Handshake(fakeScheduler, owner, BUDGET_MS, () => new BrokerError('no answer within 5000 ms', 'timeout'), () => trace.push('hang up'));
  hs.done.then(
    () => trace.push('ready'),
    (e: Error) => trace.push(`failed ${e instanceof BrokerError ? e.errorClass : 'other'}: ${e.message}`),
  );
  return { hs, trace, owner };
}

describe('Handshake', () => {
  it('resolves on ready, once, and leaves no timer owned', async () => {
    const { hs, trace, owner } = traced();
    expect(owner.counts()).toEqual({ handshake: 1 });
    expect(hs.pending).toBe(true);
    expect(hs.ready()).toBe(true);
    expect(hs.ready()).toBe(false);
    hs.fail(new BrokerError('hung up', 'network')); // too late: the attempt succeeded
    await vi.advanceTimersByTimeAsync(BUDGET_MS * 2);
    expect(trace).toEqual(['ready']);
    expect(hs.pending).toBe(false);
    expect(owner.counts()).toEqual({});
  });

  it('fails a server silent for the whole budget as a timeout, hanging up once', async () => {
    const { hs, trace, owner } = traced();
    await vi.advanceTimersByTimeAsync(BUDGET_MS - 1);
    expect(trace).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(trace).toEqual(['hang up', 'failed timeout: no answer within 5000 ms']);
    expect(hs.ready()).toBe(false); // a late answer does not revive it
    await vi.advanceTimersByTimeAsync(0);
    expect(trace).toEqual(['hang up', 'failed timeout: no answer within 5000 ms']);
    expect(owner.counts()).toEqual({});
  });

  it('fails with the first error only, and the timer is gone with it', async () => {
    const { hs, trace, owner } = traced();
    hs.fail(new BrokerError('client id in use', 'exchange', 326));
    hs.fail(new BrokerError('hung up before TWS answered', 'network'));
    expect(owner.counts()).toEqual({});
    await vi.advanceTimersByTimeAsync(BUDGET_MS * 2);
    expect(trace).toEqual(['hang up', 'failed exchange: client id in use']);
  });

  it('a dial that throws fails the attempt with its error and hangs up', async () => {
    const { hs, trace, owner } = traced();
    const done = hs.dial(() => {
      throw new Error('socket refused');
    });
    expect(done).toBe(hs.done);
    await vi.advanceTimersByTimeAsync(0);
    expect(trace).toEqual(['hang up', 'failed other: socket refused']);
    expect(owner.counts()).toEqual({});
  });

  it('a dial that returns leaves the attempt waiting for the broker', async () => {
    const { hs, trace } = traced();
    const dialled: string[] = [];
    void hs.dial(() => dialled.push('connect'));
    await vi.advanceTimersByTimeAsync(BUDGET_MS - 1);
    expect(dialled).toEqual(['connect']);
    expect(hs.pending).toBe(true);
    hs.ready();
    await vi.advanceTimersByTimeAsync(0);
    expect(trace).toEqual(['ready']);
  });

  it('disposing the owner stops the budget timer: no timeout fires afterwards', async () => {
    const { trace, owner } = traced();
    owner.dispose();
    await vi.advanceTimersByTimeAsync(BUDGET_MS * 2);
    expect(trace).toEqual([]);
  });
});

describe('ConnectAttempts', () => {
  it('times a silent server out after HANDSHAKE_MS, naming the server and where', async () => {
    const owner = new Owner('adapter');
    const attempts = new ConnectAttempts(fakeScheduler, owner, 'TWS');
    const trace: string[] = [];
    const hs = attempts.handshake('127.0.0.1:7497', () => trace.push('hang up'));
    hs.done.catch((e: BrokerError) => trace.push(`${e.errorClass}: ${e.message}`));
    await vi.advanceTimersByTimeAsync(HANDSHAKE_MS);
    expect(trace).toEqual(['hang up', 'timeout: no answer from TWS at 127.0.0.1:7497 within 5000 ms']);
  });

  it('a hang-up fails the handshake in progress, once; a settled one is left alone', async () => {
    const attempts = new ConnectAttempts(fakeScheduler, new Owner('adapter'), 'OpenD');
    const trace: string[] = [];
    const first = attempts.handshake('h:1', () => trace.push('close first'));
    first.ready();
    attempts.hangUp(); // the first is connected: hanging up is the adapter's own close, not a failed handshake
    const second = attempts.handshake('h:1', () => trace.push('close second'));
    second.done.catch((e: BrokerError) => trace.push(`${e.errorClass}: ${e.message}`));
    attempts.hangUp();
    attempts.hangUp();
    await vi.advanceTimersByTimeAsync(0);
    expect(trace).toEqual(['close second', 'network: hung up before OpenD answered']);
  });

  it('a connect() that a hang-up outlived gives up before dialling', () => {
    const attempts = new ConnectAttempts(fakeScheduler, new Owner('adapter'), 'TWS');
    const token = attempts.begin();
    expect(() => attempts.check(token)).not.toThrow();
    attempts.hangUp();
    expect(() => attempts.check(token)).toThrow(new BrokerError('hung up before connecting', 'network'));
    expect(() => attempts.check(attempts.begin())).not.toThrow(); // the next connect() is not affected
  });
});
