// The simulator's market model: deterministic price paths per (seed, symbol),
// consistent quotes, trades and depth, exact number formatting.
import { describe, expect, it } from 'vitest';
import { fixed8, float8 } from '../../simulator/format';
import { BOOK_LEVELS, SymbolModel } from '../../simulator/market-model';
import { Prng, hashString } from '../../simulator/prng';
import { parseStream } from '../../simulator/streams';
import { defaultSymbols, specFor } from '../../simulator/symbols';

function path(seed: number, symbol: string, steps: number): string[] {
  const m = new SymbolModel(specFor(symbol), seed, 1_700_000_000_000);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    m.step(1_700_000_000_000 + i);
    out.push(`${m.lastPrice}|${m.bestBid}|${m.bestAsk}|${m.updateId}|${m.tradeId}`);
  }
  return out;
}

interface Depth {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

/** Applies depthUpdate payloads to a REST snapshot the way a Binance client must. */
function applyUpdates(snapshot: Depth, updates: Array<{ U: number; u: number; b: [string, string][]; a: [string, string][] }>): Depth {
  const bids = new Map(snapshot.bids);
  const asks = new Map(snapshot.asks);
  let nonce = snapshot.lastUpdateId;
  for (const up of updates) {
    if (up.u <= nonce) continue;
    expect(up.U - 1).toBeLessThanOrEqual(nonce);
    expect(up.u - 1).toBeGreaterThanOrEqual(nonce);
    for (const [p, q] of up.b) {
      if (Number(q) === 0) bids.delete(p);
      else bids.set(p, q);
    }
    for (const [p, q] of up.a) {
      if (Number(q) === 0) asks.delete(p);
      else asks.set(p, q);
    }
    nonce = up.u;
  }
  const sort = (m: Map<string, string>, desc: boolean): [string, string][] =>
    [...m.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
  return { lastUpdateId: nonce, bids: sort(bids, true), asks: sort(asks, false) };
}

describe('seeded generator', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const c = new Prng(8);
    const sa = Array.from({ length: 50 }, () => a.nextUint32());
    const sb = Array.from({ length: 50 }, () => b.nextUint32());
    const sc = Array.from({ length: 50 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(hashString('BTC/USDT', 42)).toBe(hashString('BTC/USDT', 42));
    expect(hashString('BTC/USDT', 42)).not.toBe(hashString('ETH/USDT', 42));
  });

  it('draws uniforms in [0,1) and normals with mean ~0 and sd ~1', () => {
    const r = new Prng(1);
    let sum = 0;
    let sq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(Math.sqrt(sq / n) - 1)).toBeLessThan(0.05);
  });
});

describe('random walk determinism', () => {
  it('same seed and symbol give the same path; another seed or symbol gives another', () => {
    const a = path(42, 'BTC/USDT', 500);
    expect(path(42, 'BTC/USDT', 500)).toEqual(a);
    expect(path(43, 'BTC/USDT', 500)).not.toEqual(a);
    expect(path(42, 'ETH/USDT', 500)).not.toEqual(a);
  });

  it('a symbol path does not depend on other symbols or on wall-clock times', () => {
    const lone = new SymbolModel(specFor('SOL/USDT'), 42, 0);
    const other = new SymbolModel(specFor('BTC/USDT'), 42, 0);
    const busy = new SymbolModel(specFor('SOL/USDT'), 42, 123_456_789);
    const seqA: number[] = [];
    const seqB: number[] = [];
    for (let i = 0; i < 300; i++) {
      lone.step(i);
      other.step(i);
      other.step(i);
      busy.step(999_999 + i * 7);
      seqA.push(lone.lastPrice, lone.bestBid, lone.updateId);
      seqB.push(busy.lastPrice, busy.bestBid, busy.updateId);
    }
    expect(seqB).toEqual(seqA);
  });

  it('keeps bid < ask, trades at the touch, high >= last >= low, ids increasing', () => {
    for (const symbol of ['BTC/USDT', 'SHIB/USDT', 'SYM77/USDT']) {
      const m = new SymbolModel(specFor(symbol), 42, 0);
      let prevUpdate = m.updateId;
      let prevTrade = m.tradeId;
      for (let i = 0; i < 2000; i++) {
        m.step(i);
        const t = JSON.parse(m.ticker(i)) as Record<string, string>;
        const bid = Number(t.b);
        const ask = Number(t.a);
        const last = Number(t.c);
        expect(bid).toBeLessThan(ask);
        expect(last === bid || last === ask).toBe(true);
        expect(Number(t.h)).toBeGreaterThanOrEqual(last);
        expect(Number(t.l)).toBeLessThanOrEqual(last);
        expect(m.updateId).toBeGreaterThan(prevUpdate);
        expect(m.tradeId).toBe(prevTrade + 1);
        prevUpdate = m.updateId;
        prevTrade = m.tradeId;
      }
    }
  });

  it('mean-reverts: after many steps the price stays within a few percent of the start', () => {
    const spec = specFor('ETH/USDT');
    const m = new SymbolModel(spec, 42, 0);
    for (let i = 0; i < 200_000; i++) m.step(i);
    expect(Math.abs(m.lastPrice / spec.price - 1)).toBeLessThan(0.05);
  });

  it('24 h statistics evolve: volume and count grow, change and percentage match last and open', () => {
    const m = new SymbolModel(specFor('BNB/USDT'), 42, 0);
    const a = JSON.parse(m.ticker(1)) as Record<string, string | number>;
    for (let i = 0; i < 100; i++) m.step(i);
    const b = JSON.parse(m.ticker(2)) as Record<string, string | number>;
    expect(Number(b.v)).toBeGreaterThan(Number(a.v));
    expect(Number(b.q)).toBeGreaterThan(Number(a.q));
    expect(b.n).toBe((a.n as number) + 100);
    expect(b.L).toBe((a.L as number) + 100);
    expect(Number(b.p)).toBeCloseTo(Number(b.c) - Number(b.o), 8);
    expect(Number(b.P)).toBeCloseTo(((Number(b.c) - Number(b.o)) / Number(b.o)) * 100, 2);
  });
});

