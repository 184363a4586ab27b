// A renderer cannot flood the log or itself with notices: 10,000 log requests and
// 10,000 invalid messages from one client (and from many) leave a bounded number of
// lines and notices, and say how many were refused.
import { describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { assembleEngine } from '../../electron/engine/assemble-engine';
import type { RendererClient } from '../../electron/engine/renderer-link/renderer-link';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { defaultSettings, type Settings } from '../../shared/settings';
import { recordingLogger } from '../support/loggers';
import { fakeTimersInEachTest } from '../support/fake-timers';

function engineWith(lines: string[]): Engine {
  let settings: Settings = defaultSettings();
  return assembleEngine({
    kind: 'headless',
    log: recordingLogger(lines, 'host'),
    settings: { get: () => settings, update: (c) => (settings = c(settings)), commitChecked: (next) => (settings = next), flush: async () => undefined },
    spawnStreaming: () => {
      throw new Error('not started in this test');
    },
    flushLogs: () => undefined,
    exitApp: () => undefined,
  }).engine;
}

function client(id: string, received: ToRenderer[]): RendererClient {
  return { id, send: (m) => received.push(m) };
}

fakeTimersInEachTest();

describe('engine: renderer log discipline', () => {
  it('10,000 log requests from one client write a bounded number of lines, then a summary of the refusals', () => {
    const lines: string[] = [];
    const engine = engineWith(lines);
    engine.renderers.attach(client('c1', []));
    for (let i = 0; i < 10_000; i++) engine.renderers.receive('c1', { type: 'log', level: 'error', message: `boom ${i} ${'m'.repeat(100)}` });
    const records = lines.filter((l) => l.startsWith('error renderer:c1 boom'));
    // 32,000 characters of burst at ~110 each plus 64 for the line prefix: about 185 records,
    // whatever the clock did meanwhile.
    expect(records.length).toBeGreaterThan(150);
    expect(records.length).toBeLessThan(300);
    expect(lines.filter((l) => l.includes('renderer log records from c1 are rate-limited'))).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(lines.at(-1)).toMatch(/^warn engine renderer log records from c1 refused \d+ times in 10 s$/);
    expect(lines.length).toBeLessThan(records.length + 3);
  });

  it('10,000 invalid messages give a bounded number of log lines and notices', () => {
    const lines: string[] = [];
    const received: ToRenderer[] = [];
    const engine = engineWith(lines);
    engine.renderers.attach(client('c1', received));
    const greeting = received.length;
    for (let i = 0; i < 10_000; i++) engine.renderers.receive('c1', { type: 'nonsense', i });
    const notices = received.slice(greeting).filter((m) => m.type === 'notice');
    const refusedLines = lines.filter((l) => l.includes('invalid message from renderer refused'));
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.length).toBeLessThan(200);
    expect(refusedLines.length).toBe(notices.length);
    vi.advanceTimersByTime(10_000);
    expect(lines.at(-1)).toMatch(/^warn engine invalid renderer messages from c1 refused \d+ times in 10 s$/);
    expect(lines.length).toBeLessThan(refusedLines.length + 3);
  });

  it('many clients share one budget: 100 clients × 1,000 log requests stay bounded too', () => {
    const lines: string[] = [];
    const engine = engineWith(lines);
    for (let c = 0; c < 100; c++) engine.renderers.attach(client(`c${c}`, []));
    for (let i = 0; i < 1_000; i++) for (let c = 0; c < 100; c++) engine.renderers.receive(`c${c}`, { type: 'log', level: 'info', message: `hi ${'m'.repeat(100)}` });
    vi.advanceTimersByTime(10_000);
    // 64,000 characters of shared burst (~370 records), plus at most a notice and a summary per client that drained its own share.
    expect(lines.length).toBeLessThan(700);
    expect(lines.some((l) => l === 'warn engine renderer log records from all sources are rate-limited; refusals are counted')).toBe(true);
  });
});
