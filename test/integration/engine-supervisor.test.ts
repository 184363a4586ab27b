// The streaming supervisor with the real streaming process (built entry, forked as
// the headless host does) and the real simulator: ticks arrive, a hung process is
// killed and restarted, a crashed one is restarted, every subscription is restored
// exactly once, and a forced stop leaves no process behind.
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import { StreamingSupervisor, type StreamingSink } from '../../electron/engine/supervisor/streaming-supervisor';
import { pidAlive } from '../../electron/engine/supervisor/streaming-process';
import { nodeStreamingSpawner } from '../../electron/headless/node-streaming-process';
import { messageLogger } from '../support/loggers';
import { StreamingTuningSchema, type ExchangeSettings } from '../../shared/settings';
import type { TickBatch } from '../../shared/contract/tick-batch';
import { until } from '../support/until';

const ENTRY = resolve(__dirname, '../../out/streaming/streaming.cjs');
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

const logs: string[] = [];
const log = messageLogger(logs);

let sim: ExchangeSimulator | undefined;
let sup: StreamingSupervisor | undefined;
afterEach(async () => {
  if (sup) await sup.forceStop();
  sup = undefined;
  await sim?.stop();
  sim = undefined;
});

async function setup(): Promise<{ batches: TickBatch[]; supervisor: StreamingSupervisor }> {
  sim = new ExchangeSimulator({ ratePerSymbol: 20, symbols: SYMBOLS });
  await sim.start();
  const exchanges: ExchangeSettings[] = [{ id: 'sim', kind: 'ccxt', ccxtId: 'binance', simulated: false, enabled: true, urls: { rest: sim.urls.rest, ws: sim.urls.ws } }];
  const streaming = StreamingTuningSchema.parse({ backoff: { baseMs: 20, capMs: 200, jitter: 0 } });
  const batches: TickBatch[] = [];
  const sink: StreamingSink = { ticks: (b) => batches.push(b), status: () => undefined, outage: () => undefined, connectionEvents: () => undefined };
  const supervisor = new StreamingSupervisor(
    { spawn: nodeStreamingSpawner(ENTRY), log, exchanges: () => exchanges, streaming: () => streaming, heartbeatMs: 100, missedHeartbeats: 5, restartBaseMs: 50 },
    sink,
  );
  sup = supervisor;
  supervisor.setSubscriptions(SYMBOLS.map((symbol) => ({ exchange: 'sim', symbol, channel: 'ticker' as const })));
  await supervisor.start();
  return { batches, supervisor };
}

/** Each watched stream is subscribed by exactly one connection at the simulator. */
function subscribedOnce(): boolean {
  const streams = sim!.view().streams;
  return SYMBOLS.every((s) => streams[`${s.replace('/', '').toLowerCase()}@ticker`] === 1) && Object.keys(streams).length === SYMBOLS.length;
}

describe('streaming supervisor with a real streaming process', () => {
  it('delivers batches, then a hung process (SIGSTOP) is killed and restarted with every subscription restored once', async () => {
    const { batches, supervisor } = await setup();
    await until(() => batches.length > 3 && subscribedOnce(), 'first batches');
    const firstPid = supervisor.pid!;
    process.kill(firstPid, 'SIGSTOP');
    await until(() => supervisor.restarts === 1 && supervisor.state === 'running', 'restart after hang');
    // Its CPU time stood still: stopped, not merely busy.
    expect(supervisor.lastRestartReason).toMatch(/^hung \(stopped\)/);
    expect(pidAlive(firstPid)).toBe(false);
    expect(supervisor.pid).not.toBe(firstPid);
    const mark = batches.length;
    await until(() => batches.length > mark + 3, 'batches from the new process');
    // The stopped process's sockets are gone and the new one subscribed each stream once.
    await until(() => subscribedOnce() && sim!.view().connections.length === SYMBOLS.length, 'subscriptions restored exactly once');
  });

  it('restarts a crashed process (SIGKILL) and restores subscriptions', async () => {
    const { batches, supervisor } = await setup();
    await until(() => batches.length > 3, 'first batches');
    process.kill(supervisor.pid!, 'SIGKILL');
    await until(() => supervisor.restarts === 1 && supervisor.state === 'running', 'restart after crash');
    expect(supervisor.lastRestartReason).toMatch(/^crashed/);
    const mark = batches.length;
    await until(() => batches.length > mark + 3 && subscribedOnce(), 'batches after restart');
  });

  it('graceful stop: the process reports, exits, and the simulator sees every connection closed', async () => {
    const { batches, supervisor } = await setup();
    await until(() => batches.length > 3, 'first batches');
    const pid = supervisor.pid!;
    const unsubscribesBefore = sim!.view().totals.unsubscribes;
    await supervisor.stop(new AbortController().signal);
    expect(supervisor.lastShutdownReport?.clean).toBe(true);
    // Closing the sockets ends the subscriptions; no paced UNSUBSCRIBE round trips at quit.
    expect(sim!.view().totals.unsubscribes).toBe(unsubscribesBefore);
    expect(pidAlive(pid)).toBe(false);
    await until(() => sim!.view().connections.length === 0, 'no connections left');
    sup = undefined;
  });

  it('forceStop kills a SIGSTOPped process outright and the pid is gone', async () => {
    const { batches, supervisor } = await setup();
    await until(() => batches.length > 0, 'first batches');
    const pid = supervisor.pid!;
    process.kill(pid, 'SIGSTOP');
    const t0 = performance.now();
    await supervisor.forceStop();
    const took = performance.now() - t0;
    // SIGKILL has been sent; the pid disappears once our loop has reaped the zombie,
    // which on a crowded machine can be a turn or two later.
    await until(() => !pidAlive(pid), 'the killed pid to be reaped', 2000);
    // terminate is ignored by a stopped process; kill follows after the grace period.
    expect(took).toBeLessThan(1000);
    expect(logs.some((l) => l.includes('ignored terminate'))).toBe(true);
    sup = undefined;
  });
});
