// Draws one side of the depth ladder on its canvas: a DOM row per level cost the
// browser style, layout and paint work for ~300 boxes (each row a contained box, its
// values stacked above two bars) on every book, and more layerization work on every
// frame (measured: hiding the rows alone saved about a sixth of an idle screen's
// renderer CPU). Pure drawing of already formatted rows: the painter decides what and
// when (depth/ladder-painter.ts).
import type { Canvas2D } from '../paint/canvas-2d';

/** The canvas calls the ladder makes (paint/canvas-2d.ts). */
export type LadderCanvas = Pick<Canvas2D, 'font' | 'fillStyle' | 'textAlign' | 'textBaseline' | 'setTransform' | 'clearRect' | 'fillRect' | 'fillText'>;

export interface LadderColors {
  ask: string;
  bid: string;
  text: string;
  muted: string;
  askCum: string;
  bidCum: string;
  askSize: string;
  bidSize: string;
  changed: string;
  font: string;
}

/** Geometry in CSS pixels (the canvas scales by the device pixel ratio): four equal columns, right-aligned. */
export const LADDER_GEOMETRY = { rowHeight: 17, padX: 8, gap: 6, sizeBarHeight: 5 } as const;

/** One level as shown: its texts, its bars as fractions of the row's width, and whether it just changed. */
export interface LadderRowView {
  /** undefined: a blank row. */
  price: number | undefined;
  priceText: string;
  sizeText: string;
  cumText: string;
  tradedText: string;
  sizeFrac: number;
  cumFrac: number;
  changed: boolean;
}

export const BLANK_ROW: Readonly<LadderRowView> = Object.freeze({ price: undefined, priceText: '', sizeText: '', cumText: '', tradedText: '', sizeFrac: 0, cumFrac: 0, changed: false });

/** Right edges of the four columns (traded, price, size, total) for a row `width` wide. */
export function ladderColumns(width: number): [number, number, number, number] {
  const { padX, gap } = LADDER_GEOMETRY;
  const col = Math.max(0, (width - 2 * padX - 3 * gap) / 4);
  return [padX + col, padX + 2 * col + gap, padX + 3 * col + 2 * gap, padX + 4 * col + 3 * gap];
}

/** The canvas: its backing store size is set here (device pixels). */
export interface LadderCanvasEl {
  width: number;
  height: number;
}

/** Redraws a side: `rows` top to bottom, `cssWidth` wide, at `dpr` device pixels per CSS pixel. */
export function drawLadderSide(canvas: LadderCanvasEl, ctx: LadderCanvas, rows: readonly LadderRowView[], side: 'ask' | 'bid', cssWidth: number, dpr: number, c: LadderColors): void {
  const { rowHeight, sizeBarHeight } = LADDER_GEOMETRY;
  const cssHeight = rows.length * rowHeight;
  const w = Math.round(cssWidth * dpr);
  const h = Math.round(cssHeight * dpr);
  // setting the size clears the canvas and resets its state: only when it changed
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const cols = ladderColumns(cssWidth);
  ctx.font = c.font;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const cum = side === 'ask' ? c.askCum : c.bidCum;
  const size = side === 'ask' ? c.askSize : c.bidSize;
  const priceColor = side === 'ask' ? c.ask : c.bid;
  // One pass per colour (changed bands, depth bars, size bars, traded, prices, sizes and
  // depth): the fill colour is written six times a side, not five times a row.
  ctx.fillStyle = c.changed;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price !== undefined && r.changed) ctx.fillRect(0, i * rowHeight, cssWidth, rowHeight);
  }
  // bars grow from the right edge: depth up to this level, then this level's size along the bottom
  ctx.fillStyle = cum;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price !== undefined && r.cumFrac > 0) ctx.fillRect(cssWidth * (1 - r.cumFrac), i * rowHeight + 1, cssWidth * r.cumFrac, rowHeight - 2);
  }
  ctx.fillStyle = size;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price !== undefined && r.sizeFrac > 0) ctx.fillRect(cssWidth * (1 - r.sizeFrac), (i + 1) * rowHeight - 1 - sizeBarHeight, cssWidth * r.sizeFrac, sizeBarHeight);
  }
  ctx.fillStyle = c.muted;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price !== undefined && r.tradedText) ctx.fillText(r.tradedText, cols[0], (i + 0.5) * rowHeight);
  }
  ctx.fillStyle = priceColor;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price !== undefined) ctx.fillText(r.priceText, cols[1], (i + 0.5) * rowHeight);
  }
  ctx.fillStyle = c.text;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.price === undefined) continue;
    ctx.fillText(r.sizeText, cols[2], (i + 0.5) * rowHeight);
    ctx.fillText(r.cumText, cols[3], (i + 0.5) * rowHeight);
  }
}
