// Checks the "add symbol" form before anything is sent, with the same symbol rule
// as the settings contract, so the trader sees the problem inline at once.
import { checkNotation, EXPECTED } from '../../../shared/instrument-notation';
import { WatchlistEntrySchema } from '../../../shared/settings';
import type { Settings } from '../../../shared/settings';

export type WatchInputResult = { ok: true; exchange: string; symbol: string } | { ok: false; error: string };

export function checkWatchInput(exchange: string, symbolText: string, settings: Settings | null): WatchInputResult {
  const symbol = symbolText.trim();
  if (symbol === '') return { ok: false, error: 'Enter a symbol such as "BTC/USDT".' };
  const parsed = WatchlistEntrySchema.shape.symbol.safeParse(symbol);
  if (!parsed.success) return { ok: false, error: `"${symbol}" is not ${parsed.error.issues[0]?.message ?? 'a valid symbol'}.` };
  const known = settings?.exchanges.find((e) => e.id === exchange);
  if (!known) return { ok: false, error: `Choose an exchange.` };
  if (!known.enabled) return { ok: false, error: `${exchange} is disabled in settings.` };
  if (checkNotation(known.kind, symbol)) return { ok: false, error: `${exchange} (${known.kind}) expects ${EXPECTED[known.kind]}.` };
  if (settings?.watchlist.some((w) => w.exchange === exchange && w.symbol === symbol)) {
    return { ok: false, error: `${symbol} on ${exchange} is already in the watchlist.` };
  }
  return { ok: true, exchange, symbol };
}
