// The streaming process aggregates repeated records at the source and rate limits
// the rest, so a fault storm does not become thousands of IPC log records.
import { describe, expect, it, vi } from 'vitest';
import { EventLog } from '../../electron/streaming/event-log';
import { parseFromStreaming, type FromStreaming, type LogRecord } from '../../shared/contract/streaming-protocol';
import { fakeScheduler } from '../support/fake-scheduler';
import { fakeTimersInEachTest } from '../support/fake-timers';

function capture() {
  const posted: FromStreaming[] = [];
  const log = new EventLog((m) => posted.push(m as FromStreaming), { windowMs: 10_000, rate: { capacity: 50, refillPerSec: 5 }, timers: fakeScheduler, clock: () => Date.now() });
  const records = (): LogRecord[] => posted.flatMap((m) => (m.type === 'log' ? m.records : []));
  const text = (): string[] => records().map((r) => `${r.level} ${r.scope} ${r.message}${r.fields ? ` ${JSON.stringify(r.fields)}` : ''}`);
  return { log, posted, records, text };
}

fakeTimersInEachTest();

describe('EventLog at the source', () => {
  it('sends a repeated record once and its count when the window closes', () => {
    const { log, posted, text } = capture();
    for (let i = 0; i < 5_000; i++) log.record('debug', 'ws', 'malformed frame ignored', { exchange: 'sim', error: `bad ${i}` });
    log.record('debug', 'ws', 'malformed frame ignored', { exchange: 'other', error: 'x' });
    log.flush();
    expect(text()).toEqual(['debug ws malformed frame ignored {"exchange":"sim","error":"bad 0"}', 'debug ws malformed frame ignored {"exchange":"other","error":"x"}']);
    vi.advanceTimersByTime(10_000);
    log.flush();
    expect(text().slice(2)).toEqual(['debug ws malformed frame ignored (repeated 4999 times in 10 s) {"exchange":"sim","error":"bad 0"}']);
    for (const m of posted) expect(parseFromStreaming(m).ok).toBe(true);
  });

  it('aggregates a reconnect storm per exchange and keeps every connection event for the timeline', () => {
    const { log, posted, text } = capture();
    for (let i = 0; i < 1_000; i++) {
      log.event({ kind: 'DISCONNECTED', exchange: 'sim', reason: 'close', message: `closed ${i}` });
      log.event({ kind: 'CONNECTING', exchange: 'sim' });
    }
    log.flush();
    const events = posted.flatMap((m) => (m.type === 'connection-events' ? m.events : []));
    expect(events).toHaveLength(2_000);
    expect(text()).toEqual(['warn connection DISCONNECTED {"exchange":"sim","reason":"close","message":"closed 0"}', 'info connection CONNECTING {"exchange":"sim"}']);
  });

  it('sends every event at the end of its turn, also when its log record is a counted repeat', () => {
    const { log, posted } = capture();
    log.event({ kind: 'ROTATING', exchange: 'sim', reason: 'rotation' });
    vi.advanceTimersByTime(0); // the end of the turn (a fake setImmediate)
    log.event({ kind: 'ROTATING', exchange: 'sim', reason: 'rotation' }); // its record is a repeat
    vi.advanceTimersByTime(0);
    const events = posted.flatMap((m) => (m.type === 'connection-events' ? m.events : []));
    expect(events.map((e) => e.kind)).toEqual(['ROTATING', 'ROTATING']);
    log.close();
  });

  it('rate limits ever-different records and reports the drops', () => {
    const { log, records, text } = capture();
    for (let i = 0; i < 10_000; i++) log.record('info', 'ccxt', `message ${i}`);
    log.flush();
    expect(records()).toHaveLength(51); // the burst, then one "dropped" record
    expect(text().at(-1)).toBe('warn log log records dropped at the source (rate limit)');
    vi.advanceTimersByTime(10_000);
    log.flush();
    expect(text().at(-1)).toBe('warn log log records dropped at the source (rate limit) (repeated 9949 times in 10 s)');
    // Refilled at 5 per second over the window: the capacity again.
    for (let i = 0; i < 100; i++) log.record('info', 'ccxt', `later ${i}`);
    log.flush();
    expect(records().filter((r) => r.message.startsWith('later'))).toHaveLength(50);
  });

  it('sends pending summaries when closed and starts no timer after', () => {
    const { log, text } = capture();
    log.record('error', 'protocol', 'invalid message from the parent ignored');
    log.record('error', 'protocol', 'invalid message from the parent ignored');
    log.close();
    expect(text()).toEqual(['error protocol invalid message from the parent ignored', 'error protocol invalid message from the parent ignored (repeated 1 time in 10 s)']);
    expect(vi.getTimerCount()).toBe(0);
    log.record('error', 'protocol', 'after close');
    expect(vi.getTimerCount()).toBe(0);
  });
});
