// Paints the depth ladder once per animation frame: asks above (best ask lowest), the
// spread row, bids below. Each side is one canvas (depth/ladder-draw.ts) redrawn only
// when what it shows changed; a level whose size changed is highlighted briefly. The
// book's state and age are in the header on every paint; a book not synced is dimmed
// and labelled, never shown as synced. Trades make a paint every frame while the book
// changes ~10 times a second: a paint with the book already on screen groups nothing
// again and redraws only when a highlight ended or, at most every TRADED_REFRESH_MS,
// the traded-volume column changed. What was drawn is also written to a hidden list
// of rows (assistive tech, e2e), at most every MIRROR_MS, with a trailing write so the
// last state always lands there (paint/mirror-cadence.ts).
import type { DepthView } from '../../../shared/contract/renderer-api';
import { fmtPrice } from './number-format';
import { groupSide, imbalance, inferTick, spread, type LadderLevel } from './ladder-math';
import type { FocusState } from './focus-state';
import type { TextTarget } from '../paint/text-slot';
import { MirrorCadence } from '../paint/mirror-cadence';
import { BLANK_ROW, drawLadderSide, type LadderCanvas, type LadderCanvasEl, type LadderColors, type LadderRowView } from './ladder-draw';

/** What the painter uses of an element: an HTMLElement is one; unit tests run without a DOM. */
export interface PaintedEl {
  textContent: string | null;
  className: string;
  readonly style: { width: string };
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { toggle(token: string, force?: boolean): unknown };
}

/** A row of the hidden list: its price as data-price and its values as text. */
export interface LadderMirrorRow {
  row: { readonly dataset: Record<string, string | undefined> };
  price: TextTarget;
  size: TextTarget;
  cum: TextTarget;
  traded: TextTarget;
}

/** One side: its canvas and its hidden rows (top to bottom, as drawn). */
export interface LadderSideEls {
  canvas: LadderCanvasEl;
  ctx: LadderCanvas;
  mirror: LadderMirrorRow[];
}

export interface LadderEls {
  root: PaintedEl;
  state: PaintedEl;
  age: TextTarget;
  updateId: TextTarget;
  spread: TextTarget;
  imbalanceBar: PaintedEl;
  imbalanceText: TextTarget;
  asks: LadderSideEls;
  bids: LadderSideEls;
}

/** How long a changed level stays highlighted. */
export const CHANGE_FLASH_MS = 400;
/** The traded-volume column between two books is refreshed at most this often. */
export const TRADED_REFRESH_MS = 250;
/** What the rows show now: the book, how it was grouped, and each row's level key (undefined: blank). */
interface OnScreen {
  depth: DepthView;
  grouping: number;
  n: number;
  tick: number;
  bestAsk: number | undefined;
  askKeys: (number | undefined)[];
  bidKeys: (number | undefined)[];
}

export class LadderPainter {
  private els: LadderEls | null = null;
  private colors: LadderColors | null = null;
  /** Size per price at the last paint, per side, to find changed levels. */
  private prev = new Map<number, number>();
  private changedAt = new Map<number, number>();
  private onScreen: OnScreen | null = null;
  private tradedAt = -Infinity;
  /** The rows as drawn (or to be drawn), per side. */
  private asks: LadderRowView[] = [];
  private bids: LadderRowView[] = [];
  private cssWidth = 0;
  private dpr = 1;
  /** Bumped whenever the rows change; the canvases and the hidden list catch up to it. */
  private version = 0;
  private drawnVersion = -1;
  private readonly mirrorCadence = new MirrorCadence();

  attach(els: LadderEls | null, colors: LadderColors | null = null): void {
    this.els = els;
    this.colors = colors;
    this.prev.clear();
    this.changedAt.clear();
    this.onScreen = null;
    const n = els ? els.bids.mirror.length : 0;
    this.asks = new Array<LadderRowView>(n).fill(BLANK_ROW);
    this.bids = new Array<LadderRowView>(n).fill(BLANK_ROW);
    this.version++;
    this.drawnVersion = -1;
    this.mirrorCadence.reset();
  }

  /** The canvases' CSS width or the pixel ratio changed: the next paint redraws. */
  resize(cssWidth: number, dpr: number): void {
    if (cssWidth === this.cssWidth && dpr === this.dpr) return;
    this.cssWidth = cssWidth;
    this.dpr = dpr > 0 ? dpr : 1;
    this.drawnVersion = -1;
  }

