// Paints the tape into a fixed pool of lines once per animation frame (only when the
// tape changed): side by colour, size by intensity (log scale against the largest
// shown), large trades marked, recovered trades and gap markers labelled.
import { fmtPrice } from './number-format';
import type { TapeModel } from './tape-model';

export interface TapeEls {
  root: HTMLElement;
  paused: HTMLElement;
  lines: { row: HTMLElement; time: HTMLElement; price: HTMLElement; size: HTMLElement }[];
}

export class TapePainter {
  private els: TapeEls | null = null;
  private paintedVersion = -1;

  attach(els: TapeEls | null): void {
    this.els = els;
    this.paintedVersion = -1;
  }

  paint(tape: TapeModel): void {
    const els = this.els;
    if (!els) return;
    if (tape.isPaused) els.paused.textContent = `paused · ${tape.pendingTrades} new`;
    else if (els.paused.textContent) els.paused.textContent = '';
    if (tape.version === this.paintedVersion) return;
    this.paintedVersion = tape.version;
    const lines = tape.visible;
    let maxAmount = 0;
    const n = Math.min(lines.length, els.lines.length);
    for (let i = 0; i < n; i++) {
      const l = lines[i]!;
      if (l.kind === 'trade' && l.amount > maxAmount) maxAmount = l.amount;
    }
    for (let i = 0; i < els.lines.length; i++) {
      const el = els.lines[i]!;
      const l = i < n ? lines[i] : undefined;
      if (!l) {
        cls(el.row, 'tape-line empty');
        text(el.time, '');
        text(el.price, '');
        text(el.size, '');
        if (el.row.style.opacity) el.row.style.opacity = '';
        if (el.row.dataset.id !== undefined) delete el.row.dataset.id;
        continue;
      }
      if (l.kind === 'gap') {
        if (el.row.dataset.id !== undefined) delete el.row.dataset.id;
        const g = l.gap;
        cls(el.row, 'tape-line gap');
        if (el.row.style.opacity) el.row.style.opacity = '';
        text(el.time, clock(g.endedAt));
        if (g.cause === 'shed') {
          text(el.price, 'shed (too slow)');
          text(el.size, `${g.missing ?? '?'} trades`);
          continue;
        }
        text(el.price, `gap ${((g.endedAt - g.startedAt) / 1000).toFixed(1)} s`);
        text(el.size, g.missing === null ? `${g.recovered} recovered` : `${g.recovered}/${g.missing} recovered`);
        continue;
      }
      cls(el.row, `tape-line ${l.side > 0 ? 'buy' : l.side < 0 ? 'sell' : 'unknown'}${l.large ? ' large' : ''}${l.recovered ? ' recovered' : ''}`);
      // intensity: 0.45..1 on a log scale of the size against the largest shown (2 decimals: few distinct values)
      const o = maxAmount > 0 ? (0.45 + 0.55 * (Math.log1p(l.amount) / Math.log1p(maxAmount))).toFixed(2) : '1';
      if (el.row.style.opacity !== o) el.row.style.opacity = o;
      if (el.row.dataset.id !== l.id) el.row.dataset.id = l.id;
      text(el.time, clock(l.time));
      text(el.price, fmtPrice(l.price));
      text(el.size, l.count > 1 ? `${l.amount.toPrecision(4)} ×${l.count}` : l.amount.toPrecision(4));
    }
  }
}

function text(el: HTMLElement, v: string): void {
  if (el.textContent !== v) el.textContent = v;
}

function cls(el: HTMLElement, v: string): void {
  if (el.className !== v) el.className = v;
}

function clock(t: number): string {
  const d = new Date(t);
  const p = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
