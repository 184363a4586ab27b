// Paints the tape on one <canvas>: a DOM line per trade cost the browser style, layout
// and paint work for dozens of nodes per frame at 500 trades/s (measured: the watchlist
// fell from ~45 to ~27 frames/s); one canvas draw per changed frame costs a few fillText
// calls. What was drawn is also written to a hidden list (assistive tech, e2e), but at
// most every MIRROR_MS, with a trailing write so the last state always lands there.
import { EMPTY_LINE, TAPE_GEOMETRY, layoutTape, tapeColumns, tapeLineClass, tapeLineCount, type TapeLineLayout } from './tape-layout';
import type { TapeModel } from './tape-model';

/** The part of a 2D canvas context the tape uses (a recorder stands in for it in unit tests, which have no DOM). */
export interface TapeCanvas {
  font: string;
  fillStyle: unknown;
  globalAlpha: number;
  textAlign: 'left' | 'right' | 'center' | 'start' | 'end';
  textBaseline: 'top' | 'hanging' | 'middle' | 'alphabetic' | 'ideographic' | 'bottom';
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
}

/** A line of the hidden list: only what the painter writes. */
export interface MirrorLine {
  className: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
}

export interface TapeEls {
  paused: { textContent: string | null };
  /** The canvas's backing store size is set here (device pixels). */
  canvas: { width: number; height: number };
  ctx: TapeCanvas;
  mirror: MirrorLine[];
}

export interface TapeColors {
  buy: string;
  sell: string;
  unknown: string;
  muted: string;
  warn: string;
  gapBg: string;
  largeBg: string;
  font: string;
  boldFont: string;
}

/** The hidden list is rewritten at most this often. */
export const MIRROR_MS = 250;

export class TapePainter {
  private els: TapeEls | null = null;
  private colors: TapeColors | null = null;
  private paintedVersion = -1;
  private mirroredVersion = -1;
  private mirroredAt = -Infinity;
  private lines: TapeLineLayout[] = [];
  private cssWidth = 0;
  private cssHeight = 0;
  private dpr = 1;

  attach(els: TapeEls | null, colors: TapeColors | null = null): void {
    this.els = els;
    this.colors = colors;
    this.paintedVersion = this.mirroredVersion = -1;
    this.mirroredAt = -Infinity;
  }

  /** The canvas's CSS size or the pixel ratio changed: the next paint redraws. */
  resize(cssWidth: number, cssHeight: number, dpr: number): void {
    if (cssWidth === this.cssWidth && cssHeight === this.cssHeight && dpr === this.dpr) return;
    this.cssWidth = cssWidth;
    this.cssHeight = cssHeight;
    this.dpr = dpr > 0 ? dpr : 1;
    this.paintedVersion = -1;
  }

  /** Once per painted frame; draws only when the tape changed since the last draw. */
  paint(tape: TapeModel, now: number): void {
    const els = this.els;
    if (!els) return;
    const pausedText = tape.isPaused ? `paused · ${tape.pendingTrades} new` : '';
    if (els.paused.textContent !== pausedText) els.paused.textContent = pausedText;
    if (tape.version !== this.paintedVersion) {
      this.paintedVersion = tape.version;
      this.lines = layoutTape(tape.visible, Math.max(tapeLineCount(this.cssHeight), els.mirror.length));
      this.draw(els);
    }
    this.writeMirror(now);
  }

  /** When the hidden list is behind what was drawn: the time it may be rewritten (Infinity: it is not behind). */
  mirrorDueAt(): number {
    return this.els && this.mirroredVersion !== this.paintedVersion ? this.mirroredAt + MIRROR_MS : Infinity;
  }

  /** Rewrites the hidden list if it is behind and due (the trailing write after a burst). */
  writeMirror(now: number): void {
    const els = this.els;
    if (!els || this.mirroredVersion === this.paintedVersion || now < this.mirroredAt + MIRROR_MS) return;
    this.mirroredVersion = this.paintedVersion;
    this.mirroredAt = now;
    for (let i = 0; i < els.mirror.length; i++) {
      const el = els.mirror[i]!;
      const l = this.lines[i] ?? EMPTY_LINE;
      const cls = tapeLineClass(l);
      if (el.className !== cls) el.className = cls;
      const text = l.tone === 'empty' ? '' : `${l.time} ${l.price} ${l.size}`;
      if (el.textContent !== text) el.textContent = text;
      if (l.id) {
        if (el.dataset.id !== l.id) el.dataset.id = l.id;
      } else if (el.dataset.id !== undefined) delete el.dataset.id;
    }
  }

  private draw(els: TapeEls): void {
    const c = this.colors;
    const w = Math.round(this.cssWidth * this.dpr);
    const h = Math.round(this.cssHeight * this.dpr);
    // setting the size clears the canvas and resets its state: only when it changed
    if (els.canvas.width !== w) els.canvas.width = w;
    if (els.canvas.height !== h) els.canvas.height = h;
    const ctx = els.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.cssWidth, this.cssHeight);
    if (!c) return;
    const { lineHeight, topPad } = TAPE_GEOMETRY;
    const cols = tapeColumns(this.cssWidth);
    const shown = Math.min(this.lines.length, tapeLineCount(this.cssHeight));
    ctx.textBaseline = 'middle';
    for (let i = 0; i < shown; i++) {
      const l = this.lines[i]!;
      if (l.tone === 'empty') break; // empty lines only follow the last entry
      const y = topPad + i * lineHeight;
      if (l.tone === 'gap' || l.large) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = l.tone === 'gap' ? c.gapBg : c.largeBg;
        ctx.fillRect(0, y, this.cssWidth, lineHeight);
      }
      ctx.globalAlpha = l.alpha;
      ctx.font = l.large ? c.boldFont : c.font;
      const mid = y + lineHeight / 2;
      ctx.textAlign = 'left';
      ctx.fillStyle = l.tone === 'gap' ? c.warn : c.muted;
      ctx.fillText(l.time, cols.timeX, mid);
      ctx.textAlign = 'right';
      ctx.fillStyle = l.tone === 'gap' ? c.warn : l.tone === 'buy' ? c.buy : l.tone === 'sell' ? c.sell : c.unknown;
      ctx.fillText(l.price, cols.priceRight, mid);
      ctx.fillText(l.size, cols.sizeRight, mid);
    }
    ctx.globalAlpha = 1;
  }
}
