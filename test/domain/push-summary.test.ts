// A timeseries from the pushes' summaries equals the one the whole pushes gave before
// (test/support/timeseries-reference.ts, the code as it stood), for realistic random runs and
// every kind of query, with only the histograms histogramSeqsNeeded asks for.
import { describe, expect, it } from 'vitest';
import { histogramStatsOf, pairsOf, summarizePush, toHistogram, type StoredHistogram } from '../../src/domain/push-summary.js';
import { histogramSeqsNeeded, runStartOf, summaryTimeseries } from '../../src/domain/timeseries.js';
import type { Histogram, MetricsSnapshot } from '../../src/domain/types.js';
import { countOf, mergeHistograms, percentileOf } from '../../src/domain/histogram.js';
import { randomPushes, seededRandom, timeseriesOptionsFor } from '../support/random-pushes.js';
import { referenceTimeseries } from '../support/timeseries-reference.js';

const START_MS = Date.parse('2025-06-01T10:00:00.000Z');

/** What the route does: summaries as stored (JSON), and only the histograms it asks for. */
function fromSummaries(pushes: readonly MetricsSnapshot[], startedAt: string | undefined, options: Parameters<typeof summaryTimeseries>[3]) {
  const summaries = pushes.map((push) => JSON.parse(JSON.stringify(summarizePush(push))) as ReturnType<typeof summarizePush>);
  const runStart = runStartOf({ startedAt });
  const range = histogramSeqsNeeded(summaries, runStart, options);
  // As a store gives them back: as pairs (SQLite) or maps (MongoDB, a push whose buckets pairs cannot hold), mixed.
  const histograms = new Map<number, StoredHistogram>(
    pushes.filter((push) => range && push.seq >= range.fromSeq && push.seq <= range.toSeq).map((push) => [push.seq, push.seq % 3 === 0 ? push.histogram : (pairsOf(push.histogram) ?? push.histogram)]),
  );
  return summaryTimeseries(summaries, histograms, runStart, options);
}

describe('summaryTimeseries', () => {
  const cases = [
    { name: 'a run with intervals and a stop sliver', stopSliver: true },
    { name: 'a run without a stop sliver', stopSliver: false },
    { name: 'pushes stored before intervals were sent', stopSliver: true, withoutIntervals: true },
    { name: 'a run whose start is unknown', stopSliver: true, unknownStart: true },
    { name: 'a run whose start is unknown, pushes without intervals', stopSliver: false, withoutIntervals: true, unknownStart: true },
  ];
  for (const { name, unknownStart, ...options } of cases) {
    it(`answers exactly what the whole pushes answered: ${name}`, () => {
      for (let seed = 1; seed <= 12; seed += 1) {
        const random = seededRandom(seed);
        const pushes = randomPushes(random, { pushes: 5 + Math.floor(random() * 60), startMs: START_MS, ...options });
        const startedAt = unknownStart ? undefined : new Date(START_MS).toISOString();
        const endMs = Date.parse(pushes.at(-1)!.timestamp);
        for (const query of timeseriesOptionsFor(random, START_MS, endMs)) {
          const expected = referenceTimeseries(pushes, runStartOf({ startedAt }), query);
          expect(JSON.stringify(fromSummaries(pushes, startedAt, query)), `seed ${seed}, ${JSON.stringify(query)}`).toBe(JSON.stringify(expected));
        }
      }
    });
  }

  it('reads no histogram where every point is one push, and those of the merged sliver only', () => {
    const pushes = randomPushes(seededRandom(7), { pushes: 30, startMs: START_MS, stopSliver: true });
    const summaries = pushes.map(summarizePush);
    const runStart = runStartOf({ startedAt: new Date(START_MS).toISOString() });
    expect(histogramSeqsNeeded(summaries, runStart, {})).toEqual({ fromSeq: 29, toSeq: 30 });
    expect(histogramSeqsNeeded(summaries.slice(0, -1), runStart, {})).toBeUndefined();
    expect(histogramSeqsNeeded(summaries, runStart, { stepSeconds: 3600 })).toEqual({ fromSeq: 1, toSeq: 30 });
  });
});

describe('histogramStatsOf', () => {
  const expectedOf = (histograms: readonly Histogram[]) => {
    const merged = mergeHistograms(histograms);
    return { count: countOf(merged), p50: percentileOf(merged, 0.5), p95: percentileOf(merged, 0.95), p99: percentileOf(merged, 0.99) };
  };

  it('equals countOf and percentileOf of the merged histograms, given maps, pairs or both', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 200; round += 1) {
      const histograms = randomPushes(random, { pushes: 1 + Math.floor(random() * 6), startMs: START_MS }).map((push) => push.histogram);
      const expected = expectedOf(histograms);
      expect(histogramStatsOf(histograms)).toEqual(expected);
      expect(histogramStatsOf(histograms.map((histogram) => pairsOf(histogram)!))).toEqual(expected);
      expect(histogramStatsOf(histograms.map((histogram, index) => (index % 2 ? histogram : pairsOf(histogram)!)))).toEqual(expected);
    }
  });

  it('keeps as pairs only histograms whose buckets their numbers stand for exactly', () => {
    const histogram = { '0': 1, '9': 3, '110': 7, '2.5': 2 };
    expect(pairsOf(histogram)).toEqual([0, 1, 9, 3, 110, 7, 2.5, 2]);
    expect(toHistogram(pairsOf(histogram)!)).toEqual(histogram);
    expect(pairsOf({ '010': 1 })).toBeUndefined();
    expect(pairsOf({ '1e3': 1 })).toBeUndefined();
    expect(pairsOf({ '10': 1.5 })).toBeUndefined();
    // "010" and "10" are two buckets to the walk (it reads "10" for both numbers): kept as maps, the same numbers.
    const odd: Histogram[] = [{ '010': 5, '10': 1 }, { '20': 4 }];
    expect(histogramStatsOf(odd)).toEqual(expectedOf(odd));
  });
});
