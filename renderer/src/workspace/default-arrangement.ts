// Where the dock puts panels that have no saved layout (a new or reset workspace):
// the watchlist left with the diagnostics under it, the ladder in the middle, the
// tape right with the chart under it. Panels the default does not know (added
// charts, timelines) go right of the last one placed.
import type { PanelKind, Workspace } from '../../../shared/workspace';

export type Placement = { id: string; title: string } & ({ first: true } | { referencePanel: string; direction: 'right' | 'below' });

const DEFAULT_PLACES: Record<string, { referencePanel: string; direction: 'right' | 'below' }> = {
  'ladder-1': { referencePanel: 'watchlist-1', direction: 'right' },
  'tape-1': { referencePanel: 'ladder-1', direction: 'right' },
  'chart-1': { referencePanel: 'tape-1', direction: 'below' },
  'diagnostics-1': { referencePanel: 'watchlist-1', direction: 'below' },
};

const TITLES: Record<PanelKind, string> = { watchlist: 'Watchlist', ladder: 'Ladder', tape: 'Tape', chart: 'Chart', diagnostics: 'Diagnostics', timeline: 'Connection timeline' };

/** "Chart", "Chart 2": the tab title of a panel. */
export function panelTitle(id: string, kind: PanelKind): string {
  const n = id.slice(id.lastIndexOf('-') + 1);
  return n === '1' ? TITLES[kind] : `${TITLES[kind]} ${n}`;
}

/** The order and positions to add `ws`'s panels in; every reference is to a panel placed before it. */
export function arrangement(ws: Workspace): Placement[] {
  const out: Placement[] = [];
  const placed = new Set<string>();
  const ids = Object.keys(ws.panels);
  // Defaults whose reference is there first, in the default order; the rest after.
  const order = [...ids.filter((id) => id in DEFAULT_PLACES || id === 'watchlist-1'), ...ids.filter((id) => !(id in DEFAULT_PLACES) && id !== 'watchlist-1')];
  for (const id of order) {
    const title = panelTitle(id, ws.panels[id]!.kind);
    const place = DEFAULT_PLACES[id];
    const last = out[out.length - 1]?.id;
    if (place && placed.has(place.referencePanel)) out.push({ id, title, ...place });
    else if (last) out.push({ id, title, referencePanel: last, direction: 'right' });
    else out.push({ id, title, first: true });
    placed.add(id);
  }
  return out;
}
