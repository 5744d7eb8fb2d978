// The embedded store's read of a test's recent runs (see _recent-runs.ts): one statement for a
// whole page of tests, and its rows as the summaries' sources.
import { TERMINAL_STATUSES } from '../domain/run-state.js';
import type { Run } from '../domain/types.js';
import type { RecentRunSource } from './_recent-runs.js';
import { omitUndefined } from './_updates.js';
import { lastMetricsSql } from './_sqlite-schema.js';
import { RECENT_RUNS_KEPT } from './store.js';

const TERMINAL_PARAMS = Object.fromEntries(TERMINAL_STATUSES.map((status, index) => [`terminal${index}`, status]));
const TERMINAL_LIST = TERMINAL_STATUSES.map((_, index) => `@terminal${index}`).join(', ');
const METRIC_FIELDS = ['totalRequests', 'totalFailures', 'errorRate', 'p95ResponseMs'] as const;
// In this order in the row's `fields` array; lastMetrics is apart from the document (`last_fields`, see migration 6).
const SUMMARY_PATHS = ['finishedAt', 'targetUsers', 'durationSeconds', ...METRIC_FIELDS.map((field) => `finalMetrics.${field}`)];

// Per test (json_each of the ids), the ids of its newest-ended terminal runs, LIMIT each: the
// ORDER BY matches the runs_by_test_end index, so each test reads only those rows. Each row's
// document is parsed once (one json_extract of every field a summary needs), so the rows come
// unordered: the caller sorts them (byEndNewestFirst).
export const RECENT_RUNS_SQL = `
  SELECT r.id, r.load_test_id, r.status, r.created_at,
         json_extract(r.doc, ${SUMMARY_PATHS.map((path) => `'$.${path}'`).join(', ')}) AS fields,
         json_extract(${lastMetricsSql('r')}, ${METRIC_FIELDS.map((field) => `'$.${field}'`).join(', ')}) AS last_fields
  FROM json_each(@ids) AS t
  JOIN load_test_runs AS r ON r.id IN (
    SELECT id FROM load_test_runs
    WHERE load_test_id = t.value AND status IN (${TERMINAL_LIST})
    ORDER BY json_extract(doc, '$.finishedAt') DESC, created_at DESC, id DESC
    LIMIT @kept
  )`;

export function recentRunSourceOf(row: Record<string, unknown>): RecentRunSource {
  const [finishedAt, targetUsers, durationSeconds, ...numbers] = JSON.parse(String(row.fields)) as (string | number | null)[];
  // A snapshot always has totalRequests: without it there is none (absent or null, as `??` reads it).
  const metrics = (values: (string | number | null)[]) =>
    values[0] === null || values[0] === undefined
      ? undefined
      : omitUndefined(Object.fromEntries(METRIC_FIELDS.map((field, index) => [field, values[index] ?? undefined])) as Partial<Record<(typeof METRIC_FIELDS)[number], number>>);
  const finalMetrics = metrics(numbers);
  const lastMetrics = typeof row.last_fields === 'string' ? metrics(JSON.parse(row.last_fields) as (number | null)[]) : undefined;
  return {
    id: String(row.id),
    loadTestId: String(row.load_test_id),
    status: row.status as Run['status'],
    createdAt: String(row.created_at),
    ...(typeof finishedAt === 'string' ? { finishedAt } : {}),
    targetUsers: Number(targetUsers),
    durationSeconds: Number(durationSeconds),
    ...(finalMetrics ? { finalMetrics } : {}),
    ...(lastMetrics ? { lastMetrics } : {}),
  };
}

/** The statement's parameters for these tests. */
export function recentRunsParams(testIds: readonly string[]): Record<string, unknown> {
  return { ids: JSON.stringify(testIds), kept: RECENT_RUNS_KEPT, ...TERMINAL_PARAMS };
}
