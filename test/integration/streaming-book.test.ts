// Issue 11 item 1 with real ccxt against the simulator: the full-depth book the
// streaming process sends equals the simulator's book, and after each book fault
// the book says resyncing, then synced, and is equal again.
import { afterEach, describe, expect, it } from 'vitest';
import type { BookTop } from '../../shared/contract/tick-batch';
import { bookStateOf, type BookState } from '../../shared/market';
import { fastStreaming, Harness } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const DEPTH = 20;
/** Books never go stale in these tests while the market is frozen for a comparison. */
const settings = fastStreaming({ bookDepth: DEPTH, staleAfterMs: { ticker: 1500, trades: 3000, book: 60_000 } });

function books(hh: Harness, key: string, from = 0): BookTop[] {
  return hh.received.slice(from).flatMap((m) => (m.type === 'ticks' ? m.books.filter((b) => b.key === key) : []));
}

function states(hh: Harness, key: string, from = 0): BookState[] {
  const out: BookState[] = [];
  for (const b of books(hh, key, from)) {
    const s = bookStateOf(b.state)!;
    if (out.at(-1) !== s) out.push(s);
  }
  return out;
}

/** Freezes the market, waits for the sent book to reach the simulator's update id, compares the top levels. */
async function expectBookEquals(hh: Harness, symbol: string): Promise<void> {
  hh.sim.setRate(0);
  const key = `sim|${symbol}`;
  const truth = () => hh.sim.book(symbol)!;
  const last = await hh.until(() => {
    const b = books(hh, key).at(-1);
    return b && b.updateId === truth().lastUpdateId && bookStateOf(b.state) === 'synced' ? b : undefined;
  }, `the ${symbol} book to reach the simulator's update id`);
  expect(last.bids).toEqual(truth().bids.slice(0, DEPTH));
  expect(last.asks).toEqual(truth().asks.slice(0, DEPTH));
  hh.sim.setRate(20);
}

