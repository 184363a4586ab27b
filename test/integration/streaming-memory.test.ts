// Issue 9 item 7: memory under load. The streaming code runs in-process against the
// simulator at a high rate; ccxt's per-symbol caches stay within their bounds and the
// heap after a full GC does not grow with the number of ticks handled (counts and
// bytes, no timing).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_LIMITS } from '../../electron/streaming/instrumented-exchange';
import { fastStreaming, Harness } from './streaming-harness';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function ticks(harness: Harness): number {
  let n = 0;
  for (const b of harness.batches()) n += b.tickers.length / 10 + b.trades.length / 7;
  return n;
}

describe('streaming: memory under load', () => {
  it('ccxt caches stay bounded and the heap after GC stops growing', async () => {
    h = await new Harness({ symbols: 40, ratePerSymbol: 100 }).start(fastStreaming({ keepAliveMs: 60_000 }));
    const symbols = h.sim.symbols.slice(0, 40);
    h.subscribe([...symbols], 'ticker');
    h.subscribe([...symbols], 'trades');
    await h.until(() => ticks(h!) > 20_000, '20k ticks', 60_000);
    // The harness keeps every batch it received: drop them so only the streaming side is measured.
    h.received.length = 0;
    const warm = heapAfterGc();
    await h.until(() => ticks(h!) > 60_000, '60k more ticks', 120_000);
    h.received.length = 0;
    const after = heapAfterGc();
    const ex = (h.service as unknown as { sessions: Map<string, { exchange?: { trades: Record<string, unknown[]>; tickers: Record<string, unknown> } }> }).sessions.get('sim')!.exchange!;
    for (const s of symbols) expect(ex.trades[s]?.length ?? 0).toBeLessThanOrEqual(CACHE_LIMITS.trades);
    // 60k trades kept by an unbounded cache alone would be tens of MB.
    expect(after - warm).toBeLessThan(15 * 1024 * 1024);
    console.log(`heap after GC: warm ${(warm / 1048576).toFixed(1)} MB, after 60k more ticks ${(after / 1048576).toFixed(1)} MB`);
  }, 200_000);
});
