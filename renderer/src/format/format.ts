// Text formatting for watchlist cells and diagnostics. Pure functions: the painter
// calls them at tick rate, so formatters are cached per precision.

const EM_DASH = '—';
const MINUS = '−'; // typographic minus keeps signed columns aligned with '+'

const numberFormats = new Map<number, Intl.NumberFormat>();
function intlFixed(decimals: number): Intl.NumberFormat {
  let f = numberFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(decimals, f);
  }
  return f;
}

/**
 * "1234567.891" → "1,234,567.89". Hand-rolled because the painter formats
 * thousands of cells per frame and Intl.NumberFormat is several times slower.
 */
function fixed(value: number, decimals: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e15) return intlFixed(decimals).format(value); // toFixed would switch to exponent form
  const text = abs.toFixed(decimals);
  const dot = text.indexOf('.');
  const int = dot < 0 ? text : text.slice(0, dot);
  let grouped = int;
  if (int.length > 3) {
    grouped = '';
    for (let i = int.length; i > 0; i -= 3) grouped = int.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  }
  const sign = value < 0 && Number(text) !== 0 ? '-' : '';
  return sign + grouped + (dot < 0 ? '' : text.slice(dot));
}

/**
 * Decimals to show for a price of this magnitude. One row uses one precision
 * (chosen from its reference price) so bid, ask and last line up.
 */
export function priceDecimals(reference: number | null): number {
  if (reference === null || !Number.isFinite(reference) || reference === 0) return 2;
  const abs = Math.abs(reference);
  if (abs >= 100) return 2;
  if (abs >= 1) return 4;
  // Four significant digits below 1 (0.5234, 0.0001234), capped at 10 decimals.
  return Math.min(10, 3 - Math.floor(Math.log10(abs)));
}

export function formatPrice(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return EM_DASH;
  return fixed(value, decimals);
}

export function formatChangePct(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return EM_DASH;
  const text = fixed(Math.abs(value), 2);
  return `${value > 0 ? '+' : value < 0 ? MINUS : ''}${text}%`;
}

/** 24h volume, compact: 987.6, 12.35K, 4.20M, 1.05B. */
export function formatVolume(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return EM_DASH;
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${fixed(value / 1e9, 2)}B`;
  if (abs >= 1e6) return `${fixed(value / 1e6, 2)}M`;
  if (abs >= 1e3) return `${fixed(value / 1e3, 2)}K`;
  return fixed(value, abs >= 100 ? 1 : 2);
}

/** Age of the last update: 0.4s, 12s, 3m 05s, 2h 07m. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return EM_DASH;
  const clamped = Math.max(0, ms);
  if (clamped < 10_000) return `${(Math.floor(clamped / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(clamped / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Exchange event time → receipt, whole milliseconds. */
export function formatDelay(receivedAt: number, eventTime: number | null): string {
  if (eventTime === null || !Number.isFinite(eventTime)) return EM_DASH;
  return `${Math.round(receivedAt - eventTime)} ms`;
}

/** Durations in diagnostics and the shutdown modal: 850 ms, 2.4 s, 3m 05s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return EM_DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatAge(ms);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return EM_DASH;
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${bytes} B`;
}

export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return EM_DASH;
  return fixed(perSec, perSec >= 100 ? 0 : 1);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return EM_DASH;
  return ms >= 100 ? `${Math.round(ms)}` : ms.toFixed(1);
}

/** Wall-clock time of day for the connection timeline. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The exchange mode says where data comes from; "live" next to "reconnecting" would read as a contradiction. */
export const MODE_LABEL = { live: 'socket', polling: 'REST polling', down: 'no data source' } as const;
