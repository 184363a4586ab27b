// The developer menu's broker stand-in faults: the contract validates them where main
// receives them, and every button of the menu builds one it accepts.
import { describe, expect, it } from 'vitest';
import { BrokerFaultSchema, OpenDFaultSchema, TwsFaultSchema } from '../../shared/contract/broker-faults';
import { FromRendererSchema } from '../../shared/contract/renderer-api';
import { defaultSettings } from '../../shared/settings';
import { BROKER_FAULTS, simulatedBrokers } from '../../renderer/src/state/dev-faults';

describe('broker fault contract', () => {
  it('accepts every fault of the TWS and OpenD stand-ins', () => {
    for (const f of [
      { kind: 'drop' },
      { kind: 'refuse', ms: 10_000 },
      { kind: 'stall', ms: 1 },
      { kind: 'connectivity-lost' },
      { kind: 'connectivity-restored', dataLost: true },
      { kind: 'connectivity-restored', dataLost: false },
      { kind: 'client-id-in-use', clientId: 0 },
      { kind: 'pacing', perSecond: 0 },
      { kind: 'live-permission', granted: false },
      { kind: 'clear' },
    ]) expect(TwsFaultSchema.parse(f)).toEqual(f);
    for (const f of [{ kind: 'drop' }, { kind: 'stall' }, { kind: 'quota', quota: 0 }, { kind: 'clear' }]) expect(OpenDFaultSchema.parse(f)).toEqual(f);
  });

  it('refuses unknown kinds, a fault of the other broker, missing or out-of-range fields and extra keys', () => {
    const bad: unknown[] = [
      { broker: 'ib', fault: { kind: 'quota', quota: 0 } },
      { broker: 'futu', fault: { kind: 'connectivity-lost' } },
      { broker: 'futu', fault: { kind: 'stall', ms: 1000 } },
      { broker: 'ib', fault: { kind: 'stall' } },
      { broker: 'ib', fault: { kind: 'stall', ms: 0 } },
      { broker: 'ib', fault: { kind: 'refuse', ms: 3_600_001 } },
      { broker: 'ib', fault: { kind: 'client-id-in-use', clientId: -1 } },
      { broker: 'ib', fault: { kind: 'pacing', perSecond: 1.5 } },
      { broker: 'futu', fault: { kind: 'quota', quota: -1 } },
      { broker: 'ib', fault: { kind: 'drop', code: 1006 } },
      { broker: 'binance', fault: { kind: 'drop' } },
      { broker: 'ib' },
    ];
    for (const b of bad) expect(BrokerFaultSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });

  it('is a renderer request main validates, like sim-fault', () => {
    const ok = { type: 'broker-fault', fault: { broker: 'ib', fault: { kind: 'connectivity-lost' } } };
    expect(FromRendererSchema.parse(ok)).toEqual(ok);
    expect(FromRendererSchema.safeParse({ type: 'broker-fault', fault: { broker: 'ib', fault: { kind: 'explode' } } }).success).toBe(false);
    expect(FromRendererSchema.safeParse({ type: 'broker-fault', fault: { broker: 'futu', fault: { kind: 'clear' } }, extra: 1 }).success).toBe(false);
  });
});

describe('developer menu broker buttons', () => {
  it('offer every stand-in fault, each valid for its broker', () => {
    expect(BROKER_FAULTS.ib.map((f) => f.id)).toEqual(['ib-refuse', 'ib-stall', 'ib-1100', 'ib-1101', 'ib-1102', 'ib-client-id', 'ib-pacing', 'ib-delayed', 'ib-clear']);
    expect(BROKER_FAULTS.futu.map((f) => f.id)).toEqual(['futu-stall', 'futu-quota', 'futu-clear']);
    for (const [broker, buttons] of Object.entries(BROKER_FAULTS)) {
      for (const b of buttons) {
        const fault = b.fault(7);
        expect(fault.broker).toBe(broker);
        expect(BrokerFaultSchema.parse(fault)).toEqual(fault);
      }
    }
    expect(BROKER_FAULTS.ib.find((f) => f.id === 'ib-client-id')!.fault(7)).toEqual({ broker: 'ib', fault: { kind: 'client-id-in-use', clientId: 7 } });
    const kinds = new Set(TwsFaultSchema.options.map((o) => o.shape.kind.value));
    // "drop" is the menu's common Drop button (it reaches the stand-ins too).
    expect(new Set(['drop', ...BROKER_FAULTS.ib.map((b) => b.fault(0).fault.kind)])).toEqual(kinds);
    expect(new Set(['drop', ...BROKER_FAULTS.futu.map((b) => b.fault(0).fault.kind)])).toEqual(new Set(OpenDFaultSchema.options.map((o) => o.shape.kind.value)));
  });

  it('show for the broker kinds with an enabled simulated entry, with the IB entry\'s client id', () => {
    const d = defaultSettings();
    expect(simulatedBrokers(d)).toEqual({ kinds: ['ib', 'futu'], ibClientId: 0 });
    const ibOnly = d.exchanges.map((e) => (e.kind === 'futu' ? { ...e, enabled: false } : e.kind === 'ib' ? { ...e, ib: { host: '127.0.0.1', port: 7497, clientId: 12 } } : e));
    expect(simulatedBrokers({ exchanges: ibOnly })).toEqual({ kinds: ['ib'], ibClientId: 12 });
    expect(simulatedBrokers({ exchanges: d.exchanges.filter((e) => e.kind === 'ccxt') })).toEqual({ kinds: [], ibClientId: 0 });
    expect(simulatedBrokers(null)).toEqual({ kinds: [], ibClientId: 0 });
  });
});
