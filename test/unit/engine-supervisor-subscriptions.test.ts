import { describe, expect, it } from 'vitest';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';
import type { SubscriptionKey } from '../../shared/market';
import { StreamingTuningSchema } from '../../shared/settings';
import { StreamingSupervisor } from '../../electron/engine/supervisor/streaming-supervisor';
import { quietLogger } from '../support/loggers';
import { RecordingStreamingProcess } from '../support/fake-streaming-process';

const key = (symbol: string): SubscriptionKey => ({ exchange: 'sim', symbol, channel: 'ticker' });
const subs = (posted: ToStreaming[]) => posted.filter((m) => m.type === 'subscribe' || m.type === 'unsubscribe').map((m) => `${m.type} ${'subs' in m ? m.subs.map((s) => s.symbol).join(',') : ''}`);

describe('StreamingSupervisor subscriptions', () => {
  it('sends exactly the difference of each change to the running process', async () => {
    const proc = new RecordingStreamingProcess();
    const supervisor = new StreamingSupervisor(
      { spawn: () => proc, log: quietLogger, exchanges: () => [], streaming: () => StreamingTuningSchema.parse({}) },
      { ticks: () => undefined, status: () => undefined, outage: () => undefined, connectionEvents: () => undefined },
    );
    const started = supervisor.start();
    proc.send({ type: 'ready', pid: 4242 });
    await started;

    supervisor.changeSubscriptions([key('A/USDT'), key('B/USDT')], []);
    supervisor.changeSubscriptions([key('B/USDT'), key('C/USDT')], [key('A/USDT')]); // B is already there
    supervisor.changeSubscriptions([], [key('X/USDT')]); // not there: nothing to send
    supervisor.setSubscriptions([key('C/USDT'), key('D/USDT')]);
    expect(subs(proc.posted)).toEqual(['subscribe A/USDT,B/USDT', 'unsubscribe A/USDT', 'subscribe C/USDT', 'unsubscribe B/USDT', 'subscribe D/USDT']);
    expect(supervisor.subscriptions.map((k) => k.symbol)).toEqual(['C/USDT', 'D/USDT']);

    await supervisor.stop(new AbortController().signal);
    expect(supervisor.state).toBe('stopped');
  });
});
