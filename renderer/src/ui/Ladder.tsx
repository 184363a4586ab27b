// The depth ladder panel. React renders the frame of the panel and its fixed pool of
// rows once (and when the number of levels changes); the rAF painter writes every
// value (see depth/ladder-painter.ts), so book updates cause no render.
import { useCallback } from 'react';
import { LADDER_GROUPINGS, type LadderSettings } from '../../../shared/settings';
import type { LadderEls, LadderRowEls } from '../depth/ladder-painter';
import { textSlot } from '../paint/text-slot';
import { useApp, useRuntime } from './runtime-context';
import { panelShown, shownKey } from '../workspace/linked-instrument';

/** `id`: the panel's id; it paints its link group's focused instrument. */
export function Ladder({ id }: { id: string }) {
  const { registerLadder, api } = useRuntime();
  const focus = useApp((s) => panelShown(s, id));
  const settings = useApp((s) => s.settings);
  const options = settings?.ui.ladder;
  const levels = options?.levels ?? 20;

  const attach = useCallback(
    (root: HTMLElement | null) => {
      if (!root) return registerLadder(id, null);
      const q = (sel: string): HTMLElement => {
        const el = root.querySelector<HTMLElement>(sel);
        if (!el) throw new Error(`ladder lacks ${sel}`);
        return el;
      };
      const rows = (side: string): LadderRowEls[] =>
        [...root.querySelectorAll<HTMLElement>(`.ladder-row.${side}`)].map((row) => ({
          row,
          price: textSlot(row.querySelector<HTMLElement>('.px')!),
          size: textSlot(row.querySelector<HTMLElement>('.sz')!),
          cum: textSlot(row.querySelector<HTMLElement>('.cum:not(.bar)')!),
          traded: textSlot(row.querySelector<HTMLElement>('.vol')!),
          sizeBar: row.querySelector<HTMLElement>('.bar.size')!,
          cumBar: row.querySelector<HTMLElement>('.bar.cum')!,
        }));
      const els: LadderEls = {
        root,
        state: q('.book-state'),
        age: textSlot(q('.book-age')),
        updateId: textSlot(q('.book-id')),
        spread: textSlot(q('.ladder-spread')),
        imbalanceBar: q('.imbalance .fill'),
        imbalanceText: textSlot(q('.imbalance-text')),
        asks: rows('ask'),
        bids: rows('bid'),
      };
      registerLadder(id, els);
    },
    // the pool changes with the number of levels
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [registerLadder, id, levels],
  );

  const set = (change: Partial<LadderSettings>) => {
    if (!options) return;
    api.send({ type: 'set-panels', ladder: { ...options, ...change } });
  };

  const pool = (side: 'ask' | 'bid') =>
    Array.from({ length: levels }, (_, i) => (
      <div key={i} className={`ladder-row ${side}`}>
        <span className="bar cum" />
        <span className="bar size" />
        <span className="vol" />
        <span className="px" />
        <span className="sz" />
        <span className="cum" />
      </div>
    ));

  return (
    <section className="ladder panel" aria-label="Depth ladder" data-instrument={shownKey(focus)} ref={attach} key={levels}>
      <header className="panel-head">
        <strong className="panel-title">{focus ? `${focus.symbol} · ${focus.exchange}` : 'Depth'}</strong>
        {/* written every frame: its own layout island, apart from the select (see styles.css) */}
        <span className="book-status">
          <span className="book-status-in">
            <span className="book-state" data-testid="book-state" />
            <span className="book-age muted" data-testid="book-age" />
            <span className="book-id muted" />
          </span>
        </span>
        <span className="spacer" />
        <label className="muted">
          group{' '}
          <select aria-label="Price grouping (ticks)" value={options?.grouping ?? 1} onChange={(e) => set({ grouping: Number(e.target.value) })}>
            {LADDER_GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div className="ladder-cols muted">
        <span>traded {options?.volumeMinutes ?? 5}m</span>
        <span>price</span>
        <span>size</span>
        <span>total</span>
      </div>
      <div className="ladder-side asks">{pool('ask')}</div>
      <div className="ladder-spread" data-testid="spread" />
      <div className="ladder-side bids">{pool('bid')}</div>
      <footer className="imbalance-row">
        <span className="imbalance" title="bid vs ask volume over the visible levels">
          <span className="fill" />
        </span>
        <span className="imbalance-text muted" />
      </footer>
    </section>
  );
}
