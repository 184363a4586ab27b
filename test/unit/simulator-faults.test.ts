// Fault validation (SimFaultSchema via parseFault) and the fault bookkeeping.
import { describe, expect, it } from 'vitest';
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import { FaultState, parseFault } from '../../simulator/faults';
import { SimFaultSchema, type SimFault } from '../../shared/contract/sim-faults';
import { DEV_FAULTS } from '../../renderer/src/state/dev-faults';

describe('fault validation', () => {
  it('accepts every valid fault kind', () => {
    const valid: SimFault[] = [
      { kind: 'drop', code: 1000 },
      { kind: 'drop', code: 1006 },
      { kind: 'refuse' },
      { kind: 'refuse', durationMs: 500 },
      { kind: 'silence', durationMs: 1000 },
      { kind: 'ignore-pings' },
      { kind: 'malformed', count: 3 },
      { kind: 'reject-subscription', symbol: 'BTCUSDT' },
      { kind: 'rest-error', status: 429 },
      { kind: 'rest-error', status: 503, durationMs: 100 },
      { kind: 'burst', ratePerSymbol: 500, durationMs: 2000 },
      { kind: 'server-shutdown' },
      { kind: 'lifetime', maxLifetimeMs: 1000 },
      { kind: 'book-gap' },
      { kind: 'book-gap', symbol: 'SOLUSDT' },
      { kind: 'book-crossed', symbol: 'BTCUSDT' },
      { kind: 'book-stale-snapshot' },
      { kind: 'trades-pause', durationMs: 2000 },
      { kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 2000 },
      { kind: 'clear' },
    ];
    for (const f of valid) {
      const r = parseFault(f);
      expect(r, JSON.stringify(f)).toEqual({ ok: true, fault: f });
    }
  });

  it('rejects invalid faults with a message naming the problem', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'explode' }, /kind/],
      [{ kind: 'drop', code: 1001 }, /code/],
      [{ kind: 'drop' }, /code/],
      [{ kind: 'malformed', count: 0 }, /count/],
      [{ kind: 'malformed', count: 1.5 }, /count/],
      [{ kind: 'reject-subscription', symbol: 'btc/usdt' }, /symbol/],
      [{ kind: 'rest-error', status: 404 }, /status/],
      [{ kind: 'burst', ratePerSymbol: -1 }, /ratePerSymbol/],
      [{ kind: 'silence', durationMs: -5 }, /durationMs/],
      [{ kind: 'clear', extra: true }, /extra|unrecognized/i],
      [{ kind: 'book-gap', symbol: 'btcusdt' }, /symbol/],
      [{ kind: 'book-crossed', symbol: 'BTC/USDT' }, /symbol/],
      [{ kind: 'trades-pause', symbol: 'BTCUSDT' }, /durationMs/],
      [{ kind: 'trades-pause', durationMs: 0 }, /durationMs/],
      ['drop', /invalid/],
      [null, /invalid/],
    ];
    for (const [value, re] of cases) {
      const r = parseFault(value);
      expect(r.ok, JSON.stringify(value)).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/^invalid fault: /);
        expect(r.error).toMatch(re);
      }
    }
  });

  it('ExchangeSimulator.fault throws on an invalid fault and records nothing', () => {
    const sim = new ExchangeSimulator();
    expect(() => sim.fault({ kind: 'drop', code: 1234 } as unknown as SimFault)).toThrow(/invalid fault/);
    expect(sim.activeFaults()).toEqual([]);
    sim.fault({ kind: 'silence', durationMs: 5000 });
    sim.fault({ kind: 'reject-subscription', symbol: 'ETHUSDT' });
    expect(sim.activeFaults()).toEqual([
      { kind: 'silence', durationMs: 5000 },
      { kind: 'reject-subscription', symbol: 'ETHUSDT' },
    ]);
    sim.fault({ kind: 'clear' });
    expect(sim.activeFaults()).toEqual([]);
    expect(() => sim.fault({ kind: 'trades-pause', symbol: 'NOPEUSDT', durationMs: 1000 })).toThrow(/unknown symbol NOPEUSDT/);
    expect(sim.activeFaults()).toEqual([]);
  });

  it('the developer menu offers every fault kind the schema accepts', () => {
    const kinds = SimFaultSchema.options.map((o) => o.shape.kind.value);
    const offered = new Set(DEV_FAULTS.map((f) => f.fault('BTCUSDT').kind));
    expect([...offered].sort()).toEqual([...kinds].sort());
  });

  it('marks exactly the menu faults aimed at the typed symbol as per-symbol (shown and disabled without one)', () => {
    for (const f of DEV_FAULTS) {
      const aimed = JSON.stringify(f.fault('ZZZUSDT')).includes('ZZZUSDT');
      expect(f.perSymbol === true, f.id).toBe(aimed);
    }
  });
});

