import { describe, expect, it } from 'vitest';
import { RowSight, type SightEntry, type SightObserver } from '../../renderer/src/paint/row-sight';

/** Stands in for IntersectionObserver: records what it watches; `report` plays the browser. */
class FakeObserver implements SightObserver<object> {
  watched = new Set<object>();
  disconnected = false;
  constructor(readonly report: (entries: readonly SightEntry<object>[]) => void) {}
  observe(el: object) {
    this.watched.add(el);
  }
  unobserve(el: object) {
    this.watched.delete(el);
  }
  disconnect() {
    this.disconnected = true;
    this.watched.clear();
  }
}

function setup() {
  const made: FakeObserver[] = [];
  const seen: string[] = [];
  const sight = new RowSight<object>(
    (report) => {
      const o = new FakeObserver(report);
      made.push(o);
      return o;
    },
    (key, inSight) => seen.push(`${key} ${inSight ? 'in' : 'out'}`),
  );
  return { made, seen, sight };
}

describe('RowSight', () => {
  it('watches every row with one observer and names the rows the browser reports', () => {
    const { made, seen, sight } = setup();
    const btc = {};
    const eth = {};
    sight.attach(btc, 'sim|BTC/USDT');
    sight.attach(eth, 'sim|ETH/USDT');
    expect(made).toHaveLength(1);
    expect([...made[0]!.watched]).toEqual([btc, eth]);
    made[0]!.report([{ target: eth, isIntersecting: false }, { target: btc, isIntersecting: true }, { target: {}, isIntersecting: false }]);
    expect(seen).toEqual(['sim|ETH/USDT out', 'sim|BTC/USDT in']);
  });

  it('stops watching a detached row, and the observer ends with the last row', () => {
    const { made, seen, sight } = setup();
    const btc = {};
    const eth = {};
    const detachBtc = sight.attach(btc, 'sim|BTC/USDT');
    const detachEth = sight.attach(eth, 'sim|ETH/USDT');
    detachBtc();
    detachBtc();
    expect([...made[0]!.watched]).toEqual([eth]);
    made[0]!.report([{ target: btc, isIntersecting: true }]);
    expect(seen).toEqual([]);
    expect(made[0]!.disconnected).toBe(false);
    detachEth();
    expect(made[0]!.disconnected).toBe(true);
    expect(sight.watching).toBe(0);
    // a row attached later gets a new observer
    sight.attach(btc, 'sim|BTC/USDT');
    expect(made).toHaveLength(2);
    expect([...made[1]!.watched]).toEqual([btc]);
  });

  it('a row re-attached under another key: the old detach leaves the new one watched', () => {
    const { made, sight } = setup();
    const tr = {};
    const detachOld = sight.attach(tr, 'sim|BTC/USDT');
    sight.attach(tr, 'sim|ETH/USDT');
    detachOld();
    expect([...made[0]!.watched]).toEqual([tr]);
  });
});
