// A push's histogram pairs (domain/push-summary.ts) as the bytes of an SQLite BLOB, little-endian
// whatever the machine: a tag word, then 32-bit unsigned values when every bucket and count fits
// (Locust's are whole milliseconds and counts: 8 bytes a bucket), else doubles after a pad word.
import type { HistogramPairs } from '../domain/push-summary.js';

const UINT32 = 0;
const FLOAT64 = 1;

export function encodePairs(pairs: HistogramPairs): Buffer {
  const small = pairs.every((value) => Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff);
  const bytes = Buffer.alloc(small ? 4 + pairs.length * 4 : 8 + pairs.length * 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  view.setUint32(0, small ? UINT32 : FLOAT64, true);
  pairs.forEach((value, index) => (small ? view.setUint32(4 + index * 4, value, true) : view.setFloat64(8 + index * 8, value, true)));
  return bytes;
}

export function decodePairs(bytes: Uint8Array): HistogramPairs {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) === UINT32) {
    const pairs = new Array<number>((bytes.byteLength - 4) / 4);
    for (let index = 0; index < pairs.length; index += 1) pairs[index] = view.getUint32(4 + index * 4, true);
    return pairs;
  }
  const pairs = new Array<number>((bytes.byteLength - 8) / 8);
  for (let index = 0; index < pairs.length; index += 1) pairs[index] = view.getFloat64(8 + index * 8, true);
  return pairs;
}
