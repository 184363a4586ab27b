import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatChangePct,
  formatDelay,
  formatPrice,
  formatVolume,
  priceDecimals,
} from '../../renderer/src/format/format';

describe('renderer formatting', () => {
  it('picks price precision from the magnitude so a row lines up', () => {
    expect(priceDecimals(67123.45)).toBe(2);
    expect(priceDecimals(3.5)).toBe(4);
    expect(priceDecimals(0.5234)).toBe(4);
    expect(priceDecimals(0.0001234)).toBe(7);
    expect(priceDecimals(null)).toBe(2);
    expect(formatPrice(67123.456, 2)).toBe('67,123.46');
    expect(formatPrice(0.52341, 4)).toBe('0.5234');
    expect(formatPrice(null, 2)).toBe('—');
  });

  it('signs the 24h change with + and a typographic minus', () => {
    expect(formatChangePct(1.234)).toBe('+1.23%');
    expect(formatChangePct(-0.5)).toBe('−0.50%');
    expect(formatChangePct(0)).toBe('0.00%');
    expect(formatChangePct(null)).toBe('—');
  });

  it('compacts volumes', () => {
    expect(formatVolume(987.64)).toBe('987.6');
    expect(formatVolume(12_345)).toBe('12.35K');
    expect(formatVolume(4_200_000)).toBe('4.20M');
    expect(formatVolume(1_050_000_000)).toBe('1.05B');
  });

  it('shows ages with tenths under 10 s, then seconds, minutes, hours', () => {
    expect(formatAge(0)).toBe('0.0s');
    expect(formatAge(-5)).toBe('0.0s');
    expect(formatAge(1_290)).toBe('1.2s');
    expect(formatAge(12_400)).toBe('12s');
    expect(formatAge(185_000)).toBe('3m 05s');
    expect(formatAge(2 * 3600_000 + 7 * 60_000)).toBe('2h 07m');
    expect(formatAge(null)).toBe('—');
  });

  it('computes delay as receivedAt − eventTime in whole ms', () => {
    expect(formatDelay(1_000_012.6, 1_000_000)).toBe('13 ms');
    expect(formatDelay(1_000, null)).toBe('—');
  });
});

describe('fast number grouping', () => {
  it('matches Intl en-US grouping and rounding for typical prices', () => {
    const intl = (v: number, d: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
    for (const [v, d] of [
      [0, 2],
      [1, 4],
      [999.999, 2],
      [1234.5, 2],
      [67123.456, 2],
      [1234567.891, 2],
      [-98765.4321, 4],
      [0.000123456, 7],
      [-0.001, 2],
    ] as const) {
      expect(formatPrice(v, d)).toBe(intl(v, d).replace(/^-0(\.0+)?$/, '0$1'));
    }
  });
});
