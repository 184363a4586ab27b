// The watchlist table. React renders which rows exist; the rAF painter fills in
// and updates every live value (see paint/row-painter.ts), so ticks cause no render.
// Its rows are laid out as fixed-size grids (styles.css): the roles are explicit, as a
// table whose display changed loses its implicit table semantics in some browsers.
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
      <table role="table">
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" className="txt">Symbol</th>
            <th role="columnheader" className="txt">Exchange</th>
            <th role="columnheader" className="txt">State</th>
            <th role="columnheader">Bid</th>
            <th role="columnheader">Ask</th>
            <th role="columnheader">Last</th>
            <th role="columnheader">24h %</th>
            <th role="columnheader">24h Vol</th>
            <th role="columnheader">Age</th>
            <th role="columnheader">Delay</th>
            <th role="columnheader" className="txt">Source</th>
            <th role="columnheader" aria-label="Remove" />
          </tr>
        </thead>
        <tbody role="rowgroup">
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
    <tr role="row" ref={attach} data-row={key} className={selected ? 'selected' : undefined} aria-selected={selected} onClick={() => app.getState().select(key)}>
      <td role="cell" data-field="symbol" className="txt sym" title={row.symbol}>
        {row.symbol}
      </td>
      <td role="cell" data-field="exchange" className="txt">
        {row.exchange}
      </td>
      <td role="cell" className="txt">
        <span className="badge" />
      </td>
      <td role="cell" data-field="bid" className="num" />
      <td role="cell" data-field="ask" className="num" />
      <td role="cell" data-field="last" className="num" />
      <td role="cell" data-field="changePct" className="num" />
      <td role="cell" data-field="volume" className="num" />
      <td role="cell" data-field="age" className="num" />
      <td role="cell" data-field="delay" className="num" />
      <td role="cell" data-field="source" className="txt" />
      <td role="cell" className="act">
        <button type="button" data-action="unwatch" title={`Remove ${row.symbol} (${row.exchange})`} onClick={(e) => { e.stopPropagation(); unwatch(); }}>
          ×
        </button>
      </td>
    </tr>
  );
});
