import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { countOf, mergeHistograms, percentileOf } from '../../src/domain/histogram.js';
import type { Histogram } from '../../src/domain/types.js';

describe('mergeHistograms', () => {
  it('adds counts bucket by bucket and keeps buckets only one side has', () => {
    const first = { '10': 1, '20': 2 };
    const second = { '20': 3, '30': 1 };
    expect(mergeHistograms([first, second, {}])).toEqual({ '10': 1, '20': 5, '30': 1 });
  });

  it('gives an empty histogram for no input or only empty input', () => {
    expect(mergeHistograms([])).toEqual({});
    expect(mergeHistograms([{}, {}])).toEqual({});
  });

  it('leaves its inputs untouched', () => {
    const first = { '10': 1 };
    const second = { '10': 4 };
    mergeHistograms([first, second]);
    expect(first).toEqual({ '10': 1 });
    expect(second).toEqual({ '10': 4 });
  });

  it('counts the requests of a histogram', () => {
    expect(countOf({})).toBe(0);
    expect(countOf({ '5': 3, '50': 0, '500': 2 })).toBe(5);
  });
});

// Worked by hand from Locust's algorithm: within = floor(total × p); walk the buckets from the
// slowest, adding counts; the answer is the first bucket where total − processed ≤ within.
const HAND_WORKED: { name: string; histogram: Histogram; percent: number; expected: number }[] = [
  { name: 'four equal buckets, p50', histogram: { '10': 1, '20': 1, '30': 1, '40': 1 }, percent: 0.5, expected: 30 },
  { name: 'four equal buckets, p25', histogram: { '10': 1, '20': 1, '30': 1, '40': 1 }, percent: 0.25, expected: 20 },
  { name: 'four equal buckets, p95 (floor 3.8 = 3)', histogram: { '10': 1, '20': 1, '30': 1, '40': 1 }, percent: 0.95, expected: 40 },
  { name: 'four equal buckets, p0 is the fastest', histogram: { '10': 1, '20': 1, '30': 1, '40': 1 }, percent: 0, expected: 10 },
  { name: 'four equal buckets, p100 is the slowest', histogram: { '10': 1, '20': 1, '30': 1, '40': 1 }, percent: 1, expected: 40 },
  { name: '98 fast, 2 slow: p50', histogram: { '100': 98, '2000': 2 }, percent: 0.5, expected: 100 },
  { name: '98 fast, 2 slow: p97', histogram: { '100': 98, '2000': 2 }, percent: 0.97, expected: 100 },
  { name: '98 fast, 2 slow: p98 (98 ≤ 98)', histogram: { '100': 98, '2000': 2 }, percent: 0.98, expected: 2000 },
  { name: '98 fast, 2 slow: p99', histogram: { '100': 98, '2000': 2 }, percent: 0.99, expected: 2000 },
  { name: 'one bucket', histogram: { '42': 5 }, percent: 0.5, expected: 42 },
  { name: 'buckets sorted as numbers, not text (9 < 10 < 100)', histogram: { '9': 1, '10': 1, '100': 1 }, percent: 0.5, expected: 10 },
  { name: 'an empty bucket changes nothing', histogram: { '5': 3, '50': 0 }, percent: 0.99, expected: 5 },
  { name: 'a zero bucket', histogram: { '0': 2, '1': 2 }, percent: 0.5, expected: 1 },
  { name: 'empty histogram', histogram: {}, percent: 0.95, expected: 0 },
  // 100 × 0.29 is 28.999999999999996 in floating point, so within is 28 (Python's int() agrees).
  { name: 'floating-point floor like Python int()', histogram: Object.fromEntries(Array.from({ length: 100 }, (_, index) => [String(index + 1), 1])), percent: 0.29, expected: 29 },
];

describe('percentileOf', () => {
  it.each(HAND_WORKED)('$name → $expected', ({ histogram, percent, expected }) => {
    expect(percentileOf(histogram, percent)).toBe(expected);
  });
});

/** Deterministic response times (ms) with a long tail, some fractional, like real traffic. */
function sampleResponseTimes(count: number, seed: number): number[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => {
    const roll = next();
    if (roll < 0.7) return Math.round(5 + next() * 90);
    if (roll < 0.95) return Math.round((100 + next() * 900) * 10) / 10;
    return Math.round(1000 + next() * 40_000);
  });
}

const PERCENTS = [0, 0.01, 0.25, 0.5, 0.66, 0.75, 0.9, 0.95, 0.98, 0.99, 0.999, 1];

// Feeds the samples to Locust's own StatsEntry, one per interval and one for the whole run.
const LOCUST_REFERENCE = `
import json, sys
from locust.stats import StatsEntry
request = json.load(sys.stdin)
def entry_of(samples):
    entry = StatsEntry(None, "x", "GET")
    for response_time in samples:
        entry.log(response_time, 0)
    return entry
whole = entry_of([sample for interval in request["intervals"] for sample in interval])
print(json.dumps({
    "intervals": [{str(key): count for key, count in entry_of(interval).response_times.items()} for interval in request["intervals"]],
    "whole": {str(key): count for key, count in whole.response_times.items()},
    "percentiles": [whole.get_response_time_percentile(percent) for percent in request["percents"]],
}))
`;

describe('percentileOf against Locust itself', () => {
  const python = process.env.LOADCTL_TEST_PYTHON;

  it.skipIf(!python && !process.env.CI)('matches calculate_response_time_percentile on Locust-made histograms, also when interval histograms are merged', () => {
    if (!python) throw new Error('LOADCTL_TEST_PYTHON is not set: in CI it must point to a Python with Locust installed (e.g. the venv from `loadctl setup`), so percentiles are checked against Locust itself.');
    const intervals = [sampleResponseTimes(700, 1), sampleResponseTimes(250, 2), sampleResponseTimes(51, 3)];
    const result = spawnSync(python, ['-c', LOCUST_REFERENCE], { input: JSON.stringify({ intervals, percents: PERCENTS }), encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const locust = JSON.parse(result.stdout) as { intervals: Histogram[]; whole: Histogram; percentiles: number[] };

    const merged = mergeHistograms(locust.intervals);
    expect(merged).toEqual(locust.whole);
    expect(countOf(merged)).toBe(1001);
    expect(PERCENTS.map((percent) => percentileOf(merged, percent))).toEqual(locust.percentiles);
    // The data must exercise the tail, or the comparison proves little.
    expect(new Set(locust.percentiles).size).toBeGreaterThan(6);
  });
});
