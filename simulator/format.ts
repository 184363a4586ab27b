// Binance prints every price and quantity with 8 decimals ("65000.01000000").
// Values live as integers (ticks, lots) with a power-of-ten scale; formatting them
// needs no floating point and no toFixed.

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000'];
const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

/** value = int / 10^decimals (decimals 0..8), printed with exactly 8 decimals. int must be a safe integer. */
export function fixed8(int: number, decimals: number): string {
  let sign = '';
  if (int < 0) {
    sign = '-';
    int = -int;
  }
  if (decimals === 0) return sign + int + '.00000000';
  const scale = POW10[decimals]!;
  const ip = Math.floor(int / scale);
  // (frac + scale) has exactly decimals + 1 digits; drop the leading 1
  const fs = '' + (int - ip * scale + scale);
  return sign + ip + '.' + fs.slice(1) + ZEROS[8 - decimals];
}

/** A non-integer value printed with 8 decimals, exact to 4 decimals (quote volumes, averages). */
export function float8(x: number): string {
  return fixed8(Math.round(x * 10000), 4);
}
