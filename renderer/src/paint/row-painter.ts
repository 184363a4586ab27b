// Writes watchlist rows straight into the DOM. React renders each row's skeleton
// once and registers its elements here; from then on every tick is painted by
// this module, touching only the text and attributes that actually changed.
// Elements are typed structurally so the painter runs in unit tests without a DOM.
import { formatAge, formatChangePct, formatDelay, formatPrice, formatVolume, priceDecimals } from '../format/format';
import { exchangeOfInstrument, type ExchangeMode } from '../../../shared/market';
import type { RowEntry, RowStore } from '../state/row-store';
import { deriveRowLook, hasQuote } from '../state/row-state';

export const ROW_FIELDS = ['symbol', 'exchange', 'bid', 'ask', 'last', 'changePct', 'volume', 'age', 'delay', 'source'] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** The cells the painter owns (symbol and exchange are static text rendered by React). */
export const PAINTED_FIELDS = ['bid', 'ask', 'last', 'changePct', 'volume', 'age', 'delay', 'source'] as const;
export type PaintedField = (typeof PAINTED_FIELDS)[number];

export interface PaintableElement {
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}

export interface RowElements {
  row: PaintableElement;
  cells: Record<PaintedField, PaintableElement>;
  /** Shows the row state in words (live, stale, polling, waiting · reconnecting...). */
  badge: PaintableElement;
}

export interface PaintContext {
  /** Renderer clock, epoch ms (same clock as TickerRow.receivedAt). */
  now: number;
  hostConnected: boolean;
  staleAfterMs: number;
  pollStaleAfterMs: number;
  /** How long a price cell stays green/red after a move. */
  flashMs: number;
}

/** What was last written per row, so unchanged values cost a string compare only. */
interface Written {
  text: Partial<Record<PaintedField, string>>;
  attr: Partial<Record<string, string>>;
}

const PRICE_FIELDS = ['bid', 'ask', 'last'] as const;
/** Cache slots for each price cell's flash attribute (precomputed: this runs per cell per frame). */
const FLASH_SLOT = { bid: 'flash:bid', ask: 'flash:ask', last: 'flash:last' } as const;

interface View {
  elements: RowElements;
  written: Written;
}

export class RowPainter {
  private readonly views = new Map<string, View>();
  /** Rows painted with a price flash on, and when their last flash ends (renderer clock). */
  private readonly flashing = new Map<string, number>();

  /** Registers a row's elements; returns the unregister function (for React ref cleanup). */
  register(key: string, elements: RowElements): () => void {
    const view: View = { elements, written: { text: {}, attr: {} } };
    this.views.set(key, view);
    return () => {
      if (this.views.get(key) !== view) return;
      this.views.delete(key);
      this.flashing.delete(key);
    };
  }

  has(key: string): boolean {
    return this.views.has(key);
  }

  get size(): number {
    return this.views.size;
  }

  /** Paints the given rows (usually the store's dirty keys); returns how many were painted. */
  paintKeys(keys: Iterable<string>, store: RowStore, ctx: PaintContext): number {
    let painted = 0;
    for (const key of keys) {
      const view = this.views.get(key);
      if (!view) continue;
      this.paintView(key, view, store.get(key), store.exchangeMode(exchangeOfInstrument(key)), ctx);
      painted++;
    }
    return painted;
  }

  /** Repaints every registered row: ages tick, flashes expire, stale guards trip. */
  paintAll(store: RowStore, ctx: PaintContext): number {
    for (const [key, view] of this.views) this.paintView(key, view, store.get(key), store.exchangeMode(exchangeOfInstrument(key)), ctx);
    return this.views.size;
  }

  /** When the earliest flash on screen ends (Infinity: none is on), so one timer can clear it. */
  nextFlashEnd(): number {
    let next = Infinity;
    for (const end of this.flashing.values()) if (end < next) next = end;
    return next;
  }

  /** Repaints only the rows whose flash has ended by ctx.now; returns how many. */
  paintEndedFlashes(store: RowStore, ctx: PaintContext): number {
    let painted = 0;
    for (const [key, end] of this.flashing) {
      if (end > ctx.now) continue;
      const view = this.views.get(key);
      if (view) this.paintView(key, view, store.get(key), store.exchangeMode(exchangeOfInstrument(key)), ctx);
      painted++;
    }
    return painted;
  }