describe('depth stream consistency', () => {
  it('a REST snapshot plus the chained depth updates reproduces the book exactly', () => {
    const m = new SymbolModel(specFor('BTC/USDT'), 42, 0);
    const tracker = m.addTracker();
    const updates: Array<{ U: number; u: number; b: [string, string][]; a: [string, string][] }> = [];
    let snapshot: Depth | undefined;
    for (let i = 0; i < 400; i++) {
      m.step(i);
      if (i % 3 === 0) {
        const up = m.depthUpdate(i, tracker);
        if (up) updates.push(JSON.parse(up));
      }
      if (i === 50) snapshot = JSON.parse(m.restDepth(1000)) as Depth;
    }
    const last = m.depthUpdate(400, tracker);
    if (last) updates.push(JSON.parse(last));
    // chained without gaps
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.U).toBe(updates[i - 1]!.u + 1);
    const rebuilt = applyUpdates(snapshot!, updates);
    const now = JSON.parse(m.restDepth(1000)) as Depth;
    expect(rebuilt.lastUpdateId).toBe(now.lastUpdateId);
    expect(rebuilt.bids).toEqual(now.bids);
    expect(rebuilt.asks).toEqual(now.asks);
    expect(now.bids.length).toBe(BOOK_LEVELS);
    expect(Number(now.bids[0]![0])).toBeLessThan(Number(now.asks[0]![0]));
  });

  it('sends nothing for a depth stream when nothing changed', () => {
    const m = new SymbolModel(specFor('ETH/USDT'), 42, 0);
    const t = m.addTracker();
    expect(m.depthUpdate(0, t)).toBeUndefined();
    m.step(1);
    expect(m.depthUpdate(1, t)).toBeDefined();
    expect(m.depthUpdate(1, t)).toBeUndefined();
  });

  it('gap drops exactly one diff: the next one starts after its ids', () => {
    const m = new SymbolModel(specFor('ETH/USDT'), 42, 0);
    const t = m.addTracker();
    m.step(1);
    const first = JSON.parse(m.depthUpdate(1, t)!) as { u: number };
    t.gap = true;
    m.step(2);
    const droppedTo = m.updateId;
    expect(m.depthUpdate(2, t)).toBeUndefined();
    expect(t.gap).toBe(false);
    m.step(3);
    const next = JSON.parse(m.depthUpdate(3, t)!) as { U: number };
    expect(next.U).toBe(droppedTo + 1);
    expect(next.U).toBeGreaterThan(first.u + 1);
  });

  it('cross adds one bid above the best ask; the next diff restores that level; the book itself never crosses', () => {
    const m = new SymbolModel(specFor('BTC/USDT'), 42, 0);
    const t = m.addTracker();
    const snapshot = JSON.parse(m.restDepth(1000)) as Depth;
    const updates: Array<{ U: number; u: number; b: [string, string][]; a: [string, string][] }> = [];
    const diff = (i: number): void => {
      m.step(i);
      updates.push(JSON.parse(m.depthUpdate(i, t)!));
    };
    diff(1);
    t.cross = true;
    diff(2);
    const crossed = applyUpdates(snapshot, updates);
    expect(Number(crossed.bids[0]![0])).toBeGreaterThan(Number(crossed.asks[0]![0]));
    expect(m.bestBid).toBeLessThan(m.bestAsk);
    diff(3);
    const healed = applyUpdates(snapshot, updates);
    const now = JSON.parse(m.restDepth(1000)) as Depth;
    expect(healed).toEqual(now);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.U).toBe(updates[i - 1]!.u + 1);
  });

  it('a captured book renders later as the REST snapshot it was', () => {
    const m = new SymbolModel(specFor('SOL/USDT'), 42, 0);
    const then = m.restDepth(20);
    const snap = m.captureDepth();
    for (let i = 0; i < 50; i++) m.step(i);
    expect(m.restDepthOf(snap, 20)).toBe(then);
    expect(m.restDepth(20)).not.toBe(then);
    const view = m.book();
    const rest = JSON.parse(m.restDepth(1000)) as Depth;
    expect(view.lastUpdateId).toBe(rest.lastUpdateId);
    expect(view.bids).toEqual(rest.bids.map(([p, q]) => [Number(p), Number(q)]));
    expect(view.asks).toEqual(rest.asks.map(([p, q]) => [Number(p), Number(q)]));
  });
});

