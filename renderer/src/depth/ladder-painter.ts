// Paints the depth ladder into a fixed pool of rows once per animation frame: asks
// above (best ask lowest), the spread row, bids below. Rows are created once per pool
// size; a frame writes only text, widths and classes (no layout-changing nodes). A
// level whose size changed is highlighted briefly. The book's state and age are in the
// header on every paint; a book not synced is dimmed and labelled, never shown as synced.
// Trades make a paint every frame while the book changes ~10 times a second: a paint
// with the book already on screen groups and writes nothing of it again, only ending
// highlights and, at most every TRADED_REFRESH_MS, the traded-volume column.
import type { DepthView } from '../../../shared/contract/renderer-api';
import { fmtPrice } from './number-format';
import { groupSide, imbalance, inferTick, spread, type LadderLevel } from './ladder-math';
import type { FocusState } from './focus-state';
import type { TextTarget } from '../paint/text-slot';

/** What the painter uses of an element: an HTMLElement is one; unit tests run without a DOM. */
export interface PaintedEl {
  textContent: string | null;
  className: string;
  readonly style: { width: string };
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { contains(token: string): boolean; toggle(token: string, force?: boolean): unknown; remove(token: string): void };
}

/** Values written every book go into Text nodes (paint/text-slot.ts). */
export interface LadderRowEls {
  row: PaintedEl;
  price: TextTarget;
  size: TextTarget;
  cum: TextTarget;
  traded: TextTarget;
  sizeBar: PaintedEl;
  cumBar: PaintedEl;
}

export interface LadderEls {
  root: PaintedEl;
  state: PaintedEl;
  age: TextTarget;
  updateId: TextTarget;
  spread: TextTarget;
  imbalanceBar: PaintedEl;
  imbalanceText: TextTarget;
  asks: LadderRowEls[];
  bids: LadderRowEls[];
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
  askPrices: (number | undefined)[];
  bidPrices: (number | undefined)[];
}

export class LadderPainter {
  private els: LadderEls | null = null;
  /** Size per price at the last paint, per side, to find changed levels. */
  private prev = new Map<number, number>();
  private changedAt = new Map<number, number>();
  private onScreen: OnScreen | null = null;
  private tradedAt = -Infinity;

  attach(els: LadderEls | null): void {
    this.els = els;
    this.prev.clear();
    this.changedAt.clear();
    this.onScreen = null;
  }

  paint(focus: FocusState, now: number): void {
    const els = this.els;
    if (!els) return;
    const d = focus.depth;
    this.paintHeader(els, d, focus, now);
    if (!d) {
      for (const r of els.asks) blank(r);
      for (const r of els.bids) blank(r);
      text(els.spread, '');
      this.onScreen = null;
      return;
    }
    const { grouping, levels } = focus.ladder;
    const n = Math.min(levels, els.bids.length);
    const shown = this.onScreen;
    if (shown && shown.depth === d && shown.grouping === grouping && shown.n === n) return this.paintBetweenBooks(els, shown, focus, now);
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
    const screen: OnScreen = { depth: d, grouping, n, tick, bestAsk, askKeys: [], bidKeys: [], askPrices: [], bidPrices: [] };
    // asks: row 0 at the top is the worst shown; the best ask sits just above the spread
    for (let i = 0; i < els.asks.length; i++) {
      const lvl = i < n ? asks[n - 1 - i] : undefined;
      this.paintRow(els.asks[i]!, lvl, maxSize, maxCum, traded, now, next, -1);
      screen.askKeys.push(lvl ? -lvl.price : undefined);
      screen.askPrices.push(lvl?.price);
    }
    for (let i = 0; i < els.bids.length; i++) {
      const lvl = i < n ? bids[i] : undefined;
      this.paintRow(els.bids[i]!, lvl, maxSize, maxCum, traded, now, next, 1);
      screen.bidKeys.push(lvl?.price);
      screen.bidPrices.push(lvl?.price);
    }
    this.prev = next;
    this.onScreen = screen;
    const s = spread(bestBid, bestAsk, tick);
    text(els.spread, Number.isNaN(s.abs) ? 'spread —' : `spread ${fmtPrice(s.abs)} · ${Number.isNaN(s.ticks) ? '—' : s.ticks} ticks · ${s.bps.toFixed(2)} bps`);
    const imb = imbalance(bids, asks);
    width(els.imbalanceBar, `${Math.round(((imb + 1) / 2) * 100)}%`);
    text(els.imbalanceText, `imbalance ${imb >= 0 ? '+' : ''}${(imb * 100).toFixed(0)}%`);
  }

  /** The same book as on screen: highlights that ended and, now and then, the traded-volume column. */
  private paintBetweenBooks(els: LadderEls, s: OnScreen, focus: FocusState, now: number): void {
    const traded = now - this.tradedAt >= TRADED_REFRESH_MS ? focus.volume.totals(now, s.tick, s.grouping, (p) => s.bestAsk === undefined || p < s.bestAsk) : undefined;
    if (traded) this.tradedAt = now;
    const rows = (side: LadderRowEls[], keys: (number | undefined)[], prices: (number | undefined)[]) => {
      for (let i = 0; i < side.length; i++) {
        const key = keys[i];
        if (key === undefined) continue;
        const r = side[i]!;
        const changed = now - (this.changedAt.get(key) ?? -Infinity) < CHANGE_FLASH_MS;
        if (r.row.classList.contains('chg') !== changed) r.row.classList.toggle('chg', changed);
        if (traded) {
          const v = traded.get(prices[i]!);
          text(r.traded, v ? fmtSize(v) : '');
        }
      }
    };
    rows(els.asks, s.askKeys, s.askPrices);
    rows(els.bids, s.bidKeys, s.bidPrices);
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

  private paintRow(r: LadderRowEls, lvl: LadderLevel | undefined, maxSize: number, maxCum: number, traded: Map<number, number>, now: number, next: Map<number, number>, sideSign: number): void {
    if (!lvl) return blank(r);
    const key = lvl.price * sideSign;
    next.set(key, lvl.size);
    const before = this.prev.get(key);
    if (before !== undefined && before !== lvl.size) this.changedAt.set(key, now);
    const changed = now - (this.changedAt.get(key) ?? -Infinity) < CHANGE_FLASH_MS;
    text(r.price, fmtPrice(lvl.price));
    text(r.size, fmtSize(lvl.size));
    text(r.cum, fmtSize(lvl.cumulative));
    const v = traded.get(lvl.price);
    text(r.traded, v ? fmtSize(v) : '');
    width(r.sizeBar, `${maxSize > 0 ? Math.round((lvl.size / maxSize) * 100) : 0}%`);
    width(r.cumBar, `${maxCum > 0 ? Math.round((lvl.cumulative / maxCum) * 100) : 0}%`);
    if (r.row.classList.contains('chg') !== changed) r.row.classList.toggle('chg', changed);
    const p = String(lvl.price);
    if (r.row.dataset.price !== p) r.row.dataset.price = p;
  }
}

function blank(r: LadderRowEls): void {
  text(r.price, '');
  text(r.size, '');
  text(r.cum, '');
  text(r.traded, '');
  width(r.sizeBar, '0');
  width(r.cumBar, '0');
  if (r.row.classList.contains('chg')) r.row.classList.remove('chg');
  if (r.row.dataset.price !== undefined) delete r.row.dataset.price;
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

function fmtSize(v: number): string {
  return v >= 1000 ? v.toFixed(0) : v >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

export function fmtAge(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const v = Math.max(0, ms);
  return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`;
}
