// Issue 11 item 3 with real ccxt against the simulator: no silent gaps in the tape.
// A paused trade stream or a dropped socket leaves a hole in trade ids; the streaming
// process marks it and fills it from REST with exactly the missing trades.
import { afterEach, describe, expect, it } from 'vitest';
import { R_KEY, R_SOURCE, SOURCE_REST, TRADE_STRIDE, type TickBatch, type TradeGap } from '../../shared/contract/tick-batch';
import { fastStreaming, Harness } from './streaming-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const KEY = 'sim|ETH/USDT';

/** Trade ids of an instrument in received order, with their source. */
function tradeIds(hh: Harness, from = 0): { id: string; rest: boolean }[] {
  const out: { id: string; rest: boolean }[] = [];
  for (const m of hh.received.slice(from)) {
    if (m.type !== 'ticks') continue;
    const k = m.keys.indexOf(KEY);
    for (let o = 0; o < m.trades.length; o += TRADE_STRIDE) if (m.trades[o + R_KEY] === k) out.push({ id: m.tradeIds[o / TRADE_STRIDE]!, rest: m.trades[o + R_SOURCE] === SOURCE_REST });
  }
  return out;
}

function gaps(hh: Harness): { gap: TradeGap; batch: TickBatch }[] {
  return hh.batches().flatMap((batch) => batch.gaps.filter((g) => g.key === KEY).map((gap) => ({ gap, batch })));
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = Number(from); i <= Number(to); i++) out.push(String(i));
  return out;
}

/** The hole is marked once, filled with exactly its ids (source REST, in the marker's batch), and the tape is then complete. */
function expectFilled(hh: Harness, cause: TradeGap['cause']): TradeGap {
  const all = gaps(hh);
  expect(all).toHaveLength(1);
  const { gap, batch } = all[0]!;
  expect(gap.cause).toBe(cause);
  const missing = range(gap.fromId, gap.toId);
  expect(gap.missing).toBe(missing.length);
  expect(gap.recovered).toBe(gap.missing);
  expect(gap.endedAt).toBeGreaterThanOrEqual(gap.startedAt);
  const k = batch.keys.indexOf(KEY);
  const inBatch: string[] = [];
  for (let o = 0; o < batch.trades.length; o += TRADE_STRIDE) if (batch.trades[o + R_KEY] === k && batch.trades[o + R_SOURCE] === SOURCE_REST) inBatch.push(batch.tradeIds[o / TRADE_STRIDE]!);
  expect(inBatch).toEqual(missing);
  // every id from the first to the last received exactly once: no hole left, nothing twice
  const ids = tradeIds(hh).map((t) => Number(t.id)).sort((a, b) => a - b);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.at(-1)! - ids[0]! + 1).toBe(ids.length);
  return gap;
}

