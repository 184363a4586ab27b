import { describe, expect, it } from 'vitest';
import { QuoteModel, OPEND_BOOK_LEVELS } from '../../simulator/opend/quote-model';

const HK = { market: 1, code: '00700' };

function path(seed: number, steps: number): number[] {
  const m = new QuoteModel(HK, seed);
  return Array.from({ length: steps }, (_, i) => m.step(1_000 + i).price);
}

describe('OpenD stand-in quote model', () => {
  it('is deterministic per (seed, security) and differs across seeds', () => {
    expect(path(42, 50)).toEqual(path(42, 50));
    expect(path(42, 50)).not.toEqual(path(43, 50));
  });

  it('keeps quote, trades and book consistent: trade at the touch, high ≥ last ≥ low, sequences rising', () => {
    const m = new QuoteModel(HK, 7);
    let seq = 0;
    for (let i = 0; i < 500; i++) {
      const t = m.step(1_000 + i);
      const b = m.book();
      const q = m.basicQot(1_000 + i) as { curPrice: number; highPrice: number; lowPrice: number };
      expect(b.asks).toHaveLength(OPEND_BOOK_LEVELS);
      expect(b.bids[0]!.price).toBeLessThan(b.asks[0]!.price);
      expect([b.bids[0]!.price, b.asks[0]!.price]).toContain(t.price);
      expect(t.dir === 1 ? b.asks[0]!.price : b.bids[0]!.price).toBe(t.price); // a buyer lifts the ask
      expect(q.curPrice).toBe(t.price);
      expect(q.highPrice).toBeGreaterThanOrEqual(q.curPrice);
      expect(q.lowPrice).toBeLessThanOrEqual(q.curPrice);
      expect(t.sequence).toBe(++seq);
      for (let l = 1; l < OPEND_BOOK_LEVELS; l++) {
        expect(b.asks[l]!.price).toBeGreaterThan(b.asks[l - 1]!.price);
        expect(b.bids[l]!.price).toBeLessThan(b.bids[l - 1]!.price);
      }
    }
  });
});
