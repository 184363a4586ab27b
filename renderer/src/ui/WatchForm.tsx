// Adds a symbol to the watchlist. Main answers with new settings (the row appears)
// or a notice (refused); local checks catch malformed input first.
import type { FormEvent } from 'react';
import { useState } from 'react';
import { checkWatchInput } from '../state/watch-input';
import { useApp, useRuntime } from './runtime-context';

export function WatchForm() {
  const { api } = useRuntime();
  const settings = useApp((s) => s.settings);
  const exchanges = settings?.exchanges.filter((e) => e.enabled) ?? [];
  const [chosen, setChosen] = useState('');
  const [symbol, setSymbol] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Falls back to the first exchange until the trader picks one (settings may arrive later).
  const exchange = exchanges.some((e) => e.id === chosen) ? chosen : (exchanges[0]?.id ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = checkWatchInput(exchange, symbol, settings);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setSymbol('');
    api.send({ type: 'watch', exchange: result.exchange, symbol: result.symbol, channels: ['ticker'] });
  };

  return (
    <form className="watch-form" onSubmit={submit} noValidate>
      <select data-testid="watch-exchange" aria-label="Exchange" value={exchange} onChange={(e) => setChosen(e.target.value)}>
        {exchanges.map((e) => (
          <option key={e.id} value={e.id}>
            {e.id}
          </option>
        ))}
      </select>
      <input
        data-testid="watch-symbol"
        aria-label="Symbol"
        aria-invalid={error !== null}
        placeholder="BTC/USDT"
        spellCheck={false}
        autoComplete="off"
        value={symbol}
        onChange={(e) => {
          setSymbol(e.target.value);
          if (error) setError(null);
        }}
      />
      <button type="submit" data-testid="watch-add" disabled={!settings}>
        Add
      </button>
      {error && (
        <span className="watch-error" data-testid="watch-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