describe('fault state', () => {
  it('keeps lasting faults until they expire or are cleared; one-shot faults are not kept', () => {
    const s = new FaultState();
    expect(s.apply({ kind: 'drop', code: 1000 }, 0)).toBe(false);
    expect(s.apply({ kind: 'malformed', count: 1 }, 0)).toBe(false);
    expect(s.apply({ kind: 'server-shutdown' }, 0)).toBe(false);
    expect(s.list()).toEqual([]);
    s.apply({ kind: 'silence', durationMs: 100 }, 1000);
    s.apply({ kind: 'refuse' }, 1000);
    s.apply({ kind: 'burst', ratePerSymbol: 50, durationMs: 300 }, 1000);
    expect(s.nextExpiry()).toBe(1100);
    expect(s.expire(1099)).toEqual([]);
    expect(s.expire(1100)).toEqual(['silence']);
    expect(s.has('silence')).toBe(false);
    expect(s.has('refuse')).toBe(true);
    expect(s.get('burst')?.ratePerSymbol).toBe(50);
    expect(s.nextExpiry()).toBe(1300);
    s.apply({ kind: 'burst', ratePerSymbol: 70 }, 1200); // replaces, now until cleared
    expect(s.get('burst')?.ratePerSymbol).toBe(70);
    expect(s.nextExpiry()).toBe(Infinity);
    s.apply({ kind: 'clear' }, 1300);
    expect(s.list()).toEqual([]);
  });

  it('rejects subscriptions per exchange symbol, several at once', () => {
    const s = new FaultState();
    s.apply({ kind: 'reject-subscription', symbol: 'BTCUSDT' }, 0);
    s.apply({ kind: 'reject-subscription', symbol: 'ETHUSDT' }, 0);
    expect(s.rejects('BTCUSDT')).toBe(true);
    expect(s.rejects('ETHUSDT')).toBe(true);
    expect(s.rejects('SOLUSDT')).toBe(false);
    expect(s.list()).toHaveLength(2);
  });

  it('pauses trades per symbol or for all until the duration runs out; book faults are one-shot', () => {
    const s = new FaultState();
    expect(s.apply({ kind: 'book-gap' }, 0)).toBe(false);
    expect(s.apply({ kind: 'book-crossed', symbol: 'BTCUSDT' }, 0)).toBe(false);
    expect(s.apply({ kind: 'book-stale-snapshot' }, 0)).toBe(false);
    expect(s.pausesTrades('BTCUSDT')).toBe(false);
    s.apply({ kind: 'trades-pause', symbol: 'BTCUSDT', durationMs: 100 }, 1000);
    expect(s.pausesTrades('BTCUSDT')).toBe(true);
    expect(s.pausesTrades('ETHUSDT')).toBe(false);
    s.apply({ kind: 'trades-pause', durationMs: 500 }, 1000);
    expect(s.pausesTrades('ETHUSDT')).toBe(true);
    expect(s.expire(1100)).toEqual(['trades-pause']);
    expect(s.pausesTrades('BTCUSDT')).toBe(true); // the all-symbols pause is still on
    expect(s.expire(1500)).toEqual(['trades-pause']);
    expect(s.pausesTrades('BTCUSDT')).toBe(false);
    expect(s.pausesTrades('ETHUSDT')).toBe(false);
    s.apply({ kind: 'trades-pause', symbol: 'SOLUSDT', durationMs: 100 }, 2000);
    s.apply({ kind: 'trades-pause', symbol: 'SOLUSDT', durationMs: 300 }, 2000); // replaces
    expect(s.list()).toEqual([{ kind: 'trades-pause', symbol: 'SOLUSDT', durationMs: 300 }]);
    s.apply({ kind: 'clear' }, 2100);
    expect(s.pausesTrades('SOLUSDT')).toBe(false);
  });
});
