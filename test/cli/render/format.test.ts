import { describe, expect, it } from 'vitest';
import {
  capAtMax,
  failureRatio,
  formatClock,
  formatCount,
  formatDuration,
  formatLocalDateTime,
  formatMs,
  formatPercent,
  formatRelativeTime,
  formatRps,
  msDecimalsFor,
  plural,
  secondsBetween,
} from '../../../src/cli/render/format.js';

describe('render formats', () => {
  it('groups counts with commas', () => {
    expect([0, 999, 1234, 1_234_567].map((value) => formatCount(value))).toEqual(['0', '999', '1,234', '1,234,567']);
  });

  it('agrees the noun with the count: 1 user, 2 users, 0 users', () => {
    expect([0, 1, 2, 1234].map((count) => plural(count, 'user'))).toEqual(['0 users', '1 user', '2 users', '1,234 users']);
    expect(plural(1, 'family', 'families')).toBe('1 family');
    expect(plural(3, 'family', 'families')).toBe('3 families');
  });

  it('shows a lone value with one decimal when it has a fraction below 100 ms, whole otherwise', () => {
    expect([12.34, 12, 0.46, 99.94, 123.6, 1234.4].map((value) => formatMs(value))).toEqual(['12.3', '12', '0.5', '99.9', '124', '1,234']);
    expect(formatMs(undefined)).toBe('–');
    expect(formatMs(Number.NaN)).toBe('–');
  });

  it('gives a column one number of decimals', () => {
    expect(msDecimalsFor([12.34, 12, 0.5])).toBe(1);
    expect(msDecimalsFor([12, 40, 80])).toBe(0);
    expect(msDecimalsFor([12.34, 140])).toBe(0);
    // 99.96 prints as 100.0: with the whole numbers.
    expect(msDecimalsFor([99.96, 1.5])).toBe(0);
    expect(msDecimalsFor([12.04, undefined, Number.NaN])).toBe(0);
    expect([12.34, 12, 0.5].map((value) => formatMs(value, 1))).toEqual(['12.3', '12.0', '0.5']);
    expect([12.34, 140].map((value) => formatMs(value, 0))).toEqual(['12', '140']);
  });

  it('never lets a percentile exceed the max beside it', () => {
    expect(capAtMax(24, 23.7)).toBe(23.7);
    expect(capAtMax(12, 23.7)).toBe(12);
    expect(capAtMax(24, undefined)).toBe(24);
    expect(capAtMax(undefined, 10)).toBeUndefined();
  });

  it('always shows rps with one decimal', () => {
    expect([41.23, 0, 7].map(formatRps)).toEqual(['41.2', '0.0', '7.0']);
  });

  it('shows failure percentages with one decimal, never a rare failure as 0.0%', () => {
    expect(formatPercent(failureRatio(3, 1234))).toBe('0.2%');
    expect(formatPercent(failureRatio(1, 10_000))).toBe('<0.1%');
    expect(formatPercent(failureRatio(0, 0))).toBe('0.0%');
    expect(formatPercent(0.5)).toBe('50.0%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('formats clocks and durations', () => {
    expect([6, 90, 3723].map(formatClock)).toEqual(['00:06', '01:30', '1:02:03']);
    expect([45, 125, 3720].map(formatDuration)).toEqual(['45s', '2m 05s', '1h 02m']);
  });

  it('formats times relative to now', () => {
    const now = new Date('2026-11-28T10:04:00Z');
    const ago = (seconds: number) => formatRelativeTime(new Date(now.getTime() - seconds * 1000), now);
    expect([2, 45, 180, 7200, 3 * 86_400].map(ago)).toEqual(['just now', '45s ago', '3m ago', '2h ago', '3d ago']);
  });

  it('formats local date and time to the minute', () => {
    const date = new Date(2026, 10, 28, 9, 5, 59);
    expect(formatLocalDateTime(date)).toBe('2026-11-28 09:05');
  });

  it('measures seconds between two ISO timestamps, undefined when one is missing', () => {
    expect(secondsBetween('2026-11-28T10:01:00Z', '2026-11-28T10:01:30.500Z')).toBe(30.5);
    expect(secondsBetween('2026-11-28T10:01:00Z', undefined)).toBeUndefined();
  });
});