  paint(focus: FocusState, now: number): void {
    const els = this.els;
    if (!els) return;
    const d = focus.depth;
    this.paintHeader(els, d, focus, now);
    if (!d) {
      // rows are blank unless a book is on screen
      if (this.onScreen) {
        this.asks.fill(BLANK_ROW);
        this.bids.fill(BLANK_ROW);
        this.version++;
      }
      text(els.spread, '');
      this.onScreen = null;
      return this.flush(els, now);
    }
    const { grouping, levels } = focus.ladder;
    const n = Math.min(levels, this.bids.length);
    const shown = this.onScreen;
    if (shown && shown.depth === d && shown.grouping === grouping && shown.n === n) {
      this.paintBetweenBooks(shown, focus, now);
      return this.flush(els, now);
    }
    // a new grouping or depth is not a market change: no level is highlighted for it
    if (shown && (shown.grouping !== grouping || shown.n !== n)) this.prev.clear();
    const tick = inferTick(d.bids, d.asks);
    const bids = groupSide(d.bids, tick, grouping, n, true);
    const asks = groupSide(d.asks, tick, grouping, n, false);
    const maxSize = Math.max(maxOf(bids), maxOf(asks));
    const maxCum = Math.max(bids.at(-1)?.cumulative ?? 0, asks.at(-1)?.cumulative ?? 0);
    const bestBid = d.bids[0]?.[0];
    const bestAsk = d.asks[0]?.[0];
    const traded = focus.volume.totals(now, tick, grouping, (p) => bestAsk === undefined || p < bestAsk);
    this.tradedAt = now;
    const next = new Map<number, number>();
    const screen: OnScreen = { depth: d, grouping, n, tick, bestAsk, askKeys: [], bidKeys: [] };
    // asks: row 0 at the top is the worst shown; the best ask sits just above the spread
    for (let i = 0; i < this.asks.length; i++) {
      const lvl = i < n ? asks[n - 1 - i] : undefined;
      this.asks[i] = this.rowView(lvl, maxSize, maxCum, traded, now, next, -1);
      screen.askKeys.push(lvl ? -lvl.price : undefined);
    }
    for (let i = 0; i < this.bids.length; i++) {
      const lvl = i < n ? bids[i] : undefined;
      this.bids[i] = this.rowView(lvl, maxSize, maxCum, traded, now, next, 1);
      screen.bidKeys.push(lvl?.price);
    }
    this.version++;
    this.prev = next;
    this.onScreen = screen;
    const s = spread(bestBid, bestAsk, tick);
    text(els.spread, Number.isNaN(s.abs) ? 'spread —' : `spread ${fmtPrice(s.abs)} · ${Number.isNaN(s.ticks) ? '—' : s.ticks} ticks · ${s.bps.toFixed(2)} bps`);
    const imb = imbalance(bids, asks);
    width(els.imbalanceBar, `${Math.round(((imb + 1) / 2) * 100)}%`);
    text(els.imbalanceText, `imbalance ${imb >= 0 ? '+' : ''}${(imb * 100).toFixed(0)}%`);
    this.flush(els, now);
  }

  /** When the hidden list is behind what was drawn: the time it may be rewritten (Infinity: it is not behind). */
  mirrorDueAt(): number {
    return this.els ? this.mirrorCadence.dueAt(this.version) : Infinity;
  }

  /** Rewrites the hidden list if it is behind and due (the trailing write after a burst). */
  writeMirror(now: number): void {
    const els = this.els;
    if (!els || !this.mirrorCadence.take(this.version, now)) return;
    mirrorSide(els.asks.mirror, this.asks);
    mirrorSide(els.bids.mirror, this.bids);
  }

  /** Redraws the canvases if the rows changed (and colours and a size are known), then the hidden list if due. */
  private flush(els: LadderEls, now: number): void {
    if (this.drawnVersion !== this.version && this.colors && this.cssWidth > 0) {
      this.drawnVersion = this.version;
      drawLadderSide(els.asks.canvas, els.asks.ctx, this.asks, 'ask', this.cssWidth, this.dpr, this.colors);
      drawLadderSide(els.bids.canvas, els.bids.ctx, this.bids, 'bid', this.cssWidth, this.dpr, this.colors);
    }
    this.writeMirror(now);
  }

