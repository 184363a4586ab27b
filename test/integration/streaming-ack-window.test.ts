// Issue 9 point 2: the streaming process never piles batches up behind a host that has
// not consumed them. A parent that announces a credit window of 2 and does not
// acknowledge receives exactly 2 batches however much the exchange sends; meanwhile
// tickers coalesce in the process (counted) and trades wait there. Once it
// acknowledges (as the engine does), every trade is delivered or counted as shed.
// Counts only, from the simulator's record of what it sent.
import { afterEach, describe, expect, it } from 'vitest';
import { R_KEY, TRADE_STRIDE } from '../../shared/contract/tick-batch';
import { fastStreaming, Harness, streamName } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('streaming: the credit window of unacknowledged batches', () => {
  it('posts no more than the window while unacknowledged, then delivers or counts every trade', async () => {
    const streaming = fastStreaming({ keepAliveMs: 60_000, staleAfterMs: { ticker: 20_000, trades: 20_000, book: 20_000 } });
    h = await new Harness({ symbols: 4, ratePerSymbol: 40, maxBufferedBytes: 1 << 30 }).start(streaming);
    const harness = h;
    // The engine's part: announce the window (a second configure; the session keeps running).
    harness.parent.send({
      type: 'configure',
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true, enabled: true, urls: { rest: harness.sim.urls.rest, ws: harness.sim.urls.ws } }],
      streaming,
      parentPid: process.pid,
      heartbeatMs: 200,
      ackWindow: 2,
    });
    const symbols = harness.sim.symbols.slice(0, 4);
    const sent = new Map<string, number>();
    harness.sim.onSend = (stream) => {
      if (stream.endsWith('@trade')) sent.set(stream, (sent.get(stream) ?? 0) + 1);
    };
    const totalSent = () => [...sent.values()].reduce((a, b) => a + b, 0);
    harness.subscribe([...symbols], 'ticker');
    harness.subscribe([...symbols], 'trades');

    // Unacknowledged: two batches, then nothing, while hundreds of trades arrive.
    await harness.until(() => totalSent() >= 300 || undefined, '300 trades sent', 30_000);
    expect(harness.batches()).toHaveLength(2);
    await harness.until(() => (harness.lastStatus()?.exchanges[0]?.tickersCoalesced ?? 0) > 0 || undefined, 'tickers coalesced while the window is shut', 10_000);
    expect(harness.batches()).toHaveLength(2);

    // Acknowledged as the engine does: everything flows again.
    harness.parent.onMessage((m) => {
      const b = m as { type?: unknown; seq?: unknown };
      if (b.type === 'ticks' && typeof b.seq === 'number') harness.parent.send({ type: 'ticks-ack', seq: b.seq });
    });
    harness.parent.send({ type: 'ticks-ack', seq: harness.batches().at(-1)!.seq });
    harness.sim.setRate(0.5);

    const delivered = (symbol: string): number => {
      let n = 0;
      for (const b of harness.batches()) {
        const k = b.keys.indexOf(`sim|${symbol}`);
        if (k < 0) continue;
        for (let i = 0; i < b.trades.length; i += TRADE_STRIDE) if (b.trades[i + R_KEY] === k) n++;
      }
      return n;
    };
    const shed = (symbol: string) => harness.lastStatus()?.subscriptions.find((s) => s.symbol === symbol && s.channel === 'trades')?.tradesShed ?? 0;
    const account = () => symbols.map((s) => ({ symbol: s, sent: sent.get(streamName(s, 'trades')) ?? 0, delivered: delivered(s), shed: shed(s) }));
    await harness
      .until(() => account().every((a) => a.delivered + a.shed === a.sent), 'every trade accounted for', 30_000)
      .catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(account())}`);
      });
    const seqs = harness.batches().map((b) => b.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i)); // none lost on the way
    expect(harness.invalid).toEqual([]);
  });
});
