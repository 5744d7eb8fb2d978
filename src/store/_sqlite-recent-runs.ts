// The embedded store's read of a test's recent runs (see _recent-runs.ts): one statement for a
// whole page of tests, and its rows as the summaries' sources.
import { TERMINAL_STATUSES } from '../domain/run-state.js';
import type { Run } from '../domain/types.js';
import type { RecentRunSource } from './_recent-runs.js';
import { omitUndefined } from './_updates.js';
import { RECENT_RUNS_KEPT } from './store.js';

const TERMINAL_PARAMS = Object.fromEntries(TERMINAL_STATUSES.map((status, index) => [`terminal${index}`, status]));
const TERMINAL_LIST = TERMINAL_STATUSES.map((_, index) => `@terminal${index}`).join(', ');

// Per test (json_each of the ids), the ids of its newest-ended terminal runs, LIMIT each: the
// ORDER BY matches the runs_by_test_end index, so each test reads only those rows. The metrics
// are read as arrays of the four numbers a summary keeps, never the whole snapshot.
export const RECENT_RUNS_SQL = `
  SELECT r.id, r.load_test_id, r.status, r.created_at,
         json_extract(r.doc, '$.finishedAt') AS finished_at,
         json_extract(r.doc, '$.targetUsers') AS target_users,
         json_extract(r.doc, '$.durationSeconds') AS duration_seconds,
         json_type(r.doc, '$.finalMetrics') AS has_final,
         json_type(r.doc, '$.lastMetrics') AS has_last,
         json_extract(r.doc, '$.finalMetrics.totalRequests', '$.finalMetrics.totalFailures', '$.finalMetrics.errorRate', '$.finalMetrics.p95ResponseMs') AS final_numbers,
         json_extract(r.doc, '$.lastMetrics.totalRequests', '$.lastMetrics.totalFailures', '$.lastMetrics.errorRate', '$.lastMetrics.p95ResponseMs') AS last_numbers
  FROM json_each(@ids) AS t
  JOIN load_test_runs AS r ON r.id IN (
    SELECT id FROM load_test_runs
    WHERE load_test_id = t.value AND status IN (${TERMINAL_LIST})
    ORDER BY json_extract(doc, '$.finishedAt') DESC, created_at DESC, id DESC
    LIMIT @kept
  )
  ORDER BY t.key, json_extract(r.doc, '$.finishedAt') DESC, r.created_at DESC, r.id DESC`;

export function recentRunSourceOf(row: Record<string, unknown>): RecentRunSource {
  const metrics = (present: unknown, numbers: unknown) => {
    // Absent, or a JSON null: no snapshot (as `??` reads it).
    if (present === null || present === undefined || present === 'null') return undefined;
    const [totalRequests, totalFailures, errorRate, p95ResponseMs] = JSON.parse(String(numbers)) as (number | null)[];
    return omitUndefined({ totalRequests: totalRequests ?? undefined, totalFailures: totalFailures ?? undefined, errorRate: errorRate ?? undefined, p95ResponseMs: p95ResponseMs ?? undefined });
  };
  const finalMetrics = metrics(row.has_final, row.final_numbers);
  const lastMetrics = metrics(row.has_last, row.last_numbers);
  return {
    id: String(row.id),
    loadTestId: String(row.load_test_id),
    status: row.status as Run['status'],
    createdAt: String(row.created_at),
    ...(typeof row.finished_at === 'string' ? { finishedAt: row.finished_at } : {}),
    targetUsers: Number(row.target_users),
    durationSeconds: Number(row.duration_seconds),
    ...(finalMetrics ? { finalMetrics } : {}),
    ...(lastMetrics ? { lastMetrics } : {}),
  };
}

/** The statement's parameters for these tests. */
export function recentRunsParams(testIds: readonly string[]): Record<string, unknown> {
  return { ids: JSON.stringify(testIds), kept: RECENT_RUNS_KEPT, ...TERMINAL_PARAMS };
}
