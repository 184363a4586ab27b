// Developer menu (settings.ui.devMenu): injects simulator faults, and the TWS and
// OpenD stand-ins' own faults when a simulated IB or Futu entry is enabled.
import { useMemo, useState } from 'react';
import { BROKER_FAULTS, DEV_FAULTS, exchangeSymbol, simulatedBrokers } from '../state/dev-faults';
import { useApp, useRuntime } from './runtime-context';

export function DevMenu() {
  const { api } = useRuntime();
  const enabled = useApp((s) => s.settings?.ui.devMenu ?? false);
  const firstSymbol = useApp((s) => s.rows[0]?.symbol ?? 'BTC/USDT');
  const exchanges = useApp((s) => s.settings?.exchanges);
  const brokers = useMemo(() => simulatedBrokers(exchanges ? { exchanges } : null), [exchanges]);
  const [symbolText, setSymbolText] = useState<string | null>(null);
  if (!enabled) return null;
  const symbol = exchangeSymbol(symbolText ?? firstSymbol);

  return (
    <section className="dev-menu" data-testid="dev-menu" aria-label="Developer menu">
      <span className="dev-title">Simulator faults</span>
      {DEV_FAULTS.map((f) => (
        <button
          key={f.id}
          type="button"
          data-fault={f.id}
          disabled={f.perSymbol && symbol === ''}
          onClick={() => api.send({ type: 'sim-fault', fault: f.fault(symbol) })}
        >
          {f.label}
          {f.perSymbol && ` ${symbol}`}
        </button>
      ))}
      <input
        className="fault-symbol"
        data-testid="fault-symbol"
        aria-label="Symbol for per-symbol faults"
        spellCheck={false}
        value={symbolText ?? symbol}
        onChange={(e) => setSymbolText(e.target.value)}
      />
      {brokers.kinds.map((kind) => (
        <span key={kind} className="dev-broker" data-broker={kind}>
          <span className="dev-title">{kind === 'ib' ? 'TWS stand-in' : 'OpenD stand-in'}</span>
          {BROKER_FAULTS[kind].map((f) => (
            <button key={f.id} type="button" data-fault={f.id} onClick={() => api.send({ type: 'broker-fault', fault: f.fault(brokers.ibClientId) })}>
              {f.label}
            </button>
          ))}
        </span>
      ))}
    </section>
  );
}
