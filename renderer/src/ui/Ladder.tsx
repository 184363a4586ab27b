// The depth ladder panel. React renders the frame of the panel, a canvas per side and
// the hidden rows mirroring them once (and when the number of levels changes); the rAF
// painter draws and writes every value (see depth/ladder-painter.ts), so book updates
// cause no render.
import { useCallback, useRef } from 'react';
import { LADDER_GROUPINGS, type LadderSettings } from '../../../shared/settings';
import { LADDER_GEOMETRY, type LadderColors } from '../depth/ladder-draw';
import type { LadderEls, LadderMirrorRow, LadderSideEls } from '../depth/ladder-painter';
import { textSlot } from '../paint/text-slot';
import { useApp, useRuntime } from './runtime-context';
import { useCanvasSize } from './use-canvas-size';
import { panelShown, shownKey } from '../workspace/linked-instrument';

/** The theme's colours and the rows' font, read once per mount (the canvas cannot use CSS variables). */
function colorsOf(root: HTMLElement): LadderColors {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    ask: v('--down', '#ff5c5c'),
    bid: v('--up', '#2ecc71'),
    text: v('--text', '#d7dee8'),
    muted: v('--muted', '#7c8898'),
    askCum: 'rgba(255, 92, 92, 0.08)',
    bidCum: 'rgba(46, 204, 113, 0.08)',
    askSize: 'rgba(255, 92, 92, 0.22)',
    bidSize: 'rgba(46, 204, 113, 0.22)',
    changed: 'rgba(77, 163, 255, 0.16)',
    font: `${css.fontSize} ${css.fontFamily}`,
  };
}

/** `id`: the panel's id; it paints its link group's focused instrument. */
export function Ladder({ id }: { id: string }) {
  const { registerLadder, resizeLadder, api } = useRuntime();
  const focus = useApp((s) => panelShown(s, id));
  const settings = useApp((s) => s.settings);
  const options = settings?.ui.ladder;
  const levels = options?.levels ?? 20;

  const attach = useCallback(
    (root: HTMLElement | null) => {
      if (!root) return registerLadder(id, null, null);
      const q = (sel: string): HTMLElement => {
        const el = root.querySelector<HTMLElement>(sel);
        if (!el) throw new Error(`ladder lacks ${sel}`);
        return el;
      };
      const side = (name: 'ask' | 'bid'): LadderSideEls | null => {
        const canvas = q(`canvas.ladder-canvas.${name}`) as HTMLCanvasElement;
        const ctx = canvas.getContext('2d');
        if (!ctx) return null;
        const mirror = [...root.querySelectorAll<HTMLElement>(`.ladder-mirror .ladder-row.${name}`)].map(
          (row): LadderMirrorRow => ({
            row,
            price: textSlot(row.querySelector<HTMLElement>('.px')!),
            size: textSlot(row.querySelector<HTMLElement>('.sz')!),
            cum: textSlot(row.querySelector<HTMLElement>('.cum')!),
            traded: textSlot(row.querySelector<HTMLElement>('.vol')!),
          }),
        );
        return { canvas, ctx, mirror };
      };
      const asks = side('ask');
      const bids = side('bid');
      if (!asks || !bids) return registerLadder(id, null, null);
      const els: LadderEls = {
        root,
        state: q('.book-state'),
        age: textSlot(q('.book-age')),
        updateId: textSlot(q('.book-id')),
        spread: textSlot(q('.ladder-spread')),
        imbalanceBar: q('.imbalance .fill'),
        imbalanceText: textSlot(q('.imbalance-text')),
        asks,
        bids,
      };
      registerLadder(id, els, colorsOf(root));
    },
    // the pool changes with the number of levels
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [registerLadder, id, levels],
  );
  // Both sides have one width: the asks' canvas reports it. A new number of levels
  // mounts new canvases (the section's key): a new callback observes the new one.
  const asksCanvas = useRef<HTMLCanvasElement | null>(null);
  const onSize = useCallback(
    (w: number, _h: number, dpr: number) => resizeLadder(id, w, dpr),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [resizeLadder, id, levels],
  );
  useCanvasSize(asksCanvas, onSize);

  const set = (change: Partial<LadderSettings>) => {
    if (!options) return;
    api.send({ type: 'set-panels', ladder: { ...options, ...change } });
  };

  const canvasHeight = levels * LADDER_GEOMETRY.rowHeight;
  // The drawn rows as text, for assistive tech and tests (top to bottom, as drawn).
  const mirror = (side: 'ask' | 'bid') =>
    Array.from({ length: levels }, (_, i) => (
      <li key={i} className={`ladder-row ${side}`}>
        <span className="vol" /> <span className="px" /> <span className="sz" /> <span className="cum" />
      </li>
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
      <div className="ladder-side asks">
        <canvas className="ladder-canvas ask" ref={asksCanvas} style={{ height: canvasHeight }} aria-hidden="true" />
      </div>
      <div className="ladder-spread" data-testid="spread" />
      <div className="ladder-side bids">
        <canvas className="ladder-canvas bid" style={{ height: canvasHeight }} aria-hidden="true" />
      </div>
      <ol className="ladder-mirror" aria-label="Asks, worst to best">
        {mirror('ask')}
      </ol>
      <ol className="ladder-mirror" aria-label="Bids, best to worst">
        {mirror('bid')}
      </ol>
      <footer className="imbalance-row">
        <span className="imbalance" title="bid vs ask volume over the visible levels">
          <span className="fill" />
        </span>
        <span className="imbalance-text muted" />
      </footer>
    </section>
  );
}
