// The embedded store's schema, as numbered migrations. PRAGMA user_version records how many
// have been applied, so a newer loadctl can upgrade a file an older one created.
import type Database from 'better-sqlite3';
import { LoadctlError } from '../domain/errors.js';

// Each entity is kept whole as JSON in `doc`; the columns beside it copy the fields that
// are filtered, sorted or constrained, and are always written from the same object.
const MIGRATIONS: readonly string[] = [
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
];

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
    for (const migration of MIGRATIONS.slice(current)) db.exec(migration);
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
