import { describe, expect, it } from 'vitest';
import {
  failureRatio,
  formatClock,
  formatCount,
  formatDuration,
  formatLocalDateTime,
  formatMs,
  formatPercent,
  formatRelativeTime,
  formatRps,
  secondsBetween,
} from '../../../src/cli/render/format.js';

describe('render formats', () => {
  it('groups counts with commas', () => {
    expect([0, 999, 1234, 1_234_567].map(formatCount)).toEqual(['0', '999', '1,234', '1,234,567']);
  });

  it('shows one decimal below 100 ms and whole milliseconds above', () => {
    expect([12.34, 12, 0.46, 99.94, 123.6, 1234.4].map(formatMs)).toEqual(['12.3', '12', '0.5', '99.9', '124', '1,234']);
    expect(formatMs(undefined)).toBe('–');
    expect(formatMs(Number.NaN)).toBe('–');
  });

  it('always shows rps with one decimal', () => {
    expect([41.23, 0, 7].map(formatRps)).toEqual(['41.2', '0.0', '7.0']);
  });

  it('shows failure percentages, never a rare failure as 0%', () => {
    expect(formatPercent(failureRatio(3, 1234))).toBe('0.2%');
    expect(formatPercent(failureRatio(1, 10_000))).toBe('<0.1%');
    expect(formatPercent(failureRatio(0, 0))).toBe('0%');
    expect(formatPercent(1)).toBe('100%');
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
