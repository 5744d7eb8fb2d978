import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from '../../src/domain/duration.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['30', 30],
    ['30s', 30],
    ['1.5m', 90],
    ['5m', 300],
    ['2h', 7200],
    ['500ms', 0.5],
    [' 10 S ', 10],
    ['1H', 3600],
    ['0', 0],
  ])('reads %j as %d seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it('takes a number as seconds', () => {
    expect(parseDurationSeconds(12)).toBe(12);
    expect(parseDurationSeconds(0.25)).toBe(0.25);
  });

  it.each(['10x', '', ' ', 'm', '-5', '1m30s', '.5', '5 minutes', '1e3', 'ten'])('is null for %j', (input) => {
    expect(parseDurationSeconds(input)).toBeNull();
  });

  it('is null for a number that is not finite', () => {
    expect(parseDurationSeconds(Number.NaN)).toBeNull();
    expect(parseDurationSeconds(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
