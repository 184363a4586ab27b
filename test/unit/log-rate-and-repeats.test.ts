// Repeat aggregation, token buckets and the per-source gate on fake time: exact
// traces of what reaches the log.
import { describe, expect, it, vi } from 'vitest';
import { RepeatAggregator } from '../../shared/log/repeat-aggregator';
import { KeyedTokenBuckets } from '../../shared/log/token-buckets';
import { guardRepeats } from '../../electron/engine/log/repeat-guard';
import { LINE_OVERHEAD, SourceGate } from '../../electron/engine/log/source-gate';
import { fakeScheduler } from '../support/fake-scheduler';
import { recordingLogger } from '../support/loggers';
import { fakeTimersInEachTest } from '../support/fake-timers';

fakeTimersInEachTest();

describe('RepeatAggregator', () => {
  it('passes the first occurrence, counts repeats, and summarises once when the window closes', () => {
    const trace: string[] = [];
    const agg = new RepeatAggregator<string>({ windowMs: 10_000, maxKeys: 10, timers: fakeScheduler, onSummary: (f, n, w) => trace.push(`summary ${f} ${n} ${w}`) });
    for (let i = 0; i < 413; i++) if (agg.offer('a', `a#${i}`)) trace.push(`write a#${i}`);
    expect(agg.offer('b', 'b#0')).toBe(true);
    expect(trace).toEqual(['write a#0']);
    vi.advanceTimersByTime(9_999);
    expect(trace).toEqual(['write a#0']);
    vi.advanceTimersByTime(1);
    // b had no repeats: no summary line for it.
    expect(trace).toEqual(['write a#0', 'summary a#0 412 10000']);
    expect(agg.size).toBe(0);
    // After the window the next occurrence is written at once again.
    expect(agg.offer('a', 'a#413')).toBe(true);
  });

  it('flush writes pending summaries now and leaves no timer behind', () => {
    const trace: string[] = [];
    const agg = new RepeatAggregator<string>({ windowMs: 10_000, maxKeys: 10, timers: fakeScheduler, onSummary: (f, n) => trace.push(`${f} ${n}`) });
    agg.offer('a', 'a');
    agg.offer('a', 'a');
    agg.offer('b', 'b');
    expect(vi.getTimerCount()).toBe(2);
    agg.flush();
    expect(trace).toEqual(['a 1']);
    expect(vi.getTimerCount()).toBe(0);
    agg.dispose();
    expect(agg.offer('a', 'a')).toBe(true);
    expect(agg.offer('a', 'a')).toBe(true); // disposed: no more windows, no more timers
    expect(vi.getTimerCount()).toBe(0);
  });

  it('opens at most maxKeys windows; further keys pass through', () => {
    const agg = new RepeatAggregator<string>({ windowMs: 1000, maxKeys: 2, timers: fakeScheduler, onSummary: () => undefined });
    expect([agg.offer('a', ''), agg.offer('b', ''), agg.offer('c', ''), agg.offer('c', '')]).toEqual([true, true, true, true]);
    expect(vi.getTimerCount()).toBe(2);
  });
});

describe('KeyedTokenBuckets', () => {
  it('allows the capacity at once, then the refill rate, per key', () => {
    let t = 0;
    const b = new KeyedTokenBuckets({ capacity: 10, refillPerSec: 5 }, () => t);
    expect(Array.from({ length: 12 }, () => b.take('a'))).toEqual([...Array(10).fill(true), false, false]);
    expect(b.take('b')).toBe(true); // keys are independent
    t = 1000;
    expect(Array.from({ length: 6 }, () => b.take('a'))).toEqual([true, true, true, true, true, false]);
    t = 60_000;
    expect(b.take('a', 10)).toBe(true); // refilled to the capacity, not beyond
    expect(b.take('a')).toBe(false);
  });

  it('charges at most the capacity, so one large record passes a full bucket', () => {
    const b = new KeyedTokenBuckets({ capacity: 100, refillPerSec: 1 }, () => 0);
    expect(b.has('a', 5_000_000)).toBe(true);
    expect(b.take('a', 5_000_000)).toBe(true);
    expect(b.take('a', 1)).toBe(false);
  });

  it('remembers at most maxKeys keys, forgetting the least recently used', () => {
    const b = new KeyedTokenBuckets({ capacity: 1, refillPerSec: 0 }, () => 0, 2);
    b.take('a');
    b.take('b');
    b.take('a'); // a is now the most recent
    b.take('c'); // forgets b
    expect(b.size).toBe(2);
    expect(b.take('a')).toBe(false);
    expect(b.take('b')).toBe(true); // forgotten: a full bucket again
  });
});

