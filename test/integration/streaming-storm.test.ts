// A market storm with sockets dropping: ccxt sends throttled SUBSCRIBE frames after
// the socket began closing, and before the fix each such send rejected with
// "WebSocket is not open: readyState 2 (CLOSING)" where nobody listened (dozens of
// "unhandled rejection" log lines per second from the streaming process). And a busy
// process must not take its own lag for the exchange's silence.
import { afterEach, describe, expect, it } from 'vitest';
import { fastStreaming, Harness } from './streaming-harness';

let h: Harness | undefined;
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);

afterEach(async () => {
  process.off('unhandledRejection', onRejection);
  await h?.stop();
  h = undefined;
});

describe('streaming: sockets dropped under a burst', () => {
  it('leaves no unhandled rejection behind, and every subscription recovers', async () => {
    process.on('unhandledRejection', onRejection);
    h = await new Harness({ symbols: 20 }).start(fastStreaming({ backoff: { baseMs: 10, capMs: 20, factor: 2, jitter: 0.5, maxAttempts: 1000 }, circuit: { failureThreshold: 1000, probeIntervalMs: 400, pollIntervalMs: 150 } }));
    const symbols = h.sim.symbols.slice(0, 20);
    for (const channel of ['ticker', 'trades', 'book'] as const) h.subscribe([...symbols], channel);
    h.sim.fault({ kind: 'burst', ratePerSymbol: 200, durationMs: 1500 });
    // Drop every socket again and again while the subscribe frames are still queued in ccxt's throttle.
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 40 + (i % 3) * 15));
      h.sim.fault({ kind: 'drop', code: i % 2 ? 1000 : 1006 });
    }
    const mark = h.mark();
    await h.until(() => symbols.every((s) => h!.tickerRows(`sim|${s}`, mark) > 0), 'data from every symbol after the storm', 20_000);
    await new Promise((r) => setTimeout(r, 300)); // late sends settle
    expect(rejections.map((e) => String((e as Error)?.message ?? e))).toEqual([]);
  }, 30_000);

  it('a busy event loop is not the exchange falling silent: nothing is declared stale, no socket is cut', async () => {
    // ccxt's own keepalive would judge the stall by missed pongs: kept out of this test.
    h = await new Harness().start(fastStreaming({ keepAliveMs: 60_000 }));
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
    h.subscribe(symbols);
    await h.until(() => symbols.every((s) => h!.tickerRows(`sim|${s}`) > 0), 'all symbols live');
    const mark = h.mark();
    const stallEnds = Date.now() + 2500; // longer than the 1500 ms stale window
    while (Date.now() < stallEnds) {
      // busy: this process, not the exchange, is silent
    }
    await h.until(() => symbols.every((s) => h!.tickerRows(`sim|${s}`, mark) > 0), 'data after the stall');
    await new Promise((r) => setTimeout(r, 800)); // a few more watchdog ticks
    expect(h.events('STALE')).toEqual([]);
    expect(h.outages()).toEqual([]);
  });

  it('shuts down cleanly within its deadline in the middle of a burst: the backlog is dropped, not worked off', async () => {
    h = await new Harness({ symbols: 100 }).start(fastStreaming({ keepAliveMs: 60_000 }));
    const symbols = h.sim.symbols.slice(0, 100);
    h.subscribe([...symbols], 'ticker');
    h.subscribe([...symbols], 'trades');
    await h.until(() => symbols.every((s) => h!.tickerRows(`sim|${s}`) > 0), 'all symbols live', 20_000);
    h.sim.fault({ kind: 'burst', ratePerSymbol: 300, durationMs: 5000 });
    await new Promise((r) => setTimeout(r, 1000));
    const report = await h.service.shutdown(1500);
    expect(report.steps.filter((s) => !s.ok)).toEqual([]);
    expect(report.clean).toBe(true);
    expect(report.leftoverTasks).toEqual({});
    expect(h.exits).toEqual([0]);
  }, 40_000);
});