describe('streaming: the tape has no silent gaps', () => {
  it('trades-pause: the id jump is marked with its duration and filled with exactly the missing trade ids', async () => {
    h = await new Harness({ ratePerSymbol: 25 }).start(fastStreaming());
    h.subscribe(['ETH/USDT'], 'ticker'); // steps the market while trades are paused
    h.subscribe(['ETH/USDT'], 'trades');
    await h.until(() => tradeIds(h!).length >= 10, '10 trades');
    h.sim.fault({ kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 400 });
    await h.until(() => gaps(h!).length > 0, 'a gap marker');
    const gap = expectFilled(h, 'id-jump');
    expect(gap.missing).toBeGreaterThanOrEqual(5);
    expect(gap.endedAt - gap.startedAt).toBeGreaterThanOrEqual(300);
    expect(h.events('TRADES_GAP')).toHaveLength(1);
    expect(h.events('TRADES_GAP')[0]!.message).toMatch(new RegExp(`${gap.missing} of ${gap.missing} trades recovered`));
    const st = await h.until(() => h!.lastStatus()?.subscriptions.find((s) => s.id === `${KEY}|trades` && s.tape?.gaps === 1), 'tape status');
    expect(st.tape).toEqual({ gaps: 1, recovered: gap.missing, unrecovered: 0 });
  });

  it('a dropped socket: the outage is marked and filled after the reconnect', async () => {
    h = await new Harness({ ratePerSymbol: 25 }).start(fastStreaming());
    h.subscribe(['ETH/USDT'], 'ticker');
    h.subscribe(['ETH/USDT'], 'trades');
    await h.until(() => tradeIds(h!).length >= 10, '10 trades');
    // Trades stop while the sockets are down and a while after (the ticker, back first, steps the market meanwhile).
    h.sim.fault({ kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 800 });
    h.sim.fault({ kind: 'drop', code: 1006 });
    await h.until(() => gaps(h!).length > 0, 'a gap marker', 15_000);
    expect(h.outages().length).toBeGreaterThan(0);
    expectFilled(h, 'outage');
  });

  it('a hole at the end of activity: at the reconnect, REST brings the trades the tape missed, with no trade after them', async () => {
    h = await new Harness({ ratePerSymbol: 25 }).start(fastStreaming());
    h.subscribe(['ETH/USDT'], 'ticker'); // steps the market while trades are paused
    h.subscribe(['ETH/USDT'], 'trades');
    await h.until(() => tradeIds(h!).length >= 10, '10 trades');
    // Trades the stream does not deliver (the simulator's market only moves while a
    // stream is watched, so they happen before the drop), then a quiet market, then the
    // drop: no trade will ever come after the hole to reveal it.
    h.sim.fault({ kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 60_000 });
    await new Promise((r) => setTimeout(r, 300));
    h.sim.setRate(0);
    await new Promise((r) => setTimeout(r, 100));
    const newest = (await (await fetch(`${h.sim.urls.rest}/trades?symbol=ETHUSDT&limit=1`)).json()) as { id: number }[];
    const lastId = String(newest[0]!.id);
    h.sim.fault({ kind: 'drop', code: 1006 });
    await h.until(() => gaps(h!).length > 0, 'a gap marker without any trade after the hole', 15_000);
    const gap = expectFilled(h, 'outage');
    // the tape reaches the market's last trade although the stream never sent another one
    expect(gap.toId).toBe(lastId);
    expect(tradeIds(h).at(-1)).toEqual({ id: lastId, rest: true });
    expect(gap.missing).toBeGreaterThanOrEqual(3);
    expect(h.events('TRADES_GAP')[0]!.message).toMatch(new RegExp(`\\(outage\\); ${gap.missing} of ${gap.missing} trades recovered`));
  });

  it('a quiet market after a reconnect: the caught-up tape is restored without waiting for a trade, and the exchange is no longer reconnecting', async () => {
    h = await new Harness({ ratePerSymbol: 25 }).start(fastStreaming());
    h.subscribe(['ETH/USDT'], 'ticker');
    h.subscribe(['ETH/USDT'], 'trades');
    await h.until(() => tradeIds(h!).length >= 10, '10 trades');
    h.sim.setRate(0); // no trade, no ticker any more
    h.unsubscribe(['ETH/USDT'], 'ticker'); // only the tape is left to restore
    await new Promise((r) => setTimeout(r, 200));
    const seen = tradeIds(h).length;
    h.sim.fault({ kind: 'drop', code: 1006 });
    // The drop reached the tape, alone on its socket now, and it came back: its outage
    // closed. (Not its 'reconnecting' state: a status is a snapshot sent at a cadence, and
    // a reconnect that is over within one period never shows in one.)
    await h.until(() => h!.outages().some((o) => o.downMs !== undefined) || undefined, 'the outage over', 15_000);
    const st = await h.until(() => {
      const last = h!.lastStatus();
      const tape = last?.subscriptions.find((s) => s.id === `${KEY}|trades`);
      return tape?.state === 'live' && last?.exchanges[0]?.state === 'connected' ? last : undefined;
    }, 'the tape live and the exchange connected again', 15_000);
    expect(st.subscriptions.find((s) => s.id === `${KEY}|trades`)?.tape?.gaps).toBe(0); // nothing was missed
    expect(tradeIds(h)).toHaveLength(seen); // and no trade came to restore it
    // the outage is closed, the tape among what it restored
    expect(h.outages().filter((o) => o.downMs !== undefined).map((o) => o.restored)).toEqual([[`${KEY}|trades`]]);
  });

  it('a quiet market longer than staleAfterMs: the tape stays live, REST vouching for it instead of a reconnect', async () => {
    h = await new Harness({ ratePerSymbol: 25 }).start(fastStreaming()); // staleAfterMs.trades 3000
    h.subscribe(['ETH/USDT'], 'trades'); // alone on its socket, as ccxt's Binance places a new subscription
    await h.until(() => tradeIds(h!).length >= 5, '5 trades');
    h.sim.setRate(0);
    await new Promise((r) => setTimeout(r, 7_500));
    // without the check: STALE, DISCONNECTED and an outage every 3 s
    expect(h.events('STALE')).toEqual([]);
    expect(h.events('DISCONNECTED')).toEqual([]);
    expect(h.outages()).toEqual([]);
    expect(h.lastStatus()?.subscriptions.find((s) => s.id === `${KEY}|trades`)?.state).toBe('live');
    // asked about (one trade each) once the silence since the last answer passed half the limit: at most one question per 1.5 s
    const asked = h.sim.restLog().filter((e) => e.path === '/api/v3/aggTrades' && e.query.includes('limit=1') && !e.query.includes('startTime'));
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked.length).toBeLessThanOrEqual(5);
    h.sim.setRate(25); // trades flow on the same socket again, no hole between
    const seen = tradeIds(h).length;
    await h.until(() => tradeIds(h!).length >= seen + 3 || undefined, '3 more trades');
    expect(gaps(h)).toEqual([]);
  });

  it('a stream that stops delivering while the market trades: the check finds the missed trades, the tape reconnects and is filled', async () => {
    h = await new Harness({ ratePerSymbol: 25 }).start(fastStreaming());
    h.subscribe(['ETH/USDT'], 'ticker'); // steps the market while trades are paused
    h.subscribe(['ETH/USDT'], 'trades');
    await h.until(() => tradeIds(h!).length >= 10, '10 trades');
    const restBefore = h.sim.restLog().length;
    // longer than staleAfterMs.trades (3 s), the REST question and MISSED_GRACE_MS (1 s)
    h.sim.fault({ kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 6_000 });
    const stale = await h.until(() => h!.events('STALE').find((e) => e.channel === 'trades'), 'the tape declared stale', 10_000);
    expect(stale.message).toMatch(/no data for \d+ ms/);
    // REST was asked for the newest trade before the verdict
    expect(h.sim.restLog().slice(restBefore - h.sim.restLog().length).some((e) => e.path === '/api/v3/aggTrades' && e.query.includes('limit=1'))).toBe(true);
    // once trades flow again, every id from the first to the last is on the tape exactly once
    await new Promise((r) => setTimeout(r, 3_000));
    const seen = tradeIds(h).length;
    await h.until(() => tradeIds(h!).length >= seen + 5 || undefined, '5 more trades', 10_000);
    await h.until(() => h!.lastStatus()?.subscriptions.find((s) => s.id === `${KEY}|trades`)?.state === 'live' || undefined, 'the tape live');
    const ids = tradeIds(h).map((t) => Number(t.id)).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.at(-1)! - ids[0]! + 1).toBe(ids.length);
    expect(gaps(h).length).toBeGreaterThanOrEqual(1);
    expect(gaps(h).every(({ gap }) => gap.recovered === gap.missing)).toBe(true);
  });

  it('a new tape on a quiet market is live once the exchange confirms its subscription, before any trade', async () => {
    h = await new Harness({ ratePerSymbol: 0 }).start(fastStreaming());
    h.subscribe(['ETH/USDT'], 'trades');
    await h.until(() => h!.lastStatus()?.subscriptions.find((s) => s.id === `${KEY}|trades`)?.state === 'live' || undefined, 'the tape live', 10_000);
    expect(tradeIds(h)).toHaveLength(0); // no trade made it live
    // nor a reconnect (a silent tape is reconnected after staleAfterMs.trades, and a tape that held no trade is current once its socket is open again)
    expect(h.events('DISCONNECTED')).toEqual([]);
    expect(h.outages()).toEqual([]);
    expect(h.events('SUBSCRIBED').map((e) => `${e.symbol} ${e.channel}`)).toEqual(['ETH/USDT trades']);
    expect(h.lastStatus()?.subscriptions.find((s) => s.id === `${KEY}|trades`)?.tape?.gaps).toBe(0);
    h.sim.setRate(25); // and the market's first trades reach the tape
    await h.until(() => tradeIds(h!).length >= 3 || undefined, '3 trades');
  });
});
