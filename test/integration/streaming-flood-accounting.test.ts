// Issue 9: after a flood, every trade the exchange sent is accounted for per
// instrument: delivered in a batch, or counted as shed (tradesShed). Counts only,
// from the simulator's own record of what it sent. Before the fix the hook counting
// ccxt's evictions was an enumerable property of the trade cache, and ccxt's
// Object.values() put it in place of the newest trade of every watch: a few
// trades in ten lost during the burst, and every trade at a calm rate.
import { afterEach, describe, expect, it } from 'vitest';
import { R_KEY, TRADE_STRIDE } from '../../shared/contract/tick-batch';
import { fastStreaming, Harness, streamName } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('streaming: a flood, every trade accounted for', () => {
  it('delivered + shed = sent per symbol after a 5 s burst and a calm; no exit; the log stays under a bound', async () => {
    // A large send buffer: the simulator must not skip trades itself (that is the exchange's loss, not ours).
    h = await new Harness({ symbols: 20, maxBufferedBytes: 1 << 30 }).start(fastStreaming({ keepAliveMs: 60_000, staleAfterMs: { ticker: 20_000, trades: 20_000, book: 20_000 } }));
    const symbols = h.sim.symbols.slice(0, 20);
    const sent = new Map<string, number>();
    h.sim.onSend = (stream) => {
      if (stream.endsWith('@trade')) sent.set(stream, (sent.get(stream) ?? 0) + 1);
    };
    h.subscribe([...symbols], 'trades');
    await h.until(() => h!.simIsClean(symbols.map((s) => streamName(s, 'trades'))), 'every trade stream subscribed', 20_000);
    h.sim.fault({ kind: 'burst', ratePerSymbol: 500, durationMs: 5000 });
    await h.until(() => h!.sim.activeFaults().every((f) => f.kind !== 'burst') || undefined, 'the burst over', 20_000);
    h.sim.setRate(0.5); // calm: a trade now and then, each of which must arrive too

    const delivered = (symbol: string): number => {
      let n = 0;
      for (const b of h!.batches()) {
        const k = b.keys.indexOf(`sim|${symbol}`);
        if (k < 0) continue;
        for (let i = 0; i < b.trades.length; i += TRADE_STRIDE) if (b.trades[i + R_KEY] === k) n++;
      }
      return n;
    };
    const shed = (symbol: string) => h!.lastStatus()?.subscriptions.find((s) => s.symbol === symbol && s.channel === 'trades')?.tradesShed ?? 0;
    const account = () => symbols.map((s) => ({ symbol: s, sent: sent.get(streamName(s, 'trades')) ?? 0, delivered: delivered(s), shed: shed(s) }));
    // Calm: what is in flight arrives (generous bound), then the counts add up exactly.
    await h
      .until(() => account().every((a) => a.delivered + a.shed === a.sent), 'every trade accounted for', 30_000)
      .catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(account().filter((a) => a.delivered + a.shed !== a.sent))}`);
      });
    // And after the calm brought more trades, still: none lost at a low rate either.
    const total = () => account().reduce((n, a) => n + a.sent, 0);
    const afterBurst = total();
    expect(afterBurst).toBeGreaterThan(20 * 500); // a flood did happen
    await h.until(() => total() >= afterBurst + 3 || undefined, 'trades at the calm rate', 30_000);
    await h.until(() => account().every((a) => a.delivered + a.shed === a.sent), 'every calm trade accounted for', 30_000);
    expect(h.exits).toEqual([]);
    const logRecords = h.of('log').reduce((n, m) => n + m.records.length, 0);
    expect(logRecords).toBeLessThan(200);
  }, 120_000);

  it('trades ccxt\'s bounded cache evicts are either recovered over REST or counted as shed, never both', async () => {
    h = await new Harness({ symbols: 3, maxBufferedBytes: 1 << 30 }).start(fastStreaming({ keepAliveMs: 60_000, staleAfterMs: { ticker: 20_000, trades: 20_000, book: 20_000 } }));
    const symbol = 'BTC/USDT';
    let sent = 0;
    h.sim.onSend = (stream) => {
      if (stream === streamName(symbol, 'trades')) sent++;
    };
    h.subscribe([symbol], 'trades');
    await h.until(() => h!.simIsClean([streamName(symbol, 'trades')]), 'trade stream subscribed', 20_000);
    await h.until(() => h!.tickerRows(`sim|${symbol}`) > 0, 'first trades', 20_000);
    // Stop reading the socket while the exchange keeps sending: on resume, far more than
    // the cache holds (CACHE_LIMITS.trades) arrives before the next watch can take it.
    const ex = (h.service as unknown as { sessions: Map<string, { exchange: { clients: Record<string, { connection: { pause(): void; resume(): void } }> } }> }).sessions.get('sim')!.exchange;
    const sockets = Object.values(ex.clients).map((c) => c.connection);
    h.sim.fault({ kind: 'burst', ratePerSymbol: 2000, durationMs: 1500 });
    for (const ws of sockets) ws.pause();
    await h.until(() => h!.sim.activeFaults().every((f) => f.kind !== 'burst') || undefined, 'the burst over', 20_000);
    // Calm, not silent: a trade now and then, as in the first test. A hole is seen when
    // the trade after it arrives, and a market that never trades again would leave the
    // last one unseen (twice in CI under load, the stream was then reconnecting at rate 0
    // with 35 of 3,000 trades neither delivered nor counted).
    h.sim.setRate(0.5);
    for (const ws of sockets) ws.resume();
    const delivered = () => h!.tickerRows(`sim|${symbol}`);
    const status = () => h!.lastStatus()?.subscriptions.find((s) => s.symbol === symbol && s.channel === 'trades');
    await h.until(() => (status()?.tape?.gaps ?? 0) > 0 || undefined, 'the eviction seen as a hole in the tape', 20_000);
    await h
      .until(() => delivered() + (status()?.tradesShed ?? 0) === sent, 'every trade accounted for', 30_000)
      .catch((e: Error) => {
        // what the connection went through says why a trade went missing (a close? by whom?)
        throw new Error(`${e.message}: sent ${sent}, delivered ${delivered()}, ${JSON.stringify(status())}; connection events ${JSON.stringify(h!.events())}`);
      });
    expect(sent).toBeGreaterThan(1000);
    expect(status()?.tape?.recovered).toBeGreaterThan(0); // the path where a trade could be counted twice
    expect(h.exits).toEqual([]);
  }, 90_000);
});