  /** The same book as on screen: highlights that ended and, now and then, the traded-volume column. */
  private paintBetweenBooks(s: OnScreen, focus: FocusState, now: number): void {
    const traded = now - this.tradedAt >= TRADED_REFRESH_MS ? focus.volume.totals(now, s.tick, s.grouping, (p) => s.bestAsk === undefined || p < s.bestAsk) : undefined;
    if (traded) this.tradedAt = now;
    let changed = false;
    const rows = (side: LadderRowView[], keys: (number | undefined)[]) => {
      for (let i = 0; i < side.length; i++) {
        const key = keys[i];
        const r = side[i]!;
        if (key === undefined || r.price === undefined) continue;
        const highlighted = now - (this.changedAt.get(key) ?? -Infinity) < CHANGE_FLASH_MS;
        const tradedText = traded ? fmtTraded(traded.get(r.price)) : r.tradedText;
        if (highlighted === r.changed && tradedText === r.tradedText) continue;
        side[i] = { ...r, changed: highlighted, tradedText };
        changed = true;
      }
    };
    rows(this.asks, s.askKeys);
    rows(this.bids, s.bidKeys);
    if (changed) this.version++;
  }

  private paintHeader(els: LadderEls, d: DepthView | null, focus: FocusState, now: number): void {
    const state = d ? d.state : focus.key ? 'syncing' : 'none';
    if (els.root.dataset.bookState !== state) {
      els.state.textContent = state;
      els.state.className = `book-state ${state}`;
      els.root.dataset.bookState = state;
      els.root.classList.toggle('unsynced', state !== 'synced');
    }
    text(els.age, d ? fmtAge(now - (d.eventTime ?? d.receivedAt)) : '');
    text(els.updateId, d?.updateId != null ? `#${d.updateId}` : '');
  }

  private rowView(lvl: LadderLevel | undefined, maxSize: number, maxCum: number, traded: Map<number, number>, now: number, next: Map<number, number>, sideSign: number): LadderRowView {
    if (!lvl) return BLANK_ROW;
    const key = lvl.price * sideSign;
    next.set(key, lvl.size);
    const before = this.prev.get(key);
    if (before !== undefined && before !== lvl.size) this.changedAt.set(key, now);
    return {
      price: lvl.price,
      priceText: fmtPrice(lvl.price),
      sizeText: fmtSize(lvl.size),
      cumText: fmtSize(lvl.cumulative),
      tradedText: fmtTraded(traded.get(lvl.price)),
      sizeFrac: maxSize > 0 ? lvl.size / maxSize : 0,
      cumFrac: maxCum > 0 ? lvl.cumulative / maxCum : 0,
      changed: now - (this.changedAt.get(key) ?? -Infinity) < CHANGE_FLASH_MS,
    };
  }
}

function mirrorSide(mirror: LadderMirrorRow[], rows: readonly LadderRowView[]): void {
  for (let i = 0; i < mirror.length; i++) {
    const m = mirror[i]!;
    const r = rows[i] ?? BLANK_ROW;
    text(m.price, r.priceText);
    text(m.size, r.sizeText);
    text(m.cum, r.cumText);
    text(m.traded, r.tradedText);
    if (r.price === undefined) {
      if (m.row.dataset.price !== undefined) delete m.row.dataset.price;
    } else {
      const p = String(r.price);
      if (m.row.dataset.price !== p) m.row.dataset.price = p;
    }
  }
}

/** Writes only a changed value: an unchanged one costs a string compare, no style or layout work. */
function text(el: TextTarget, v: string): void {
  if (el.textContent !== v) el.textContent = v;
}

function width(el: PaintedEl, v: string): void {
  if (el.style.width !== v) el.style.width = v;
}

function maxOf(levels: LadderLevel[]): number {
  let m = 0;
  for (const l of levels) if (l.size > m) m = l.size;
  return m;
}

function fmtTraded(v: number | undefined): string {
  return v ? fmtSize(v) : '';
}

function fmtSize(v: number): string {
  return v >= 1000 ? v.toFixed(0) : v >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

export function fmtAge(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const v = Math.max(0, ms);
  return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
}
