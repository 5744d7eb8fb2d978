// formatNumber must answer exactly what Intl.NumberFormat('en-US') does: it replaces it so a
// command does not load ICU's number data (issue 14). Compared on edge cases and on many
// random numbers of every magnitude, for every option loadctl uses.
import { describe, expect, it } from 'vitest';
import { formatNumber, type NumberFormatOptions } from '../../src/domain/number-format.js';

const OPTIONS: NumberFormatOptions[] = [
  { maximumFractionDigits: 0 },
  { maximumFractionDigits: 1 },
  { maximumFractionDigits: 2 },
  { minimumFractionDigits: 0, maximumFractionDigits: 0 },
  { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  { maximumFractionDigits: 1, signDisplay: 'exceptZero' },
];

const EDGES = [
  0, -0, 0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 0.995, 1.005, 1.015, 1.045, 2.675, 9.95, 9.995, 99.95, 99.96, 999.5, 999.95,
  1234.5, 12345.678, 999999.5, 1e21, 1.5e21, 123456789012345680000, 1e-7, 1.5e-7, 5e-7, 4.9e-3, 0.0005, 0.00049, -0.04, -0.05, -0.0049,
  Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN, 1 / 3, 2 / 3, 100 / 7,
];

function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

function randomNumbers(count: number): number[] {
  const random = seeded(42);
  return Array.from({ length: count }, () => {
    const magnitude = 10 ** Math.floor(random() * 16 - 8);
    const value = random() * magnitude;
    // Also values that sit exactly on a rounding boundary in decimal.
    const onBoundary = random() < 0.3 ? Math.round(value * 1000) / 1000 + 0.005 : value;
    return random() < 0.2 ? -onBoundary : onBoundary;
  });
}

describe('formatNumber, the same as Intl.NumberFormat("en-US")', () => {
  for (const options of OPTIONS) {
    const intl = new Intl.NumberFormat('en-US', options);
    it(`on edge cases with ${JSON.stringify(options)}`, () => {
      for (const value of EDGES) expect(formatNumber(value, options), String(value)).toBe(intl.format(value));
    });
    it(`on 20,000 random numbers with ${JSON.stringify(options)}`, () => {
      const mismatches = randomNumbers(20_000).filter((value) => formatNumber(value, options) !== intl.format(value));
      expect(mismatches.slice(0, 5).map((value) => `${value}: ${formatNumber(value, options)} vs ${intl.format(value)}`)).toEqual([]);
    });
  }
});
