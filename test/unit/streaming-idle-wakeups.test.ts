// What wakes an idle streaming process: with nothing subscribed, its heartbeat and
// nothing else. The parent's pid is polled on the heartbeat, not by a timer of its own.
import { afterEach, describe, expect, it } from 'vitest';
import { parseFromStreaming, type FromStreaming } from '../../shared/contract/streaming-protocol';
import { memoryChannel } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { defaultSettings } from '../../shared/settings';
import { FakeTime } from './streaming-fake-time';

/** memoryChannel delivers on real event-loop turns. */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** FakeTime that counts the timers it fired. */
class CountingTime extends FakeTime {
  fired = 0;
  override setTimeout(fn: () => void, ms: number): () => void {
    return super.setTimeout(() => {
      this.fired++;
      fn();
    }, ms);
  }
}

describe('StreamingService at idle', () => {
  let service: StreamingService | undefined;
  afterEach(async () => {
    await service?.shutdown(500);
    service = undefined;
  });

  it('wakes once per heartbeat (the parent watch rides on it) and notices a parent that is gone on the next beat', async () => {
    const { child, parent } = memoryChannel();
    const got: FromStreaming[] = [];
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (p.ok) got.push(p.value);
    });
    const time = new CountingTime();
    let parentAlive = true;
    const polled: number[] = [];
    const exits: number[] = [];
    service = new StreamingService({
      port: child,
      exit: (c) => exits.push(c),
      scheduler: time,
      isProcessAlive: (pid) => {
        polled.push(pid);
        return parentAlive;
      },
    });
    service.start();
    parent.send({ type: 'configure', exchanges: [], streaming: defaultSettings().streaming, parentPid: 4242, heartbeatMs: 500 });
    await turns();
    await time.advance(0); // the status sent after configure
    time.fired = 0;
    expect(time.pending).toBe(1); // the heartbeat; no parent-watch timer
    await time.advance(10_000);
    await turns();
    expect(time.fired).toBe(20);
    expect(got.filter((m) => m.type === 'heartbeat')).toHaveLength(20);
    expect(polled).toEqual(Array(20).fill(4242));

    parentAlive = false;
    await time.advance(500);
    await turns(20);
    const records = got.flatMap((m) => (m.type === 'log' ? m.records : []));
    expect(records.find((r) => r.message === 'parent gone: exiting')?.fields).toEqual({ why: 'parent pid 4242 is gone' });
    expect(exits).toEqual([0]);
  });
});
