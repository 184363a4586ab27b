// The developer menu's fault buttons: what each one asks the simulator to do.
import type { SimFault } from '../../../shared/contract/sim-faults';

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

/** "btc/usdt" → "BTCUSDT": the simulator's exchange symbol for a unified one. */
export function exchangeSymbol(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
