// The developer menu's fault buttons: what each one asks the simulator to do.
import type { BrokerFault } from '../../../shared/contract/broker-faults';
import type { SimFault } from '../../../shared/contract/sim-faults';
import type { Settings } from '../../../shared/settings';

export interface DevFaultButton {
  /** data-fault attribute (DOM contract). */
  id: string;
  label: string;
  /** Aimed at the symbol typed in the menu (the button shows it and is disabled without one). */
  perSymbol?: true;
  /** Builds the fault; `symbol` is the exchange symbol typed in the menu. */
  fault(symbol: string): SimFault;
}

export const DEV_FAULTS: readonly DevFaultButton[] = [
  { id: 'drop-1000', label: 'Drop (1000)', fault: () => ({ kind: 'drop', code: 1000 }) },
  { id: 'drop-1006', label: 'Drop (1006)', fault: () => ({ kind: 'drop', code: 1006 }) },
  { id: 'refuse', label: 'Refuse 10 s', fault: () => ({ kind: 'refuse', durationMs: 10_000 }) },
  { id: 'silence', label: 'Silence 10 s', fault: () => ({ kind: 'silence', durationMs: 10_000 }) },
  { id: 'ignore-pings', label: 'Ignore pings 30 s', fault: () => ({ kind: 'ignore-pings', durationMs: 30_000 }) },
  { id: 'malformed', label: 'Malformed ×5', fault: () => ({ kind: 'malformed', count: 5 }) },
  { id: 'reject-subscription', label: 'Reject subscription', perSymbol: true, fault: (symbol) => ({ kind: 'reject-subscription', symbol }) },
  { id: 'rest-error', label: 'REST 429 30 s', fault: () => ({ kind: 'rest-error', status: 429, durationMs: 30_000 }) },
  { id: 'burst', label: 'Burst 200/s 10 s', fault: () => ({ kind: 'burst', ratePerSymbol: 200, durationMs: 10_000 }) },
  // A market storm: far more than one streaming process handles, so it falls behind and must catch up.
  { id: 'storm', label: 'Storm 5000/s 10 s', fault: () => ({ kind: 'burst', ratePerSymbol: 5000, durationMs: 10_000 }) },
  { id: 'server-shutdown', label: 'Server shutdown', fault: () => ({ kind: 'server-shutdown' }) },
  { id: 'lifetime', label: 'Lifetime 10 s', fault: () => ({ kind: 'lifetime', maxLifetimeMs: 10_000 }) },
  { id: 'book-gap', label: 'Book gap', perSymbol: true, fault: (symbol) => ({ kind: 'book-gap', symbol }) },
  { id: 'book-crossed', label: 'Book crossed', perSymbol: true, fault: (symbol) => ({ kind: 'book-crossed', symbol }) },
  { id: 'book-stale-snapshot', label: 'Stale book snapshot', perSymbol: true, fault: (symbol) => ({ kind: 'book-stale-snapshot', symbol }) },
  { id: 'trades-pause', label: 'Pause trades 10 s', perSymbol: true, fault: (symbol) => ({ kind: 'trades-pause', symbol, durationMs: 10_000 }) },
  { id: 'clear', label: 'Clear faults', fault: () => ({ kind: 'clear' }) },
];

export interface BrokerFaultButton {
  /** data-fault attribute (DOM contract). */
  id: string;
  label: string;
  /** Builds the fault; `clientId` is the simulated IB entry's (TWS stand-in faults naming a client id). */
  fault(clientId: number): BrokerFault;
}

export type BrokerKind = BrokerFault['broker'];

/**
 * The TWS and OpenD stand-ins' own faults. "Drop" and "Clear faults" above reach
 * the stand-ins too; a refusal, a held client id or pacing shows at the next
 * connection or request (drop after it).
 */
export const BROKER_FAULTS: Readonly<Record<BrokerKind, readonly BrokerFaultButton[]>> = {
  ib: [
    { id: 'ib-refuse', label: 'Refuse 10 s', fault: () => ({ broker: 'ib', fault: { kind: 'refuse', ms: 10_000 } }) },
    { id: 'ib-stall', label: 'Stall 10 s', fault: () => ({ broker: 'ib', fault: { kind: 'stall', ms: 10_000 } }) },
    { id: 'ib-1100', label: 'Lost IB (1100)', fault: () => ({ broker: 'ib', fault: { kind: 'connectivity-lost' } }) },
    { id: 'ib-1101', label: 'Restored, data lost (1101)', fault: () => ({ broker: 'ib', fault: { kind: 'connectivity-restored', dataLost: true } }) },
    { id: 'ib-1102', label: 'Restored, data kept (1102)', fault: () => ({ broker: 'ib', fault: { kind: 'connectivity-restored', dataLost: false } }) },
    { id: 'ib-client-id', label: 'Client id in use (326)', fault: (clientId) => ({ broker: 'ib', fault: { kind: 'client-id-in-use', clientId } }) },
    { id: 'ib-pacing', label: 'Pacing 1 req/s (100)', fault: () => ({ broker: 'ib', fault: { kind: 'pacing', perSecond: 1 } }) },
    { id: 'ib-delayed', label: 'No live permission', fault: () => ({ broker: 'ib', fault: { kind: 'live-permission', granted: false } }) },
    { id: 'ib-clear', label: 'Clear TWS faults', fault: () => ({ broker: 'ib', fault: { kind: 'clear' } }) },
  ],
  futu: [
    { id: 'futu-stall', label: 'Stall', fault: () => ({ broker: 'futu', fault: { kind: 'stall' } }) },
    { id: 'futu-quota', label: 'Quota 0', fault: () => ({ broker: 'futu', fault: { kind: 'quota', quota: 0 } }) },
    { id: 'futu-clear', label: 'Clear OpenD faults', fault: () => ({ broker: 'futu', fault: { kind: 'clear' } }) },
  ],
};

/** The broker kinds with an enabled simulated entry (their stand-in runs), and the simulated IB entry's client id. */
export function simulatedBrokers(settings: Pick<Settings, 'exchanges'> | null): { kinds: BrokerKind[]; ibClientId: number } {
  const sims = (settings?.exchanges ?? []).filter((e) => e.simulated && e.enabled);
  const ib = sims.find((e) => e.kind === 'ib');
  return { kinds: (['ib', 'futu'] as const).filter((k) => sims.some((e) => e.kind === k)), ibClientId: ib?.ib?.clientId ?? 0 };
}

/** "btc/usdt" → "BTCUSDT": the simulator's exchange symbol for a unified one. */
export function exchangeSymbol(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
