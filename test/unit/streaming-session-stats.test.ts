import { describe, expect, it } from 'vitest';
import { connectionState, SessionStats, type ConnectionView } from '../../electron/streaming/session-stats';
import { FakeTime } from './streaming-fake-time';

const base = { exchange: 'sim', state: 'connected' as const, mode: 'live' as const, reconnects: 2, attempt: 1, connections: 3 };

describe('SessionStats', () => {
  it('messages per second over windows of at least 200 ms', async () => {
    const time = new FakeTime();
    const stats = new SessionStats(time);
    for (let i = 0; i < 50; i++) stats.message();
    await time.advance(100);
    expect(stats.status(base).messagesPerSec).toBe(0); // window not over yet
    await time.advance(150);
    expect(stats.status(base).messagesPerSec).toBe(200); // 50 in 250 ms
    await time.advance(500);
    expect(stats.status(base).messagesPerSec).toBe(0);
  });

  it('counts errors by class and keeps the latest with its time; passes the base through', async () => {
    const time = new FakeTime();
    const stats = new SessionStats(time);
    stats.error('network', 'reset');
    await time.advance(10);
    stats.error('network', 'reset again');
    stats.error('malformed', 'bad frame');
    const s = stats.status(base);
    expect(s).toMatchObject({ ...base, errors: { network: 2, malformed: 1, timeout: 0 }, lastError: { class: 'malformed', message: 'bad frame', at: 1_000_010 } });
    s.errors.network = 99; // a copy
    expect(stats.status(base).errors.network).toBe(2);
  });

  it('reports latency percentiles from its rings', () => {
    const stats = new SessionStats(new FakeTime());
    for (let i = 1; i <= 100; i++) stats.exchangeLatency.push(i);
    stats.processingLatency.push(3);
    const s = stats.status(base);
    expect(s.exchangeLatencyMs).toEqual({ p50: 50, p99: 99 });
    expect(s.processingLatencyMs).toEqual({ p50: 3, p99: 3 });
    expect(s.lastError).toBeUndefined();
  });
});

describe('connectionState', () => {
  const v = (over: Partial<ConnectionView>): ConnectionView => ({ closing: false, active: true, mode: 'live', reconnecting: false, anyStale: () => false, sockets: 1, ...over });
  it('names the state, most severe first', () => {
    expect(connectionState(v({ closing: true, active: false }))).toBe('closed');
    expect(connectionState(v({ active: false }))).toBe('idle');
    expect(connectionState(v({ mode: 'polling', reconnecting: true }))).toBe('down');
    expect(connectionState(v({ mode: 'down' }))).toBe('down');
    expect(connectionState(v({ reconnecting: true, anyStale: () => true }))).toBe('reconnecting');
    expect(connectionState(v({ anyStale: () => true }))).toBe('stale');
    expect(connectionState(v({ sockets: 0 }))).toBe('connecting');
    expect(connectionState(v({}))).toBe('connected');
  });
});
