import { describe, expect, it } from 'vitest';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { FromRendererSchema } from '../../shared/contract/renderer-api';
import { DiagnosticsReporter } from '../../electron/engine/diagnostics/diagnostics-reporter';
import type { StreamingSnapshot } from '../../electron/engine/supervisor/streaming-snapshot';
import { FakeTime } from './streaming-fake-time';

function harness() {
  const time = new FakeTime();
  const sent: { at: number; message: ToRenderer }[] = [];
  const supervisor: StreamingSnapshot = { vitals: undefined, pid: undefined, restarts: 0, state: 'running', lastRestartReason: undefined, messagesIn: 0, batchesIn: 0, ticksIn: 0, messagesOut: 0, lostBatches: 0, invalidMessages: 0 };
  const reporter = new DiagnosticsReporter(
    {
      streaming: { snapshot: () => ({ ...supervisor }) },
      handlerCounts: () => ({}),
      components: () => [],
      framesSent: () => 0,
      broadcast: (message) => sent.push({ at: time.now(), message }),
    },
    [],
    time,
  );
  const diagnostics = () => sent.filter((s) => s.message.type === 'diagnostics').map((s) => s.at - 1_000_000);
  return { time, reporter, supervisor, diagnostics };
}

describe('DiagnosticsReporter cadence', () => {
  it('sends full diagnostics at 2 Hz only while some renderer shows the panel', async () => {
    const h = harness();
    await h.reporter.start();
    await h.time.advance(1000); // nobody watching: the status-bar fields once, then nothing
    expect(h.diagnostics()).toEqual([1000]);
    await h.time.advance(3000);
    expect(h.diagnostics()).toEqual([1000]);

    h.reporter.setWatching('a', true); // at once, then every 500 ms
    await h.time.advance(1000);
    expect(h.diagnostics()).toEqual([1000, 4000, 4500, 5000]);

    h.reporter.setWatching('b', true);
    h.reporter.setWatching('a', false); // b still watches
    await h.time.advance(500);
    expect(h.diagnostics()).toEqual([1000, 4000, 4500, 5000, 5500]);

    h.reporter.setWatching('b', false);
    await h.time.advance(5000);
    expect(h.diagnostics()).toHaveLength(5);
    await h.reporter.stop();
    expect(h.time.pending).toBe(0);
  });

  it('while hidden, sends only when the streaming state or restarts the status bar shows change', async () => {
    const h = harness();
    await h.reporter.start();
    await h.time.advance(2000);
    expect(h.diagnostics()).toEqual([1000]);
    h.supervisor.state = 'restarting';
    await h.time.advance(1000);
    h.supervisor.state = 'running';
    h.supervisor.restarts = 1;
    await h.time.advance(2000);
    expect(h.diagnostics()).toEqual([1000, 3000, 4000]);
    expect(h.reporter.latest?.streaming).toMatchObject({ state: 'running', restarts: 1 });
    await h.reporter.stop();
  });

  it('the request is validated at the boundary', () => {
    expect(FromRendererSchema.safeParse({ type: 'diagnostics-visible', visible: true }).success).toBe(true);
    expect(FromRendererSchema.safeParse({ type: 'diagnostics-visible', visible: 'yes' }).success).toBe(false);
    expect(FromRendererSchema.safeParse({ type: 'diagnostics-visible', visible: true, extra: 1 }).success).toBe(false);
  });
});
