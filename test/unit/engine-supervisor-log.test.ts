// Records forwarded by the streaming process are rate limited where the supervisor
// writes them: a process sending 10,000 different records writes a bounded number.
import { describe, expect, it, vi } from 'vitest';
import { StreamingSupervisor } from '../../electron/engine/supervisor/streaming-supervisor';
import type { LogRecord } from '../../shared/contract/streaming-protocol';
import { defaultSettings } from '../../shared/settings';
import { recordingLogger } from '../support/loggers';
import { FakeStreamingProcess } from '../support/fake-streaming-process';
import { fakeTimersInEachTest } from '../support/fake-timers';

/** A process that is only a message pipe: the test speaks for the child. */
class PipeProcess extends FakeStreamingProcess {
  readonly pid = 4242;
  post(): void {}
  terminate(): void {}
  kill(): void {}
}

fakeTimersInEachTest();

describe('StreamingSupervisor: forwarded log records', () => {
  it('writes a bounded number of a flood of different records, and says how many it refused', async () => {
    const lines: string[] = [];
    const child = new PipeProcess();
    const supervisor = new StreamingSupervisor(
      { spawn: () => child, log: recordingLogger(lines, 'streaming'), exchanges: () => [], streaming: () => defaultSettings().streaming },
      { ticks: () => undefined, status: () => undefined, outage: () => undefined, connectionEvents: () => undefined },
    );
    const started = supervisor.start();
    child.send({ type: 'ready', pid: 4242 });
    await started;
    for (let batch = 0; batch < 100; batch++) {
      const records: LogRecord[] = Array.from({ length: 100 }, (_, i) => ({ level: 'error', scope: 'ccxt', message: `error ${batch}/${i} ${'e'.repeat(200)}`, at: Date.now() }));
      child.send({ type: 'log', records });
    }
    const forwarded = lines.filter((l) => l.startsWith('error streaming:ccxt error'));
    // 256,000 characters of burst at ~210 each plus 64 for the line prefix: about 930 of the 10,000.
    expect(forwarded.length).toBeGreaterThan(800);
    expect(forwarded.length).toBeLessThan(1_200);
    expect(lines.filter((l) => l.includes('are rate-limited'))).toEqual(['warn streaming log records from the streaming process are rate-limited; refusals are counted']);
    vi.advanceTimersByTime(10_000);
    const summaries = lines.filter((l) => l.includes('refused'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/^warn streaming log records from the streaming process refused \d+ times in 10 s$/);
  });
});
