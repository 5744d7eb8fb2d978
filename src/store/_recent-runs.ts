// A test's recentRuns are not kept on the test: they are read from its terminal runs each time
// the test is read, so two runs ending at once can never overwrite each other's entry (the
// read-modify-write this replaces needed a claim on FerretDB). Tests written before carry a
// stored `recentRuns`; it is ignored on read and left out when the test is next written.
import { summarizeRun, type SummarySource } from '../domain/summary.js';
import type { LoadTest, RunSummary } from '../domain/types.js';
import { RECENT_RUNS_KEPT } from './store.js';

/** A run as the stores read it for its summary, with the test it belongs to. */
export type RecentRunSource = SummarySource & { loadTestId: string };

/**
 * The newest RECENT_RUNS_KEPT summaries of each test. `runs` are terminal runs sorted newest end
 * first (finishedAt, then createdAt, then id, all descending); the cut per test is made here.
 */
export function groupRecentRuns(testIds: readonly string[], runs: Iterable<RecentRunSource>): Map<string, RunSummary[]> {
  const byTest = new Map<string, RunSummary[]>(testIds.map((id) => [id, []]));
  for (const run of runs) addRecentRun(byTest, run);
  return byTest;
}

/** The order of a recent-runs list: finishedAt, then createdAt, then id, all descending; no finishedAt last. */
export function byEndNewestFirst(a: RecentRunSource, b: RecentRunSource): number {
  return compareDescending(a.finishedAt, b.finishedAt) || compareDescending(a.createdAt, b.createdAt) || compareDescending(a.id, b.id);
}

function compareDescending(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? 1 : -1;
}

/** Adds the run to its test's list unless the list is full (every later run ended earlier). */
export function addRecentRun(byTest: Map<string, RunSummary[]>, run: RecentRunSource): void {
  const list = byTest.get(run.loadTestId);
  if (list && list.length < RECENT_RUNS_KEPT) list.push(summarizeRun(run));
}

/** True once every test has its RECENT_RUNS_KEPT summaries: older runs cannot change the lists. */
export function allRecentRunsFull(byTest: ReadonlyMap<string, readonly RunSummary[]>): boolean {
  for (const list of byTest.values()) if (list.length < RECENT_RUNS_KEPT) return false;
  return true;
}

/** The tests with their computed recentRuns, whatever they stored. */
export function withRecentRuns(tests: readonly LoadTest[], byTest: ReadonlyMap<string, RunSummary[]>): LoadTest[] {
  return tests.map((test) => ({ ...test, recentRuns: byTest.get(test.id) ?? [] }));
}

/** The test as stored: without recentRuns, which is computed on read. */
export function withoutRecentRuns<T extends { recentRuns?: unknown }>(test: T): Omit<T, 'recentRuns'> {
  const { recentRuns: _computed, ...stored } = test;
  return stored;
}
