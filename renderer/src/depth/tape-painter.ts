// Paints the tape on one <canvas>: a DOM line per trade cost the browser style, layout
// and paint work for dozens of nodes per frame at 500 trades/s (measured: the watchlist
// fell from ~45 to ~27 frames/s). A line's layout never changes (tape entries are never
// changed once made, and a line's intensity depends on its trade alone), so a frame
// with k new trades on top moves the laid-out lines down k slots and lays out those k
// only; anything else (a resize, a line inserted among drawn ones, other options) lays
// out all. Every changed frame then draws every line: moving the drawn pixels instead
// (the canvas drawn onto itself) saved script but cost far more in the browser: with a
// software-rasterised canvas (no GPU: headless Chromium, or Electron where the GPU is
// blocked) drawing a canvas onto itself snapshots and copies its whole bitmap, measured
// ~4 ms of the main thread per frame against ~0.5 ms for drawing the ~45 lines.
// What was drawn is also written to a hidden list (assistive tech, e2e), but at most
// every MIRROR_MS, with a trailing write so the last state always lands there
// (paint/mirror-cadence.ts).
import { EMPTY_LINE, TAPE_GEOMETRY, layoutLine, tapeColumns, tapeLineClass, tapeLineCount, type TapeLineLayout } from './tape-layout';
import type { TapeEntry, TapeModel } from './tape-model';
import type { Canvas2D } from '../paint/canvas-2d';
import { MirrorCadence } from '../paint/mirror-cadence';

/** The canvas calls the tape makes (paint/canvas-2d.ts). */
export type TapeCanvas = Canvas2D;

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

export class TapePainter {
  private els: TapeEls | null = null;
  private colors: TapeColors | null = null;
  private paintedVersion = -1;
  private readonly mirrorCadence = new MirrorCadence();
  /** Per line slot: the entry drawn there (undefined: none) and its layout (the mirror reads these). */
  private slots: (TapeEntry | undefined)[] = [];
  private lines: TapeLineLayout[] = [];
  /** What the drawn lines were laid out against; a change lays out all. */
  private drawnQuote = NaN;
  /** The laid-out lines are not reusable (attached, resized): the next paint lays out every line. */
  private stale = true;
  private cssWidth = 0;
  private cssHeight = 0;
  private dpr = 1;

  attach(els: TapeEls | null, colors: TapeColors | null = null): void {
    this.els = els;
    this.colors = colors;
    this.paintedVersion = -1;
    this.mirrorCadence.reset();
    this.stale = true;
  }

  /** The canvas's CSS size or the pixel ratio changed: the next paint redraws. */
  resize(cssWidth: number, cssHeight: number, dpr: number): void {
    if (cssWidth === this.cssWidth && cssHeight === this.cssHeight && dpr === this.dpr) return;
    this.cssWidth = cssWidth;
    this.cssHeight = cssHeight;
    this.dpr = dpr > 0 ? dpr : 1;
    this.paintedVersion = -1;
    this.stale = true;
  }

  /** Once per painted frame; draws only when the tape changed since the last draw, laying out only new lines. */
  paint(tape: TapeModel, now: number): void {
    const els = this.els;
    if (!els) return;
    const pausedText = tape.isPaused ? `paused · ${tape.pendingTrades} new` : '';
    if (els.paused.textContent !== pausedText) els.paused.textContent = pausedText;
    if (tape.version !== this.paintedVersion) {
      this.paintedVersion = tape.version;
      this.update(els, tape.visible, tape.largeQuote);
    }
    this.writeMirror(now);
  }

  /** When the hidden list is behind what was drawn: the time it may be rewritten (Infinity: it is not behind). */
  mirrorDueAt(): number {
    return this.els ? this.mirrorCadence.dueAt(this.paintedVersion) : Infinity;
  }

