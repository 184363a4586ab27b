// Prices as the exchange writes them: up to 8 decimals, no float noise, no exponent.
export function fmtPrice(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return String(Number(v.toFixed(8)));
}