describe('formatting and names', () => {
  it('prints integers scaled by powers of ten with 8 decimals, like Binance', () => {
    expect(fixed8(6500012, 2)).toBe('65000.12000000');
    expect(fixed8(5, 2)).toBe('0.05000000');
    expect(fixed8(-21310, 2)).toBe('-213.10000000');
    expect(fixed8(2500, 8)).toBe('0.00002500');
    expect(fixed8(7, 0)).toBe('7.00000000');
    expect(fixed8(0, 5)).toBe('0.00000000');
    expect(float8(459964050.152652)).toBe('459964050.15270000');
  });

  it('parses Binance stream names', () => {
    expect(parseStream('btcusdt@ticker')).toEqual({ lowerId: 'btcusdt', kind: 'ticker' });
    expect(parseStream('btcusdt@depth@100ms')).toEqual({ lowerId: 'btcusdt', kind: 'depth' });
    expect(parseStream('btcusdt@miniTicker')).toEqual({ lowerId: 'btcusdt', kind: 'miniTicker' });
    expect(parseStream('btcusdt@aggTrade')).toEqual({ lowerId: 'btcusdt', kind: 'aggTrade' });
    expect(parseStream('!ticker@arr')).toEqual({ lowerId: '', kind: 'allTickers' });
    expect(parseStream('!miniTicker@arr')).toEqual({ lowerId: '', kind: 'allMiniTickers' });
    expect(parseStream('!bookTicker')).toBeUndefined();
    expect(parseStream('BTCUSDT@ticker')).toBeUndefined();
    expect(parseStream('btcusdt@kline_3m')).toBeUndefined();
    expect(parseStream('btcusdt')).toBeUndefined();
  });

  it('lists the realistic default symbols first, then SYM<n>/USDT', () => {
    const list = defaultSymbols(25);
    expect(list.slice(0, 6)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT']);
    expect(list[24]).toBe('SYM25/USDT');
    expect(new Set(list).size).toBe(25);
    expect(() => specFor('btc-usdt')).toThrow(/bad symbol/);
    expect(specFor('SYM25/USDT')).toEqual(specFor('SYM25/USDT'));
  });

  it('steps an optional history before it is created, so its klines have candles to load, built from those trades', () => {
    const now = 1_700_000_000_000; // not a whole minute: the oldest and newest candles are partial
    const plain = new SymbolModel(specFor('BTC/USDT'), 42, now);
    expect(plain.klines('1m').size).toBeLessThanOrEqual(2); // the warm-up's second only
    const m = new SymbolModel(specFor('BTC/USDT'), 42, now, 10_000, 120);
    const k1m = m.klines('1m');
    expect(k1m.size).toBeGreaterThanOrEqual(120);
    expect(k1m.size).toBeLessThanOrEqual(122);
    const first = k1m.at(0);
    expect(first.t).toBeGreaterThanOrEqual(now - 121 * 60_000);
    expect(first.t).toBeLessThan(now - 119 * 60_000);
    // every minute of the history traded: no gaps, a few trades each, ids consecutive across candles
    let trades = 0;
    for (let i = 1; i < k1m.size; i++) {
      const prev = k1m.at(i - 1);
      const k = k1m.at(i);
      expect(k.t - prev.t).toBe(60_000);
      expect(k.f).toBe(prev.L + 1);
      trades += prev.n;
    }
    expect(trades).toBeGreaterThanOrEqual(119 * 4);
    // the larger intervals agree with the 1m candles they cover
    expect(m.klines('1h').size).toBeGreaterThanOrEqual(2);
    expect(m.klines('1h').at(m.klines('1h').size - 1).L).toBe(k1m.at(k1m.size - 1).L);
    // the market carries on from there: the history's last trade is the model's last before its first live step
    expect(m.tradeId).toBe(k1m.at(k1m.size - 1).L);
  });
});

