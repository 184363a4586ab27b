// The watchlist table. React renders which rows exist; the rAF painter fills in
// and updates every live value (see paint/row-painter.ts), so ticks cause no render.
import type React from 'react';
import { memo, useCallback } from 'react';
import type { PaintableElement, PaintedField, RowElements } from '../paint/row-painter';
import { PAINTED_FIELDS } from '../paint/row-painter';
import { SlottedCell } from '../paint/text-slot';
import type { WatchRowDef } from '../state/app-store';
import { useApp, useRuntime } from './runtime-context';

export function Watchlist() {
  const rows = useApp((s) => s.rows);
  const ready = useApp((s) => s.ready);
  const focusKey = useApp((s) => s.focus?.key);
  const { app } = useRuntime();
  // Arrow keys move the selection while the watchlist has the keyboard focus.
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    app.getState().selectBy(e.key === 'ArrowDown' ? 1 : -1);
  };
  return (
    <section className="watchlist" aria-label="Watchlist" tabIndex={0} onKeyDown={onKeyDown}>
      <table>
        <thead>
          <tr>
            <th className="txt">Symbol</th>
            <th className="txt">Exchange</th>
            <th className="txt">State</th>
            <th>Bid</th>
            <th>Ask</th>
            <th>Last</th>
            <th>24h %</th>
            <th>24h Vol</th>
            <th>Age</th>
            <th>Delay</th>
            <th className="txt">Source</th>
            <th aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <WatchRow key={row.key} row={row} selected={row.key === focusKey} />
          ))}
        </tbody>
      </table>
      {ready && rows.length === 0 && <p className="empty">The watchlist is empty. Add a symbol above.</p>}
    </section>
  );
}

const WatchRow = memo(function WatchRow({ row, selected }: { row: WatchRowDef; selected: boolean }) {
  const { registerRow, api, app } = useRuntime();
  const { key } = row;
  // Registers this row's cells with the painter on mount (painted immediately,
  // before the browser shows it) and unregisters on unmount. Each painted cell's
  // text goes through one Text node (paint/text-slot.ts).
  const attach = useCallback(
    (tr: HTMLTableRowElement | null) => {
      if (!tr) return;
      const cells = {} as Record<PaintedField, PaintableElement>;
      for (const field of PAINTED_FIELDS) {
        const cell = tr.querySelector<HTMLElement>(`[data-field="${field}"]`);
        if (!cell) throw new Error(`row ${key} lacks cell ${field}`);
        cells[field] = new SlottedCell(cell);
      }
      const badge = tr.querySelector<HTMLElement>('.badge');
      if (!badge) throw new Error(`row ${key} lacks its badge`);
      const elements: RowElements = { row: tr, cells, badge: new SlottedCell(badge) };
      return registerRow(key, elements);
    },
    [key, registerRow],
  );
  const unwatch = () => api.send({ type: 'unwatch', exchange: row.exchange, symbol: row.symbol });
  return (
    <tr ref={attach} data-row={key} className={selected ? 'selected' : undefined} aria-selected={selected} onClick={() => app.getState().select(key)}>
      <td data-field="symbol" className="txt sym">
        {row.symbol}
      </td>
      <td data-field="exchange" className="txt">
        {row.exchange}
      </td>
      <td className="txt">
        <span className="badge" />
      </td>
      <td data-field="bid" className="num" />
      <td data-field="ask" className="num" />
      <td data-field="last" className="num" />
      <td data-field="changePct" className="num" />
      <td data-field="volume" className="num" />
      <td data-field="age" className="num" />
      <td data-field="delay" className="num" />
      <td data-field="source" className="txt" />
      <td className="act">
        <button type="button" data-action="unwatch" title={`Remove ${row.symbol} (${row.exchange})`} onClick={(e) => { e.stopPropagation(); unwatch(); }}>
          ×
        </button>
      </td>
    </tr>
  );
});