  private paintView(key: string, view: View, entry: RowEntry | undefined, exchangeMode: ExchangeMode | undefined, ctx: PaintContext): void {
    const data = hasQuote(entry?.data ?? null) ? (entry?.data ?? null) : null;
    const ageMs = data ? ctx.now - data.receivedAt : null;
    const quietAt = entry?.subscription?.quietAt;
    const look = deriveRowLook({
      hasData: data !== null,
      dataSource: data?.source ?? entry?.data?.source,
      subscription: entry?.subscription,
      exchangeMode,
      hostConnected: ctx.hostConnected,
      ageMs,
      quietAgeMs: quietAt === undefined ? null : ctx.now - quietAt,
      staleAfterMs: ctx.staleAfterMs,
      pollStaleAfterMs: ctx.pollStaleAfterMs,
    });
    const { elements, written } = view;
    setAttr(elements.row, written, 'data-state', look.state);
    setAttr(elements.row, written, 'data-source', look.source);
    // A broker serving delayed data (no live permission) says so on every row of it.
    const delayed = entry?.subscription?.delayed === true;
    setAttr(elements.row, written, 'data-delayed', delayed ? 'true' : 'false');
    setText(elements.badge, written, 'text:badge', delayed && data ? `${look.badge} · delayed` : look.badge);
    setAttr(elements.badge, written, 'title', entry?.subscription?.error?.message ?? '');

    const cells = elements.cells;
    if (!data) {
      for (const field of PAINTED_FIELDS) setCellText(cells[field], written, field, '—');
      for (const field of PRICE_FIELDS) setAttr(cells[field], written, FLASH_SLOT[field], '', 'data-flash');
      setAttr(cells.changePct, written, 'sign', '', 'data-sign');
      this.flashing.delete(key);
      return;
    }
    const decimals = priceDecimals(data.last ?? data.bid ?? data.ask);
    let flashEnd = -Infinity;
    for (const field of PRICE_FIELDS) {
      setCellText(cells[field], written, field, formatPrice(data[field], decimals));
      const flash = entry?.flash[field];
      const on = flash !== undefined && ctx.now - flash.at < ctx.flashMs;
      if (on && flash.at + ctx.flashMs > flashEnd) flashEnd = flash.at + ctx.flashMs;
      setAttr(cells[field], written, FLASH_SLOT[field], on ? flash.direction : '', 'data-flash');
    }
    // Remembered so the flash is cleared at its end by repainting this row alone.
    if (flashEnd === -Infinity) this.flashing.delete(key);
    else this.flashing.set(key, flashEnd);
    setCellText(cells.changePct, written, 'changePct', formatChangePct(data.changePct));
    const sign = data.changePct === null || data.changePct === 0 ? '' : data.changePct > 0 ? 'up' : 'down';
    setAttr(cells.changePct, written, 'sign', sign, 'data-sign');
    setCellText(cells.volume, written, 'volume', formatVolume(data.volume));
    setCellText(cells.age, written, 'age', formatAge(ageMs));
    setCellText(cells.delay, written, 'delay', formatDelay(data.receivedAt, data.eventTime));
    setCellText(cells.source, written, 'source', data.source === 'ws' ? 'socket' : 'polling');
  }
}

function setCellText(el: PaintableElement, written: Written, field: PaintedField, text: string): void {
  if (written.text[field] === text) return;
  written.text[field] = text;
  el.textContent = text;
}

function setText(el: PaintableElement, written: Written, slot: string, text: string): void {
  if (written.attr[slot] === text) return;
  written.attr[slot] = text;
  el.textContent = text;
}

/** Sets an attribute if it changed; `slot` keys the cache when one attribute name is used on several elements. */
function setAttr(el: PaintableElement, written: Written, slot: string, value: string, name = slot): void {
  if (written.attr[slot] === value) return;
  written.attr[slot] = value;
  el.setAttribute(name, value);
}
