// The trades tape panel: a fixed pool of lines painted per frame by depth/tape-painter.ts.
// Hovering pauses it (the lines stay put and the header counts what arrived); options
// are sent to main and remembered in settings.
import { useCallback } from 'react';
import type { TapeSettings } from '../../../shared/settings';
import type { TapeEls } from '../depth/tape-painter';
import { useApp, useRuntime } from './runtime-context';

const LINES = 30;

export function Tape() {
  const { registerTape, api, focus: focusState, invalidateFocus } = useRuntime();
  const focus = useApp((s) => s.focus);
  const options = useApp((s) => s.settings?.ui.tape);

  const attach = useCallback(
    (root: HTMLElement | null) => {
      if (!root) return registerTape(null);
      const els: TapeEls = {
        root,
        paused: root.querySelector<HTMLElement>('.tape-paused')!,
        lines: [...root.querySelectorAll<HTMLElement>('.tape-line')].map((row) => ({
          row,
          time: row.querySelector<HTMLElement>('.t')!,
          price: row.querySelector<HTMLElement>('.px')!,
          size: row.querySelector<HTMLElement>('.sz')!,
        })),
      };
      registerTape(els);
    },
    [registerTape],
  );

  const set = (change: Partial<TapeSettings>) => {
    if (!options) return;
    api.send({ type: 'set-panels', tape: { ...options, ...change } });
  };
  const pause = (on: boolean) => {
    focusState.tape.pause(on);
    invalidateFocus();
  };

  return (
    <section className="tape panel" aria-label="Trades tape" data-instrument={focus?.key ?? ''} ref={attach}>
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
        {Array.from({ length: LINES }, (_, i) => (
          <div key={i} className="tape-line empty">
            <span className="t" />
            <span className="px" />
            <span className="sz" />
          </div>
        ))}
      </div>
    </section>
  );
}
