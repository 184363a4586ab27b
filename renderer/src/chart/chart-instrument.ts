// Which instrument the chart shows: the first watchlist row until the renderer
// has a focused instrument; then this one selector follows focus.
import type { AppState } from '../state/app-store';

export interface ChartInstrument {
  exchange: string;
  symbol: string;
}

/** A row object held by the store (stable identity, so React re-renders only when it changes). */
export function chartInstrument(state: Pick<AppState, 'rows'>): ChartInstrument | null {
  return state.rows[0] ?? null;
}
