// Which instrument the chart shows: the focused one (a selected watchlist row or a
// symbol-search pick), like the ladder and the tape; the first row until one is.
import type { AppState } from '../state/app-store';

export interface ChartInstrument {
  exchange: string;
  symbol: string;
}

/** An object held by the store (stable identity, so React re-renders only when it changes). */
export function chartInstrument(state: Pick<AppState, 'rows' | 'focus'>): ChartInstrument | null {
  return state.focus ?? state.rows[0] ?? null;
}
