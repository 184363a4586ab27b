import { afterEach, describe, expect, it } from 'vitest';
import { TICKER_STRIDE, TRADE_STRIDE, T_ASK, T_BID, T_EVENT_TIME, T_KEY, T_LAST, T_RECEIVED_AT, T_SOURCE, SOURCE_WS } from '../../shared/contract/tick-batch';
import { fastStreaming, Harness, streamName } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('streaming: ticks flow', () => {
  it('delivers tickers in columnar batches with sane values, and subscribes/unsubscribes at runtime', async () => {
    h = await new Harness().start();
    h.subscribe(['BTC/USDT', 'ETH/USDT']);
    await h.until(() => h!.tickerRows('sim|BTC/USDT') >= 3 && h!.tickerRows('sim|ETH/USDT') >= 3, 'tickers for both symbols');
    await h.until(() => h!.simIsClean([streamName('BTC/USDT', 'ticker'), streamName('ETH/USDT', 'ticker')]), 'simulator: one connection per stream');

    const b = h.batches().find((x) => x.keys.includes('sim|BTC/USDT') && x.tickers.length)!;
    const row = [...b.tickers.subarray(0, TICKER_STRIDE)];
    expect(b.keys[row[T_KEY]!]).toMatch(/^sim\|(BTC|ETH)\/USDT$/);
    expect(row[T_BID]!).toBeGreaterThan(0);
    expect(row[T_ASK]!).toBeGreaterThanOrEqual(row[T_BID]!);
    expect(row[T_LAST]!).toBeGreaterThan(0);
    expect(row[T_SOURCE]).toBe(SOURCE_WS);
    expect(row[T_RECEIVED_AT]!).toBeGreaterThanOrEqual(row[T_EVENT_TIME]! - 5);
    expect(b.sentAt).toBeGreaterThanOrEqual(row[T_RECEIVED_AT]!);
    const seqs = h.batches().map((x) => x.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i)); // no lost batch

    h.subscribe(['SOL/USDT']);
    await h.until(() => h!.tickerRows('sim|SOL/USDT') >= 2, 'SOL ticks after a runtime subscribe');
    h.unsubscribe(['BTC/USDT']);
    await h.until(() => h!.simIsClean([streamName('ETH/USDT', 'ticker'), streamName('SOL/USDT', 'ticker')]), 'simulator: BTC stream and its socket gone');
    const mark = h.mark();
    await h.until(() => h!.tickerRows('sim|ETH/USDT', mark) >= 2, 'ETH still flowing');
    expect(h.tickerRows('sim|BTC/USDT', mark)).toBe(0);

    const st = await h.until(() => (h!.lastStatus()?.exchanges[0]?.messagesPerSec ?? 0) > 0 && h!.lastStatus()?.exchanges[0]?.connections === 2 && h!.lastStatus(), 'a status with a message rate and two sockets');
    const ex = st.exchanges[0]!;
    expect(ex).toMatchObject({ exchange: 'sim', mode: 'live', state: 'connected', connections: 2 });
    expect(ex.processingLatencyMs.p99).toBeGreaterThanOrEqual(ex.processingLatencyMs.p50);
    expect(st.subscriptions.map((s) => s.id).sort()).toEqual(['sim|ETH/USDT|ticker', 'sim|SOL/USDT|ticker']);
    expect(h.events('SUBSCRIBED').length).toBe(3);
    expect(h.events('UNSUBSCRIBED').length).toBe(1);
    expect(h.invalid).toEqual([]);
  });

  it('delivers trades and top-N order books', async () => {
    h = await new Harness().start(fastStreaming({ bookDepth: 3 }));
    h.subscribe(['BTC/USDT'], 'trades');
    h.subscribe(['ETH/USDT'], 'book');
    await h.until(() => h!.batches().some((b) => b.trades.length > 0), 'trades');
    await h.until(() => h!.batches().some((b) => b.books.length > 0), 'a book');
    const t = h.batches().find((b) => b.trades.length)!;
    expect(t.tradeIds.length).toBe(t.trades.length / TRADE_STRIDE);
    expect(t.trades[1]!).toBeGreaterThan(0); // price
    expect([1, -1]).toContain(t.trades[3]); // side
    const book = h.batches().flatMap((b) => b.books).at(-1)!;
    expect(book.key).toBe('sim|ETH/USDT');
    expect(book.bids.length).toBeLessThanOrEqual(3);
    expect(book.bids.length).toBeGreaterThan(0);
    expect(book.asks[0]![0]).toBeGreaterThan(book.bids[0]![0]);
  });
});

describe('streaming: tickers converge to the newest value under load', () => {
  it('after a burst, the last ticker delivered for every symbol is the last one the exchange sent', async () => {
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT'];
    h = await new Harness({ ratePerSymbol: 2000 }).start();
    h.sim.record(true);
    h.subscribe(symbols);
    await h.until(() => symbols.every((s) => h!.tickerRows(`sim|${s}`) > 50), 'a burst on every symbol', 15_000);
    h.sim.setRate(0);
    // Wait until the stream is quiet: no new batch for 300 ms.
    let n = -1;
    let quietSince = Date.now();
    await h.until(() => {
      if (h!.batches().length !== n) {
        n = h!.batches().length;
        quietSince = Date.now();
      }
      return Date.now() - quietSince > 300;
    }, 'the stream to go quiet');
    for (const symbol of symbols) {
      const sent = h.sim.sent(streamName(symbol, 'ticker')) as { b: string; a: string; E: number }[];
      const lastSent = sent.at(-1)!;
      let lastBid = NaN;
      let lastAsk = NaN;
      for (const b of h.batches()) {
        for (let o = 0; o < b.tickers.length; o += TICKER_STRIDE) {
          if (b.keys[b.tickers[o + T_KEY]!] !== `sim|${symbol}`) continue;
          lastBid = b.tickers[o + T_BID]!;
          lastAsk = b.tickers[o + T_ASK]!;
        }
      }
      expect({ symbol, bid: lastBid, ask: lastAsk }).toEqual({ symbol, bid: Number(lastSent.b), ask: Number(lastSent.a) });
    }
  }, 30_000);
});
