// The embedded store's schema, as numbered migrations. PRAGMA user_version records how many
// have been applied, so a newer loadctl can upgrade a file an older one created.
import type Database from 'better-sqlite3';
import { LoadctlError } from '../domain/errors.js';
import { storedPushOf } from '../domain/push-summary.js';
import { encodePairs } from './_histogram-pairs.js';
import { SCOPE_FIELDS, type LoadTest, type MetricsSnapshot, type Run } from '../domain/types.js';
import { liftScope, scopeColumn, scopeOf, scopeParams } from './_scope.js';

type Migration = string | ((db: Database.Database) => void);

// Each entity is kept whole as JSON in `doc`; the columns beside it copy the fields that
// are filtered, sorted or constrained, and are always written from the same object.
const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE IF NOT EXISTS load_tests (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS load_tests_by_created ON load_tests (created_at DESC, id DESC);

  CREATE TABLE IF NOT EXISTS script_revisions (
    id TEXT PRIMARY KEY,
    load_test_id TEXT NOT NULL REFERENCES load_tests (id),
    revision INTEGER NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (load_test_id, revision)
  ) STRICT;

  CREATE TABLE IF NOT EXISTS load_test_runs (
    id TEXT PRIMARY KEY,
    load_test_id TEXT NOT NULL REFERENCES load_tests (id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS runs_by_test ON load_test_runs (load_test_id, created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS runs_by_status ON load_test_runs (status);
  CREATE INDEX IF NOT EXISTS runs_by_created ON load_test_runs (created_at DESC, id DESC);

  CREATE TABLE IF NOT EXISTS metrics_timeseries (
    run_id TEXT NOT NULL REFERENCES load_test_runs (id),
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) STRICT;
  `,
  // Names are unique. Files written before may hold duplicates: the oldest test of each name
  // keeps the name's key, the others keep NULL (which a unique index allows), so the
  // migration never fails on them and a new test with that name is still refused.
  `
  ALTER TABLE load_tests ADD COLUMN name_key TEXT;
  UPDATE load_tests SET name_key = name WHERE id IN (
    SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY name ORDER BY created_at, id) AS position FROM load_tests)
    WHERE position = 1
  );
  CREATE UNIQUE INDEX load_tests_by_name_key ON load_tests (name_key);
  CREATE INDEX load_tests_by_name ON load_tests (name);
  `,
  addScopeColumns,
  // 4: a test's recentRuns are computed from its runs on every read (sqlite-store.ts
  // #withRecentRuns): its runs by end time, and the list tests kept until now is dropped.
  `
  CREATE INDEX runs_by_test_end ON load_test_runs (load_test_id, json_extract(doc, '$.finishedAt') DESC, created_at DESC, id DESC);
  UPDATE load_tests SET doc = json_remove(doc, '$.recentRuns') WHERE json_type(doc, '$.recentRuns') IS NOT NULL;
  `,
  // 5: a bundle revision's archive (base64 text), apart from the document so lists skip it.
  'ALTER TABLE script_revisions ADD COLUMN bundle TEXT;',
  // 6: a run's lastMetrics (a whole push, most of the run's bytes) is no longer in its document:
  // last_seq points at the stored push, so a push writes one small column instead of rewriting
  // the run, and reading a run to decide about a push parses only the rest. last_metrics holds a
  // lastMetrics that is not a stored push (given when the run was written), else NULL.
  `
  ALTER TABLE load_test_runs ADD COLUMN last_seq INTEGER;
  ALTER TABLE load_test_runs ADD COLUMN last_metrics TEXT;
  UPDATE load_test_runs
  SET last_seq = json_extract(doc, '$.lastMetrics.seq'),
      last_metrics = CASE
        WHEN EXISTS (SELECT 1 FROM metrics_timeseries AS m WHERE m.run_id = load_test_runs.id AND m.seq = json_extract(load_test_runs.doc, '$.lastMetrics.seq')) THEN NULL
        ELSE json_extract(doc, '$.lastMetrics') END,
      doc = json_remove(doc, '$.lastMetrics')
  WHERE json_type(doc, '$.lastMetrics') = 'object';
  `,
  addPushSummaries,
];

export const SCOPE_COLUMNS = SCOPE_FIELDS.map(scopeColumn);

/**
 * 3: scope fields become columns of tests and runs (filtered, indexed), and tests get an
 * updated_at column to sort by. Tests written before kept scope in `extra`: it is lifted
 * out, and each of their runs gets its test's scope, so old rows filter like new ones.
 */
function addScopeColumns(db: Database.Database): void {
  for (const table of ['load_tests', 'load_test_runs']) {
    for (const column of SCOPE_COLUMNS) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
  }
  db.exec('ALTER TABLE load_tests ADD COLUMN updated_at TEXT');
  const setColumns = SCOPE_COLUMNS.map((column, index) => `${column} = @${SCOPE_FIELDS[index]}`).join(', ');
  const writeTest = db.prepare(`UPDATE load_tests SET ${setColumns}, updated_at = @updatedAt, doc = @doc WHERE id = @id`);
  const writeRun = db.prepare(`UPDATE load_test_runs SET ${setColumns}, doc = @doc WHERE id = @id`);
  const scopes = new Map<string, ReturnType<typeof scopeOf>>();
  for (const row of db.prepare('SELECT doc FROM load_tests').all() as { doc: string }[]) {
    const test = liftScope(JSON.parse(row.doc) as LoadTest);
    scopes.set(test.id, scopeOf(test));
    writeTest.run({ id: test.id, updatedAt: test.updatedAt, doc: JSON.stringify(test), ...scopeParams(test) });
  }
  for (const row of db.prepare('SELECT doc FROM load_test_runs').all() as { doc: string }[]) {
    const run = JSON.parse(row.doc) as Run;
    const withScope: Run = { ...scopes.get(run.loadTestId), ...run };
    writeRun.run({ id: run.id, doc: JSON.stringify(withScope), ...scopeParams(withScope) });
  }
  db.exec(`
    CREATE INDEX IF NOT EXISTS load_tests_by_scope ON load_tests (account_id, org_id, project_id, env_id);
    CREATE INDEX IF NOT EXISTS load_tests_by_tenant ON load_tests (tenant_id);
    CREATE INDEX IF NOT EXISTS load_tests_by_updated ON load_tests (updated_at DESC, id DESC);
    CREATE INDEX IF NOT EXISTS runs_by_scope ON load_test_runs (account_id, org_id, project_id, env_id, created_at DESC);
    CREATE INDEX IF NOT EXISTS runs_by_tenant ON load_test_runs (tenant_id, created_at DESC);
  `);
}

/**
 * 6: each push gets its summary (domain/push-summary.ts) and its interval histogram in columns
 * of their own, so a timeseries reads neither the whole documents nor, where a point is one
 * push, the histograms. The histogram is kept as binary (bucket, count) pairs (_histogram-pairs.ts), read without
 * parsing (NULL when it cannot be: pairsOf; its document is read then). Pushes stored before
 * are filled in from their documents, a page at a time (a long run holds thousands of 6 KB
 * documents).
 */
function addPushSummaries(db: Database.Database): void {
  db.exec('ALTER TABLE metrics_timeseries ADD COLUMN summary TEXT; ALTER TABLE metrics_timeseries ADD COLUMN histogram BLOB;');
  const page = db.prepare('SELECT rowid, doc FROM metrics_timeseries WHERE rowid > @after ORDER BY rowid LIMIT 500');
  const fill = db.prepare('UPDATE metrics_timeseries SET summary = @summary, histogram = @histogram WHERE rowid = @rowid');
  for (let after = 0; ; ) {
    const rows = page.all({ after }) as { rowid: number; doc: string }[];
    if (rows.length === 0) break;
    for (const row of rows) fill.run({ rowid: row.rowid, ...pushColumnsOf(JSON.parse(row.doc) as MetricsSnapshot) });
    after = rows.at(-1)!.rowid;
  }
}

/** The summary and histogram columns of a push's row, written with its document. */
export function pushColumnsOf(snapshot: MetricsSnapshot): { summary: string; histogram: Buffer | null } {
  const { summary, pairs } = storedPushOf(snapshot);
  return { summary: JSON.stringify(summary), histogram: pairs ? encodePairs(pairs) : null };
}

/**
 * A run row's lastMetrics as JSON text (migration 6): the one given with the run (last_metrics),
 * else the stored push its last_seq points at; NULL when it has none. `runs` names the row.
 */
export function lastMetricsSql(runs: string): string {
  return `coalesce(${runs}.last_metrics, (SELECT doc FROM metrics_timeseries WHERE run_id = ${runs}.id AND seq = ${runs}.last_seq))`;
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations this file lacks, under a write lock so two processes cannot race. */
export function migrateSchema(db: Database.Database, file: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new LoadctlError(
        'LOADCTL_STORE_UNAVAILABLE',
        `The store file ${file} has schema version ${current}, newer than this loadctl understands (${SCHEMA_VERSION}). Upgrade loadctl or use another --data-dir.`,
      );
    }
    for (const migration of MIGRATIONS.slice(current)) {
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
    }
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
