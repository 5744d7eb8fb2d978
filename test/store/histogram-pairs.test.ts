// The bytes SQLite keeps a push's histogram pairs in read back as the same pairs, in both widths.
import { describe, expect, it } from 'vitest';
import { decodePairs, encodePairs } from '../../src/store/_histogram-pairs.js';

describe('histogram pairs as bytes', () => {
  it('keeps whole buckets and counts in 4 bytes each', () => {
    const pairs = [0, 1, 9, 3, 110, 7, 2400, 4_294_967_295];
    const bytes = encodePairs(pairs);
    expect(bytes.length).toBe(4 + pairs.length * 4);
    expect(decodePairs(bytes)).toEqual(pairs);
  });

  it('keeps a fractional bucket or a count past 32 bits as doubles', () => {
    for (const pairs of [[2.5, 2, 9, 3], [9, 2 ** 40]]) {
      const bytes = encodePairs(pairs);
      expect(bytes.length).toBe(8 + pairs.length * 8);
      expect(decodePairs(bytes)).toEqual(pairs);
    }
  });

  it('reads bytes that do not start on a word boundary (a slice of a larger buffer)', () => {
    const bytes = encodePairs([12, 5, 480, 1]);
    const shifted = Buffer.concat([Buffer.from([7]), bytes]).subarray(1);
    expect(decodePairs(shifted)).toEqual([12, 5, 480, 1]);
    expect(decodePairs(encodePairs([]))).toEqual([]);
  });
});
