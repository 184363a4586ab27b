// The trades tape panel: one canvas painted per frame by depth/tape-painter.ts (only
// when the tape changed), plus a hidden list mirroring the drawn lines a few times a
// second for assistive tech and tests. Hovering pauses it (the lines stay put and the
// header counts what arrived); options are sent to main and remembered in settings.
import { useCallback, useRef } from 'react';
import type { TapeSettings } from '../../../shared/settings';
import { TAPE_GEOMETRY } from '../depth/tape-layout';
import type { MirrorLine, TapeColors, TapeEls } from '../depth/tape-painter';
import { textSlot } from '../paint/text-slot';
import { useApp, useRuntime } from './runtime-context';
import { useCanvasSize } from './use-canvas-size';
import { panelShown, shownKey } from '../workspace/linked-instrument';

const LINES = 30;
const CANVAS_HEIGHT = LINES * TAPE_GEOMETRY.lineHeight + 2 * TAPE_GEOMETRY.topPad;

/** The theme's colours, read once per mount (the canvas cannot use CSS variables). */
function colorsOf(root: HTMLElement): TapeColors {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const mono = v('--mono', 'monospace');
  return {
    buy: v('--up', '#2ecc71'),
    sell: v('--down', '#ff5c5c'),
    unknown: v('--text', '#d7dde5'),
    muted: v('--muted', '#7c8898'),
    warn: v('--warn', '#f0b429'),
    gapBg: '#2a2112',
    largeBg: 'rgba(240, 180, 41, 0.12)',
    font: `12px ${mono}`,
    boldFont: `700 12px ${mono}`,
  };
}

/** A hidden line whose text goes through its own Text node (paint/text-slot.ts): a rewrite changes it in place. */
function slottedLine(li: HTMLElement): MirrorLine {
  const text = textSlot(li);
  return {
    get className() {
      return li.className;
    },
    set className(v: string) {
      li.className = v;
    },
    get textContent() {
      return text.textContent;
    },
    set textContent(v: string | null) {
      text.textContent = v ?? '';
    },
    dataset: li.dataset,
  };
}

/** `id`: the panel's id; it paints its link group's focused instrument. */
export function Tape({ id }: { id: string }) {
  const { registerTape, resizeTape, api, pauseTape } = useRuntime();
  const focus = useApp((s) => panelShown(s, id));
  const options = useApp((s) => s.settings?.ui.tape);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);

  const attach = useCallback(
    (root: HTMLElement | null) => {
      if (!root) return registerTape(id, null, null);
      const canvas = root.querySelector<HTMLCanvasElement>('canvas.tape-canvas')!;
      const ctx = canvas.getContext('2d');
      if (!ctx) return registerTape(id, null, null);
      const els: TapeEls = {
        paused: root.querySelector<HTMLElement>('.tape-paused')!,
        canvas,
        ctx,
        mirror: [...root.querySelectorAll<HTMLElement>('.tape-mirror .tape-line')].map(slottedLine),
      };
      registerTape(id, els, colorsOf(root));
    },
    [registerTape, id],
  );

  const onSize = useCallback((w: number, h: number, dpr: number) => resizeTape(id, w, h, dpr), [resizeTape, id]);
  useCanvasSize(canvasRef, onSize);

  const set = (change: Partial<TapeSettings>) => {
    if (!options) return;
    api.send({ type: 'set-panels', tape: { ...options, ...change } });
  };
  const pause = (on: boolean) => pauseTape(id, on);

  return (
    <section className="tape panel" aria-label="Trades tape" data-instrument={shownKey(focus)} ref={attach}>
      <header className="panel-head">
        <strong className="panel-title">Trades</strong>
        <span className="tape-paused muted" data-testid="tape-paused" />
        <span className="spacer" />
        <label className="muted" title="merge same-side trades within this many ms (0: off)">
          agg ms{' '}
          <input aria-label="Aggregate ms" type="number" min={0} max={10000} step={10} defaultValue={options?.aggregateMs ?? 0} onBlur={(e) => set({ aggregateMs: Number(e.target.value) })} />
        </label>
        <label className="muted">
          min{' '}
          <input aria-label="Minimum size" type="number" min={0} step="any" defaultValue={options?.minSize ?? 0} onBlur={(e) => set({ minSize: Number(e.target.value) })} />
        </label>
        <label className="muted" title="large trade threshold in quote currency">
          large{' '}
          <input aria-label="Large trade (quote)" type="number" min={0} step="any" defaultValue={options?.largeQuote ?? 100000} onBlur={(e) => set({ largeQuote: Number(e.target.value) })} />
        </label>
        <label className="muted">
          <input aria-label="Sound" type="checkbox" checked={options?.sound ?? false} onChange={(e) => set({ sound: e.target.checked })} /> sound
        </label>
      </header>
      <div className="tape-lines" onMouseEnter={() => pause(true)} onMouseLeave={() => pause(false)}>
        <canvas className="tape-canvas" ref={canvasRef} style={{ height: CANVAS_HEIGHT }} aria-hidden="true" />
        <ol className="tape-mirror" aria-label="Latest trades">
          {Array.from({ length: LINES }, (_, i) => (
            <li key={i} className="tape-line empty" />
          ))}
        </ol>
      </div>
    </section>
  );
}