describe('streaming: full-depth books that are in sync or say they are not', () => {
  it('after many updates the book sent equals the simulator\'s book; status carries state and update id', async () => {
    h = await new Harness({ ratePerSymbol: 40 }).start(settings);
    h.subscribe(['ETH/USDT'], 'book');
    await h.until(() => books(h!, 'sim|ETH/USDT').length >= 30, '30 book updates');
    expect(states(h, 'sim|ETH/USDT')).toEqual(['synced']);
    await expectBookEquals(h, 'ETH/USDT');
    const st = await h.until(() => h!.lastStatus()?.subscriptions.find((s) => s.id === 'sim|ETH/USDT|book' && s.book?.state === 'synced'), 'a synced book status');
    expect(st.book!.resyncs).toEqual({ gap: 0, crossed: 0, reconnect: 0 });
    expect(st.book!.lastUpdateId).toBeGreaterThan(0);
    expect(h.invalid).toEqual([]);
  });

  it('a quiet market longer than staleAfterMs.book: the book stays synced and live, REST vouching for its update id', async () => {
    h = await new Harness({ ratePerSymbol: 20 }).start(fastStreaming({ bookDepth: DEPTH })); // staleAfterMs.book 1500
    h.subscribe(['ETH/USDT'], 'book'); // alone on its socket, as ccxt's Binance places a new subscription
    await h.until(() => books(h!, 'sim|ETH/USDT').length >= 10, '10 book updates');
    h.sim.setRate(0);
    await new Promise((r) => setTimeout(r, 4_000));
    // without the check: STALE, a reconnect and a resync every 1.5 s
    expect(h.events('STALE')).toEqual([]);
    expect(h.events('DISCONNECTED')).toEqual([]);
    expect(h.outages()).toEqual([]);
    expect(states(h, 'sim|ETH/USDT')).toEqual(['synced']);
    const st = h.lastStatus()?.subscriptions.find((s) => s.id === 'sim|ETH/USDT|book');
    expect(st?.state).toBe('live');
    expect(st?.book?.resyncs).toEqual({ gap: 0, crossed: 0, reconnect: 0 });
    const asked = h.sim.restLog().filter((e) => e.path === '/api/v3/depth' && e.query.includes('limit=5'));
    expect(asked.length).toBeGreaterThanOrEqual(2); // once the silence since the last answer passed half the limit
    expect(asked.length).toBeLessThanOrEqual(6);
    await expectBookEquals(h, 'ETH/USDT'); // and the book still equals the simulator's
  });

  it('book-gap: resyncing (cause gap, in the timeline and the counts), then synced, and equal again', async () => {
    h = await new Harness({ ratePerSymbol: 20 }).start(settings);
    h.subscribe(['SOL/USDT'], 'book');
    await h.until(() => books(h!, 'sim|SOL/USDT').length >= 5, 'a synced book');
    const mark = h.mark();
    h.sim.fault({ kind: 'book-gap', symbol: 'SOLUSDT' });
    await h.until(() => states(h!, 'sim|SOL/USDT', mark).join() === 'synced,resyncing,synced' || states(h!, 'sim|SOL/USDT', mark).join() === 'resyncing,synced', 'resyncing then synced');
    const ev = h.events('BOOK_RESYNC');
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ exchange: 'sim', symbol: 'SOL/USDT', channel: 'book', cause: 'gap' });
    await expectBookEquals(h, 'SOL/USDT');
    const st = h.lastStatus()!.subscriptions.find((s) => s.id === 'sim|SOL/USDT|book')!;
    expect(st.book!.resyncs).toEqual({ gap: 1, crossed: 0, reconnect: 0 });
    expect(st.state).toBe('live'); // a resync is not a failed subscription
    expect(h.outages()).toEqual([]); // nor a lost connection: the socket stayed up
    expect(h.events('DISCONNECTED')).toEqual([]);
  });

  it('book-crossed: the crossed book is sent as resyncing (never as synced), a fresh snapshot follows, equal again', async () => {
    h = await new Harness({ ratePerSymbol: 20 }).start(settings);
    h.subscribe(['BTC/USDT'], 'book');
    await h.until(() => books(h!, 'sim|BTC/USDT').length >= 5, 'a synced book');
    const mark = h.mark();
    const snapshots = h.sim.restLog().filter((e) => e.path === '/api/v3/depth').length;
    h.sim.fault({ kind: 'book-crossed', symbol: 'BTCUSDT' });
    await h.until(() => states(h!, 'sim|BTC/USDT', mark).includes('resyncing') && states(h!, 'sim|BTC/USDT', mark).at(-1) === 'synced', 'resyncing then synced');
    for (const b of books(h, 'sim|BTC/USDT')) {
      const crossed = b.bids.length > 0 && b.asks.length > 0 && b.bids[0]![0] >= b.asks[0]![0];
      if (crossed) expect(bookStateOf(b.state)).toBe('resyncing');
    }
    expect(h.events('BOOK_RESYNC').map((e) => e.cause)).toEqual(['crossed']);
    expect(h.sim.restLog().filter((e) => e.path === '/api/v3/depth').length).toBeGreaterThan(snapshots); // resynced from a snapshot
    await expectBookEquals(h, 'BTC/USDT');
  });

  it('book-stale-snapshot: the stale snapshot cannot be continued, the book resyncs and ends equal', async () => {
    h = await new Harness({ ratePerSymbol: 20 }).start(settings);
    h.sim.fault({ kind: 'book-stale-snapshot', symbol: 'ETHUSDT' });
    h.subscribe(['ETH/USDT'], 'book');
    await h.until(() => h!.events('BOOK_RESYNC').length >= 1 && states(h!, 'sim|ETH/USDT').at(-1) === 'synced', 'a resync, then synced');
    expect(h.events('BOOK_RESYNC')[0]!.cause).toBe('gap');
    await expectBookEquals(h, 'ETH/USDT');
  });

  it('a dropped socket: the book resyncs with cause reconnect and ends equal', async () => {
    h = await new Harness({ ratePerSymbol: 20 }).start(settings);
    h.subscribe(['BNB/USDT'], 'book');
    await h.until(() => books(h!, 'sim|BNB/USDT').length >= 5, 'a synced book');
    const mark = h.mark();
    h.sim.fault({ kind: 'drop', code: 1006 });
    await h.until(() => states(h!, 'sim|BNB/USDT', mark).includes('resyncing') && states(h!, 'sim|BNB/USDT', mark).at(-1) === 'synced', 'resyncing then synced');
    expect(h.events('BOOK_RESYNC').map((e) => e.cause)).toEqual(['reconnect']);
    await expectBookEquals(h, 'BNB/USDT');
  });
});
