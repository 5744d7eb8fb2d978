import { describe, expect, it } from 'vitest';
import { parseTimeBound } from '../../src/domain/time-bound.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');

describe('parseTimeBound (runs list --since/--until)', () => {
  it('reads a span back from now in minutes, hours, days and weeks', () => {
    expect(parseTimeBound('30m', NOW)).toBe('2026-11-29T11:30:00.000Z');
    expect(parseTimeBound('90min', NOW)).toBe('2026-11-29T10:30:00.000Z');
    expect(parseTimeBound('2h', NOW)).toBe('2026-11-29T10:00:00.000Z');
    expect(parseTimeBound('1.5h', NOW)).toBe('2026-11-29T10:30:00.000Z');
    expect(parseTimeBound(' 7d ', NOW)).toBe('2026-11-22T12:00:00.000Z');
    expect(parseTimeBound('1W', NOW)).toBe('2026-11-22T12:00:00.000Z');
  });

  it('reads a date as its start in UTC, and a date-time with its zone', () => {
    expect(parseTimeBound('2026-11-01', NOW)).toBe('2026-11-01T00:00:00.000Z');
    expect(parseTimeBound('2026-11-29T10:00Z', NOW)).toBe('2026-11-29T10:00:00.000Z');
    expect(parseTimeBound('2026-11-29 10:00:30+01:00', NOW)).toBe('2026-11-29T09:00:30.000Z');
    expect(parseTimeBound('2026-11-29T10:00:00.250-0500', NOW)).toBe('2026-11-29T15:00:00.250Z');
  });

  it('refuses what names no instant, a time without its zone, and a date that does not exist', () => {
    for (const text of ['', 'yesterday', '2h ago', '-2h', '10s', '2026-11-29T10:00', '10:00Z', '2026-02-30', '2026-13-01', '2026-11-29T25:00Z', 'now']) {
      expect(parseTimeBound(text, NOW), text).toBeNull();
    }
  });
});