describe('guardRepeats', () => {
  it('writes the first of each (level, scope, message) at once and one summary per window', () => {
    const lines: string[] = [];
    const { logger, flush } = guardRepeats(recordingLogger(lines, 'root', true), 'host', { scheduler: fakeScheduler, windowMs: 10_000 });
    const streaming = logger.scope('streaming');
    for (let i = 0; i < 412; i++) streaming.warn('invalid message from streaming process dropped', { error: `bad #${i}` });
    streaming.error('invalid message from streaming process dropped', { error: 'other level' });
    logger.info('engine started');
    logger.write('info', 'renderer:c1', 'hello');
    logger.write('info', 'renderer:c2', 'hello');
    expect(lines).toEqual([
      'warn streaming invalid message from streaming process dropped {"error":"bad #0"}',
      'error streaming invalid message from streaming process dropped {"error":"other level"}',
      'info host engine started',
      'info renderer:c1 hello',
      'info renderer:c2 hello',
    ]);
    vi.advanceTimersByTime(10_000);
    expect(lines.slice(5)).toEqual(['warn streaming invalid message from streaming process dropped (repeated 411 times in 10 s)']);
    streaming.warn('invalid message from streaming process dropped', { error: 'later' });
    streaming.warn('invalid message from streaming process dropped', { error: 'later' });
    flush();
    expect(lines.slice(6)).toEqual([
      'warn streaming invalid message from streaming process dropped {"error":"later"}',
      'warn streaming invalid message from streaming process dropped (repeated 1 time in 10 s)',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('SourceGate', () => {
  const limits = { perSource: { capacity: 1000, refillPerSec: 100 }, total: { capacity: 1500, refillPerSec: 150 } };

  it('bounds one flooding source, says so once, and summarises the refusals per window', () => {
    const lines: string[] = [];
    const gate = new SourceGate({ what: 'renderer log records', log: recordingLogger(lines, 'engine', true), scheduler: fakeScheduler, windowMs: 10_000, ...limits });
    let admitted = 0;
    for (let i = 0; i < 10_000; i++) if (gate.admit('c1', 100 - LINE_OVERHEAD)) admitted++;
    expect(admitted).toBe(10);
    expect(lines).toEqual(['warn engine renderer log records from c1 are rate-limited; refusals are counted']);
    vi.advanceTimersByTime(10_000);
    expect(lines.slice(1)).toEqual(['warn engine renderer log records from c1 refused 9990 times in 10 s']);
    // Ten seconds refilled 1000 of capacity 1000: ten more records pass.
    for (let i = 0; i < 20; i++) if (gate.admit('c1', 100 - LINE_OVERHEAD)) admitted++;
    expect(admitted).toBe(20);
  });

  it('charges every line its prefix: empty records are not free', () => {
    const gate = new SourceGate({ what: 'records', log: recordingLogger([], 'root', true), scheduler: fakeScheduler, ...limits });
    let admitted = 0;
    for (let i = 0; i < 10_000; i++) if (gate.admit('c1', 0)) admitted++;
    expect(admitted).toBe(Math.floor(1000 / LINE_OVERHEAD));
  });

  it('bounds many sources together, and a refusal costs the other budget nothing', () => {
    const lines: string[] = [];
    const gate = new SourceGate({ what: 'records', log: recordingLogger(lines, 'root', true), scheduler: fakeScheduler, ...limits });
    let admitted = 0;
    for (let c = 0; c < 100; c++) for (let i = 0; i < 100; i++) if (gate.admit(`c${c}`, 100 - LINE_OVERHEAD)) admitted++;
    expect(admitted).toBe(15); // the total's capacity, not 100 clients × 10
    gate.dispose();
    // c0 used up its own budget (10), c1 the rest of the shared one (5); then one notice and
    // one summary for the shared budget, not two lines per client.
    expect(lines).toEqual([
      'warn root records from c0 are rate-limited; refusals are counted',
      'warn root records from all sources are rate-limited; refusals are counted',
      'warn root records from c0 refused 90 times in 10 s',
      'warn root records from all sources refused 9895 times in 10 s',
    ]);
    expect(gate.admit('c0', 1)).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
