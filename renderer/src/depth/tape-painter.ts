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
        el.row.className = 'tape-line empty';
        el.time.textContent = '';
        el.price.textContent = '';
        el.size.textContent = '';
        el.row.style.opacity = '';
        delete el.row.dataset.id;
        continue;
      }
      if (l.kind === 'gap') {
        delete el.row.dataset.id;
        const g = l.gap;
        el.row.className = 'tape-line gap';
        el.row.style.opacity = '';
        el.time.textContent = clock(g.endedAt);
        if (g.cause === 'shed') {
          el.price.textContent = 'shed (too slow)';
          el.size.textContent = `${g.missing ?? '?'} trades`;
          continue;
        }
        el.price.textContent = `gap ${((g.endedAt - g.startedAt) / 1000).toFixed(1)} s`;
        el.size.textContent = g.missing === null ? `${g.recovered} recovered` : `${g.recovered}/${g.missing} recovered`;
        continue;
      }
      el.row.className = `tape-line ${l.side > 0 ? 'buy' : l.side < 0 ? 'sell' : 'unknown'}${l.large ? ' large' : ''}${l.recovered ? ' recovered' : ''}`;
      // intensity: 0.45..1 on a log scale of the size against the largest shown
      el.row.style.opacity = maxAmount > 0 ? String(0.45 + 0.55 * (Math.log1p(l.amount) / Math.log1p(maxAmount))) : '1';
      el.row.dataset.id = l.id;
      el.time.textContent = clock(l.time);
      el.price.textContent = fmtPrice(l.price);
      el.size.textContent = l.count > 1 ? `${l.amount.toPrecision(4)} ×${l.count}` : l.amount.toPrecision(4);
    }
  }
}

function clock(t: number): string {
  const d = new Date(t);
  const p = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