  /** Rewrites the hidden list if it is behind and due (the trailing write after a burst). */
  writeMirror(now: number): void {
    const els = this.els;
    if (!els || !this.mirrorCadence.take(this.paintedVersion, now)) return;
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

  /** Brings the slots to `visible` (new lines on top laid out alone where it can, else every line) and draws them. */
  private update(els: TapeEls, visible: readonly TapeEntry[], refQuote: number): void {
    const count = Math.max(tapeLineCount(this.cssHeight), els.mirror.length);
    const shift = this.stale || refQuote !== this.drawnQuote || this.slots.length !== count ? -1 : newOnTop(this.slots, visible);
    if (shift === 0) return;
    if (shift > 0) {
      // the laid-out lines move down `shift` slots; the ones pushed past the end are dropped
      this.slots.copyWithin(shift, 0, count - shift);
      this.lines.copyWithin(shift, 0, count - shift);
      for (let i = 0; i < shift; i++) this.setSlot(i, visible[i], refQuote);
    } else {
      this.drawnQuote = refQuote;
      this.slots.length = this.lines.length = count;
      for (let i = 0; i < count; i++) this.setSlot(i, visible[i], refQuote);
    }
    this.drawAll(els);
  }

  private setSlot(i: number, entry: TapeEntry | undefined, refQuote: number): void {
    this.slots[i] = entry;
    this.lines[i] = entry ? layoutLine(entry, refQuote) : EMPTY_LINE;
  }

  private drawAll(els: TapeEls): void {
    const w = Math.round(this.cssWidth * this.dpr);
    const h = Math.round(this.cssHeight * this.dpr);
    // setting the size clears the canvas and resets its state: only when it changed
    if (els.canvas.width !== w) els.canvas.width = w;
    if (els.canvas.height !== h) els.canvas.height = h;
    const ctx = els.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.cssWidth, this.cssHeight);
    if (!this.colors) return;
    this.stale = false;
    this.drawLines(ctx, this.colors, Math.min(this.lines.length, tapeLineCount(this.cssHeight)));
  }

  /**
   * Draws lines 0..n-1 (the canvas at CSS-pixel scale, their rows clear): the bands, then
   * the time column, then price and size. Canvas state (alignment, font, colour, alpha) is
   * set only when it changes: set for every line it was a fifth of the tape's script.
   */
  private drawLines(ctx: TapeCanvas, c: TapeColors, n: number): void {
    const { lineHeight, topPad } = TAPE_GEOMETRY;
    const cols = tapeColumns(this.cssWidth);
    const lines = this.lines;
    let count = 0;
    while (count < n && lines[count]!.tone !== 'empty') count++; // empty lines only follow the last entry
    ctx.globalAlpha = 1;
    for (let i = 0; i < count; i++) {
      const l = lines[i]!;
      if (l.tone !== 'gap' && !l.large) continue;
      ctx.fillStyle = l.tone === 'gap' ? c.gapBg : c.largeBg;
      ctx.fillRect(0, topPad + i * lineHeight, this.cssWidth, lineHeight);
    }
    ctx.textBaseline = 'middle';
    const state = new CanvasState(ctx);
    ctx.textAlign = 'left';
    for (let i = 0; i < count; i++) {
      const l = lines[i]!;
      state.set(l.large ? c.boldFont : c.font, l.tone === 'gap' ? c.warn : c.muted, l.alpha);
      ctx.fillText(l.time, cols.timeX, topPad + i * lineHeight + lineHeight / 2);
    }
    ctx.textAlign = 'right';
    for (let i = 0; i < count; i++) {
      const l = lines[i]!;
      state.set(l.large ? c.boldFont : c.font, l.tone === 'gap' ? c.warn : l.tone === 'buy' ? c.buy : l.tone === 'sell' ? c.sell : c.unknown, l.alpha);
      const mid = topPad + i * lineHeight + lineHeight / 2;
      ctx.fillText(l.price, cols.priceRight, mid);
      ctx.fillText(l.size, cols.sizeRight, mid);
    }
    ctx.globalAlpha = 1;
  }
}

/**
 * How many new entries sit on top of the drawn ones: k when `visible` is the drawn
 * slots with k entries before them (0: nothing changed); -1 when the drawn lines are
 * not simply pushed down (one changed, one was inserted among them, the tape was reset).
 */
export function newOnTop(drawn: readonly (TapeEntry | undefined)[], visible: readonly TapeEntry[]): number {
  const n = drawn.length;
  const first = drawn[0];
  let k = 0;
  if (first === undefined) {
    if (visible.length === 0) return 0;
    // nothing drawn yet: every visible line is new
    k = Math.min(n, visible.length);
  } else {
    while (k < n && visible[k] !== first) k++;
    if (k === n) return -1;
  }
  for (let j = 0; j + k < n; j++) if (visible[j + k] !== drawn[j]) return -1;
  return k;
}

/** Writes font, fill colour and alpha to a canvas only when they differ from what this draw last wrote. */
class CanvasState {
  private font = '';
  private fill = '';
  private alpha = NaN;

  constructor(private readonly ctx: TapeCanvas) {}

  set(font: string, fill: string, alpha: number): void {
    if (font !== this.font) this.ctx.font = this.font = font;
    if (fill !== this.fill) this.ctx.fillStyle = this.fill = fill;
    if (alpha !== this.alpha) this.ctx.globalAlpha = this.alpha = alpha;
  }
}
