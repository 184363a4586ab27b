import { describe, expect, it } from 'vitest';
import type { CandleMessage } from '../../shared/contract/candles';
import type { ToStreaming } from '../../shared/contract/streaming-protocol';
import { StreamingTuningSchema } from '../../shared/settings';
import { StreamingSupervisor } from '../../electron/engine/supervisor/streaming-supervisor';
import { RecordingStreamingProcess } from '../support/fake-streaming-process';
import { quietLogger } from '../support/loggers';



const key = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1m' } as const;
const demands = (posted: ToStreaming[]) => posted.filter((m) => m.type === 'candles-open' || m.type === 'candles-close').map((m) => ('consumer' in m ? `${m.type} ${m.key.timeframe} ${m.consumer}` : ''));

describe('StreamingSupervisor candles', () => {
  it('posts each open/close once, releases a gone renderer\'s consumers, and hands validated candle messages to the sink', async () => {
    const proc = new RecordingStreamingProcess();
    const got: CandleMessage[] = [];
    const supervisor = new StreamingSupervisor(
      { spawn: () => proc, log: quietLogger, exchanges: () => [], streaming: () => StreamingTuningSchema.parse({}) },
      { ticks: () => undefined, status: () => undefined, outage: () => undefined, connectionEvents: () => undefined, candles: (m) => got.push(m) },
    );
    const started = supervisor.start();
    proc.send({ type: 'ready', pid: 4242 });
    await started;

    supervisor.candleDemand({ type: 'candles-open', key, consumer: 'r1:a' });
    supervisor.candleDemand({ type: 'candles-open', key, consumer: 'r1:a' }); // already open
    supervisor.candleDemand({ type: 'candles-open', key: { ...key, timeframe: '1h' }, consumer: 'r2:a' });
    supervisor.candleDemand({ type: 'candles-close', key, consumer: 'r9:x' }); // never opened
    supervisor.releaseCandleConsumers('r1:');
    expect(demands(proc.posted)).toEqual(['candles-open 1m r1:a', 'candles-open 1h r2:a', 'candles-close 1m r1:a']);

    // Candle messages ride in the tick batch; each is validated on its own.
    const update = { type: 'candle-update', key, candle: { t: 60_000, o: 1, h: 2, l: 1, c: 2, v: 3 }, receivedAt: 1 };
    const invalid = { type: 'candle-update', key, candle: { t: 60_000, o: 1, h: 0.5, l: 1, c: 2, v: 3 }, receivedAt: 1 }; // high below the close
    const state = { type: 'candle-state', key, state: 'reconnecting' };
    proc.send({ type: 'ticks', seq: 0, sentAt: 0, keys: [], tickers: new Float64Array(0), trades: new Float64Array(0), tradeIds: [], books: [], gaps: [], candles: [update, invalid, state] });
    expect(got).toEqual([update, state]);
    expect(supervisor.invalidMessages).toBe(1);
    // On their own they are not part of the contract: refused.
    proc.send(update);
    expect(got).toHaveLength(2);
    expect(supervisor.invalidMessages).toBe(2);

    await supervisor.stop(new AbortController().signal);
  });
});
