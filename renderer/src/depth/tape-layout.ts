// What each tape line shows, as plain values, and where its columns sit: the canvas
// painter draws these with fillText and the accessible mirror list reads the same
// values, so what a test reads is what the screen drew. Pure: no DOM, no canvas.
import { fmtPrice } from './number-format';
import type { TapeEntry } from './tape-model';

/** Fixed geometry in CSS pixels (the canvas scales by the device pixel ratio). */
export const TAPE_GEOMETRY = { lineHeight: 17, padX: 8, timeWidth: 100, gap: 8, topPad: 2 } as const;

export type TapeLineTone = 'buy' | 'sell' | 'unknown' | 'gap' | 'empty';

export interface TapeLineLayout {
  tone: TapeLineTone;
  /** The exchange's trade id of a trade line; '' otherwise. */
  id: string;
  large: boolean;
  recovered: boolean;
  time: string;
  price: string;
  size: string;
  /** Intensity 0.45..1: log size against the largest trade shown. */
  alpha: number;
}

export const EMPTY_LINE: Readonly<TapeLineLayout> = Object.freeze({ tone: 'empty', id: '', large: false, recovered: false, time: '', price: '', size: '', alpha: 1 });

/**
 * Notional (quote) a trade's intensity is measured against when no large-trade
 * threshold is set.
 */
export const INTENSITY_QUOTE = 100_000;

/**
 * A trade's intensity 0.45..1: its notional on a log scale against `refQuote` (the
 * large-trade threshold), full at and above it. It depends on the trade alone, so a
 * drawn line never changes and the painter draws only new lines.
 */
export function tradeAlpha(notional: number, refQuote: number): number {
  const ref = refQuote > 0 ? refQuote : INTENSITY_QUOTE;
  const share = Math.min(1, Math.log1p(Math.max(0, notional)) / Math.log1p(ref));
  // two decimals: few distinct values
  return Math.round((0.45 + 0.55 * share) * 100) / 100;
}

/** What one entry shows (`refQuote`: the large-trade threshold, see tradeAlpha). */
export function layoutLine(l: TapeEntry, refQuote: number): TapeLineLayout {
  if (l.kind === 'gap') {
    const g = l.gap;
    const shed = g.cause === 'shed';
    return {
      tone: 'gap', id: '', large: false, recovered: false, alpha: 1,
      time: clock(g.endedAt),
      price: shed ? 'shed (too slow)' : `gap ${((g.endedAt - g.startedAt) / 1000).toFixed(1)} s`,
      size: shed ? `${g.missing ?? '?'} trades` : g.missing === null ? `${g.recovered} recovered` : `${g.recovered}/${g.missing} recovered`,
    };
  }
  return {
    tone: l.side > 0 ? 'buy' : l.side < 0 ? 'sell' : 'unknown',
    id: l.id,
    large: l.large,
    recovered: l.recovered,
    alpha: tradeAlpha(l.price * l.amount, refQuote),
    time: l.recovered ? `${clock(l.time)} ↺` : clock(l.time),
    price: fmtPrice(l.price),
    size: l.count > 1 ? `${l.amount.toPrecision(4)} ×${l.count}` : l.amount.toPrecision(4),
  };
}

/** The first `count` entries as lines to draw (fewer entries: empty lines fill the rest). */
export function layoutTape(entries: readonly TapeEntry[], count: number, refQuote: number): TapeLineLayout[] {
  const out: TapeLineLayout[] = [];
  for (let i = 0; i < count; i++) out.push(i < entries.length ? layoutLine(entries[i]!, refQuote) : EMPTY_LINE);
  return out;
}

export interface TapeColumns {
  /** Left edge of the time (left-aligned). */
  timeX: number;
  /** Right edges of price and size (right-aligned). */
  priceRight: number;
  sizeRight: number;
}

/** Columns for a canvas `width` CSS px wide: time fixed, price and size share the rest. */
export function tapeColumns(width: number): TapeColumns {
  const { padX, timeWidth, gap } = TAPE_GEOMETRY;
  const rest = Math.max(0, width - 2 * padX - timeWidth - 2 * gap);
  const col = rest / 2;
  return { timeX: padX, priceRight: padX + timeWidth + gap + col, sizeRight: padX + timeWidth + 2 * gap + 2 * col };
}

/** How many lines fit in `height` CSS px. */
export function tapeLineCount(height: number): number {
  return Math.max(0, Math.floor((height - TAPE_GEOMETRY.topPad) / TAPE_GEOMETRY.lineHeight));
}

/** The class a mirror line carries (the e2e and assistive tech read these). */
export function tapeLineClass(l: TapeLineLayout): string {
  return `tape-line ${l.tone}${l.large ? ' large' : ''}${l.recovered ? ' recovered' : ''}`;
}

/** The last time formatted: a burst of trades shares its exchange timestamp (one Date per burst, not per line). */
let lastClock = { t: NaN, text: '' };

function clock(t: number): string {
  if (t === lastClock.t) return lastClock.text;
  const text = formatClock(t);
  lastClock = { t, text };
  return text;
}

function formatClock(t: number): string {
  const d = new Date(t);
  const p = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
