// The embedded store: one SQLite file, safe to share between processes (WAL, a busy
// timeout, and every read-then-write inside an IMMEDIATE transaction, which takes the
// file's write lock before reading).
import Database from 'better-sqlite3';
import { LoadctlError, isLoadctlError } from '../domain/errors.js';
import { isSupersededPush } from '../domain/push-overlap.js';
import { ACTIVE_STATUSES } from '../domain/run-state.js';
import { sealRunSecrets } from '../domain/run-secrets.js';
import { SCOPE_FIELDS, type LoadTest, type MetricsSnapshot, type Run, type Scope, type ScriptRevision } from '../domain/types.js';
import { normaliseTimestamp, normalisePage, normaliseStatuses } from './_filters.js';
import { createActiveRunError, createClusterBusyError, createNameTakenError } from './_conflicts.js';
import { createRunNotFoundError, createTestNotFoundError } from './_not-found.js';
import { createWriteBatch, outcomeOf } from './_write-batch.js';
import { type Checkpointer, startCheckpointer } from './_sqlite-checkpointer.js';
import { lastMetricsSql, migrateSchema, pushColumnsOf, SCOPE_COLUMNS } from './_sqlite-schema.js';
import { decodePairs } from './_histogram-pairs.js';
import { summarizePush, type PushSummary, type StoredHistogram } from '../domain/push-summary.js';
import { liftScope, scopeColumn, scopeParams } from './_scope.js';
import { applyLoadTestPatch, applyTransition, createStatusChange, omitUndefined } from './_updates.js';
import { byEndNewestFirst, groupRecentRuns, withRecentRuns, withoutRecentRuns } from './_recent-runs.js';
import { RECENT_RUNS_SQL, recentRunSourceOf, recentRunsParams } from './_sqlite-recent-runs.js';
import type {
  LoadTestFilter,
  LoadTestPatch,
  NewLoadTest,
  NewScriptRevision,
  AppendMetricsOptions,
  Page,
  RunFilter,
  RunReadOptions,
  Store,
  StoreHealth,
  Transition,
} from './store.js';

export interface SqliteStoreOptions {
  file: string;
  /** How long a write waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

type Params = Record<string, unknown>;

interface QueuedPush {
  runId: string;
  snapshot: MetricsSnapshot;
  options: AppendMetricsOptions;
}

const PAGE_SIZE_BYTES = 16_384;

/** Pushes before checkpoints move to a worker thread (one run pushing every 2 s takes 17 minutes to get there). */
const CHECKPOINTER_AFTER_PUSHES = 500;

/** SQLite's own default: a checkpoint in the commit that brings the WAL past this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// Result codes that mean the file itself cannot be used, as opposed to a bug in a query.
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|CORRUPT|NOTADB|PERM|AUTH)/;

export class SqliteStore implements Store {
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  #db: Database.Database | undefined;
  readonly #statements = new Map<string, Database.Statement>();
  /** Pushes of the same turn share one transaction (group commit). */
  readonly #pushes = createWriteBatch<QueuedPush, boolean>((pushes) => {
    this.#pushesTaken += pushes.length;
    if (this.#pushesTaken >= CHECKPOINTER_AFTER_PUSHES) this.#startCheckpointer();
    return this.#transaction(() => pushes.map((push) => outcomeOf(() => this.#appendOne(push))));
  });
  #pushesTaken = 0;
  /** Started once pushes pour in: a single run's few pushes never fill the WAL SQLite checkpoints. */
  #checkpointer: Checkpointer | undefined;

  constructor(options: SqliteStoreOptions) {
    this.#file = options.file;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  async init(): Promise<void> {
    if (this.#db) return;
    let db: Database.Database | undefined;
    try {
      db = new Database(this.#file, { timeout: this.#busyTimeoutMs });
      // A new file only (an existing one keeps its size): a push (≈6 KB) then fits in one page
      // instead of spilling into overflow pages, so a batch of pushes writes far fewer WAL frames.
      db.pragma(`page_size = ${PAGE_SIZE_BYTES}`);
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across process crashes in WAL mode; only a power cut may lose the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // SQLite's own lower() folds ASCII only; names are compared the way MongoDB's /i does.
      db.function('loadctl_icontains', { deterministic: true }, (text: unknown, part: unknown) =>
        String(text).toLowerCase().includes(String(part).toLowerCase()) ? 1 : 0,
      );
      migrateSchema(db, this.#file);
      this.#db = db;
    } catch (error) {
      db?.close();
      throw isLoadctlError(error)
        ? error
        : new LoadctlError('LOADCTL_STORE_UNAVAILABLE', `Cannot open the store file ${this.#file}: ${messageOf(error)}`, {
            cause: error,
          });
    }
  }

  async close(): Promise<void> {
    if (this.#db) this.#pushes.flush();
    await this.#checkpointer?.stop();
    this.#checkpointer = undefined;
    this.#statements.clear();
    this.#db?.close();
    this.#db = undefined;
  }

  async health(): Promise<StoreHealth> {
    try {
      this.#get('SELECT count(*) AS n FROM load_tests');
      return { ok: true, kind: 'embedded', detail: this.#file };
    } catch (error) {
      return { ok: false, kind: 'embedded', detail: `${this.#file}: ${messageOf(error)}` };
    }
  }

  async createLoadTest(
    test: NewLoadTest,
    firstRevision: NewScriptRevision,
  ): Promise<{ test: LoadTest; revision: ScriptRevision }> {
    const created: LoadTest = { ...test, latestRevisionId: firstRevision.id, latestRevision: 1, recentRuns: [] };
    const revision: ScriptRevision = { ...firstRevision, loadTestId: test.id, revision: 1 };
    this.#transaction(() => {
      this.#refuseTakenName(created.name, created.id);
      this.#exec(
        `INSERT INTO load_tests (id, name, name_key, created_at, updated_at, ${SCOPE_COLUMNS.join(', ')}, doc)
         VALUES (@id, @name, @name, @createdAt, @updatedAt, ${SCOPE_PARAMS}, @doc)`,
        { id: created.id, name: created.name, createdAt: created.createdAt, updatedAt: created.updatedAt, ...scopeParams(created), doc: JSON.stringify(withoutRecentRuns(created)) },
      );
      this.#insertRevision(revision);
    });
    return { test: created, revision };
  }

  async getLoadTest(id: string): Promise<LoadTest | null> {
    return this.#readSnapshot(() => {
      const test = this.#readLoadTest(id);
      return test && this.#withRecentRuns([test])[0]!;
    });
  }

  async listLoadTests(filter: LoadTestFilter): Promise<Page<LoadTest>> {
    const where: string[] = [];
    const params: Params = {};
    if (filter.name !== undefined) {
      where.push('loadctl_icontains(name, @name)');
      params.name = filter.name;
    }
    if (filter.tag !== undefined) {
      where.push("EXISTS (SELECT 1 FROM json_each(load_tests.doc, '$.tags') WHERE value = @tag)");
      params.tag = filter.tag;
    }
    if (filter.tags !== undefined && filter.tags.length > 0) {
      const names = filter.tags.map((_, index) => `@anyTag${index}`).join(', ');
      where.push(`EXISTS (SELECT 1 FROM json_each(load_tests.doc, '$.tags') WHERE value IN (${names}))`);
      filter.tags.forEach((tag, index) => (params[`anyTag${index}`] = tag));
    }
    addScopeConditions(filter.scope, where, params);
    const order = `${filter.sortBy === 'updatedAt' ? 'updated_at' : 'created_at'} ${filter.sortOrder === 'asc' ? 'ASC' : 'DESC'}`;
    return this.#readSnapshot(() => {
      const page = this.#page<LoadTest>('load_tests', where, params, filter, order);
      return { ...page, items: this.#withRecentRuns(page.items.map(liftScope)) };
    });
  }

  /**
   * The tests with recentRuns read from their terminal runs, in one query for all of them: for
   * each test, its newest-ended runs through the runs_by_test_end index, only the summary's fields.
   */
  #withRecentRuns(tests: LoadTest[]): LoadTest[] {
    if (tests.length === 0) return tests;
    const ids = tests.map((test) => test.id);
    const rows = this.#all(RECENT_RUNS_SQL, recentRunsParams(ids));
    return withRecentRuns(tests, groupRecentRuns(ids, rows.map(recentRunSourceOf).sort(byEndNewestFirst)));
  }

  async updateLoadTest(id: string, patch: LoadTestPatch): Promise<LoadTest | null> {
    return this.#transaction(() => {
      const test = this.#readLoadTest(id);
      if (!test) return null;
      const next = applyLoadTestPatch(test, patch);
      const renamed = next.name !== test.name;
      if (renamed) this.#refuseTakenName(next.name, id);
      this.#writeLoadTest(next);
      if (renamed) this.#exec('UPDATE load_tests SET name_key = @name WHERE id = @id', { id, name: next.name });
      return this.#withRecentRuns([next])[0]!;
    });
  }

  async deleteLoadTest(id: string): Promise<boolean> {
    // One transaction: other readers see the whole test or none of it, even if we die midway.
    return this.#transaction(() => {
      const statuses = ACTIVE_STATUSES.map((_, index) => `@status${index}`).join(', ');
      const active = this.#get(
        `SELECT id, status FROM load_test_runs WHERE load_test_id = @id AND status IN (${statuses}) ORDER BY created_at LIMIT 1`,
        { id, ...Object.fromEntries(ACTIVE_STATUSES.map((status, index) => [`status${index}`, status])) },
      );
      if (active) throw createActiveRunError(id, { id: String(active.id), status: active.status as Run['status'] });
      // Children before parents: the foreign keys refuse the other order.
      this.#exec('DELETE FROM metrics_timeseries WHERE run_id IN (SELECT id FROM load_test_runs WHERE load_test_id = @id)', { id });
      const runs = this.#exec('DELETE FROM load_test_runs WHERE load_test_id = @id', { id });
      const revisions = this.#exec('DELETE FROM script_revisions WHERE load_test_id = @id', { id });
      const test = this.#exec('DELETE FROM load_tests WHERE id = @id', { id });
      return test.changes + runs.changes + revisions.changes > 0;
    });
  }

  async addScriptRevision(loadTestId: string, revision: NewScriptRevision): Promise<ScriptRevision | null> {
    return this.#transaction(() => {
      const test = this.#readLoadTest(loadTestId);
      if (!test) return null;
      const row = this.#get('SELECT max(revision) AS last FROM script_revisions WHERE load_test_id = @loadTestId', {
        loadTestId,
      });
      const added: ScriptRevision = { ...revision, loadTestId, revision: Number(row?.last ?? 0) + 1 };
      this.#insertRevision(added);
      this.#writeLoadTest({
        ...test,
        latestRevisionId: added.id,
        latestRevision: added.revision,
        updatedAt: added.createdAt,
      });
      return added;
    });
  }

  async getScriptRevision(id: string): Promise<ScriptRevision | null> {
    return revisionOfRow(this.#get('SELECT doc, bundle FROM script_revisions WHERE id = @id', { id }));
  }

  async getScriptRevisionByNumber(loadTestId: string, revision: number): Promise<ScriptRevision | null> {
    return revisionOfRow(this.#get('SELECT doc, bundle FROM script_revisions WHERE load_test_id = @loadTestId AND revision = @revision', { loadTestId, revision }));
  }

  async listScriptRevisions(loadTestId: string): Promise<ScriptRevision[]> {
    return this.#all('SELECT doc FROM script_revisions WHERE load_test_id = @loadTestId ORDER BY revision', {
      loadTestId,
    }).map((row) => JSON.parse(String(row.doc)) as ScriptRevision);
  }

  async createRun(given: Run): Promise<Run> {
    // Whoever reads the file must not be able to forge callbacks: no secret is written in clear.
    const run = sealRunSecrets(given);
    this.#transaction(() => {
      if (!this.#readLoadTest(run.loadTestId)) throw createTestNotFoundError(run.loadTestId);
      if (run.locustClusterId !== undefined) this.#refuseBusyCluster(run.locustClusterId);
      this.#exec(
        `INSERT INTO load_test_runs (id, load_test_id, status, created_at, ${SCOPE_COLUMNS.join(', ')}, doc, last_metrics, last_seq)
         VALUES (@id, @loadTestId, @status, @createdAt, ${SCOPE_PARAMS}, @doc, @lastMetrics, @lastSeq)`,
        { id: run.id, loadTestId: run.loadTestId, status: run.status, createdAt: run.createdAt, ...scopeParams(run), doc: documentOf(run), ...givenLastMetrics(run.lastMetrics) },
      );
    });
    return run;
  }

  async getRun(id: string, options: RunReadOptions = {}): Promise<Run | null> {
    if (options.snapshots !== false) return this.#readRun(id);
    // A row from before schema 6 may still hold lastMetrics in its document.
    const run = parseDoc<Run>(this.#get('SELECT doc FROM load_test_runs WHERE id = @id', { id }));
    if (run) {
      delete run.finalMetrics;
      delete run.lastMetrics;
    }
    return run;
  }

  async listRuns(filter: RunFilter): Promise<Page<Run>> {
    const where: string[] = [];
    const params: Params = {};
    if (filter.loadTestId !== undefined) {
      where.push('load_test_id = @loadTestId');
      params.loadTestId = filter.loadTestId;
    }
    const statuses = normaliseStatuses(filter.status);
    if (statuses) {
      where.push(`status IN (${statuses.map((_, index) => `@status${index}`).join(', ')})`);
      statuses.forEach((status, index) => (params[`status${index}`] = status));
    }
    if (filter.verdict !== undefined) {
      if (filter.verdict === 'none') where.push("json_extract(doc, '$.verdict') IS NULL");
      else {
        where.push("json_extract(doc, '$.verdict') = @verdict");
        params.verdict = filter.verdict;
      }
    }
    if (filter.since !== undefined) {
      where.push('created_at >= @since');
      params.since = normaliseTimestamp(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('created_at < @until');
      params.until = normaliseTimestamp(filter.until);
    }
    addScopeConditions(filter.scope, where, params);
    return this.#page('load_test_runs', where, params, filter, `created_at ${filter.sortOrder === 'asc' ? 'ASC' : 'DESC'}`, runOfRow, RUN_COLUMNS);
  }

  async transitionRun(id: string, transition: Transition): Promise<Run | null> {
    return this.#transaction(() => {
      const run = this.#readRun(id);
      if (!run || !transition.from.includes(run.status)) return null;
      const next = applyTransition(run, createStatusChange(run.status, transition), transition.patch);
      this.#writeRun(next, transition.patch?.lastMetrics);
      return next;
    });
  }

  async updateRun(id: string, patch: Partial<Pick<Run, 'locustEndpoint' | 'error' | 'owner' | 'plugin' | 'locustArgs' | 'shape' | 'workerNodes' | 'events'>>): Promise<Run | null> {
    return this.#transaction(() => {
      const run = this.#readRun(id);
      if (!run) return null;
      const next: Run = { ...run, ...omitUndefined(patch) };
      this.#writeRun(next);
      return next;
    });
  }

  async appendMetrics(runId: string, snapshot: MetricsSnapshot, options: AppendMetricsOptions = {}): Promise<boolean> {
    return this.#pushes.add({ runId, snapshot, options });
  }

  async appendMetricsReadingRun(runId: string, snapshot: MetricsSnapshot, options: AppendMetricsOptions = {}): Promise<{ stored: boolean; run: Run }> {
    const stored = await this.appendMetrics(runId, snapshot, options);
    // In-process, a read after the write costs what it would inside the batch.
    const run = await this.getRun(runId, { snapshots: false });
    if (!run) throw createRunNotFoundError(runId);
    return { stored, run };
  }

  #startCheckpointer(): void {
    if (this.#checkpointer || !this.#db) return;
    const db = this.#db;
    this.#checkpointer = startCheckpointer(this.#file, this.#busyTimeoutMs, () => {
      // Without it the WAL would only grow: SQLite checkpoints in the commits again.
      if (this.#db === db) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    });
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Inside the batch's transaction. */
  #appendOne({ runId, snapshot, options }: QueuedPush): boolean {
    const run = this.#get('SELECT last_seq FROM load_test_runs WHERE id = @runId', { runId });
    if (!run) throw createRunNotFoundError(runId);
    const lastSeq = run.last_seq === null ? undefined : Number(run.last_seq);
    if (options.skipOlderThanLast && isSupersededPush(snapshot.seq, lastSeq)) return false;
    const inserted = this.#exec(
      'INSERT OR IGNORE INTO metrics_timeseries (run_id, seq, doc, summary, histogram) VALUES (@runId, @seq, @doc, @summary, @histogram)',
      { runId, seq: snapshot.seq, doc: JSON.stringify(snapshot), ...pushColumnsOf(snapshot) },
    );
    if (inserted.changes === 0) return false;
    if (lastSeq === undefined || lastSeq < snapshot.seq) this.#exec('UPDATE load_test_runs SET last_seq = @seq, last_metrics = NULL WHERE id = @runId', { runId, seq: snapshot.seq });
    return true;
  }

  async listMetrics(runId: string): Promise<MetricsSnapshot[]> {
    return this.#all('SELECT doc FROM metrics_timeseries WHERE run_id = @runId ORDER BY seq', { runId }).map(
      (row) => JSON.parse(String(row.doc)) as MetricsSnapshot,
    );
  }

  async listPushSummaries(runId: string): Promise<PushSummary[]> {
    // The document only where a row has no summary (written past this version's appendMetrics).
    const rows = this.#all('SELECT summary, CASE WHEN summary IS NULL THEN doc END AS doc FROM metrics_timeseries WHERE run_id = @runId ORDER BY seq', { runId });
    return rows.map((row) => (row.summary === null ? summarizePush(JSON.parse(String(row.doc)) as MetricsSnapshot) : (JSON.parse(String(row.summary)) as PushSummary)));
  }

  async listPushHistograms(runId: string, fromSeq: number, toSeq: number): Promise<Map<number, StoredHistogram>> {
    const rows = this.#all(
      'SELECT seq, histogram, CASE WHEN histogram IS NULL THEN doc END AS doc FROM metrics_timeseries WHERE run_id = @runId AND seq BETWEEN @fromSeq AND @toSeq',
      { runId, fromSeq, toSeq },
    );
    return new Map(
      rows.map((row) => [Number(row.seq), row.histogram === null ? ((JSON.parse(String(row.doc)) as MetricsSnapshot).histogram ?? {}) : decodePairs(row.histogram as Buffer)]),
    );
  }

  /** Inside the write transaction, so no other process can start a run on the cluster in between. */
  #refuseBusyCluster(clusterId: string): void {
    const statuses = ACTIVE_STATUSES.map((_, index) => `@status${index}`).join(', ');
    const busy = this.#get(
      `SELECT id, status FROM load_test_runs WHERE status IN (${statuses}) AND json_extract(doc, '$.locustClusterId') = @clusterId LIMIT 1`,
      { clusterId, ...Object.fromEntries(ACTIVE_STATUSES.map((status, index) => [`status${index}`, status])) },
    );
    if (busy) throw createClusterBusyError(clusterId, { id: String(busy.id), status: busy.status as Run['status'] });
  }

  /** Inside the write transaction, so no other process can take the name between check and insert. */
  #refuseTakenName(name: string, id: string): void {
    // By name, not name_key: a duplicate kept from an older file still holds its name.
    const holder = this.#get('SELECT id FROM load_tests WHERE name = @name AND id != @id ORDER BY created_at, id LIMIT 1', {
      name,
      id,
    });
    if (holder) throw createNameTakenError(name, String(holder.id));
  }

  /** The test without its recentRuns (a stored list from an older loadctl is ignored): see #withRecentRuns. */
  #readLoadTest(id: string): LoadTest | null {
    const test = parseDoc<LoadTest>(this.#get('SELECT doc FROM load_tests WHERE id = @id', { id }));
    return test && { ...liftScope(test), recentRuns: [] };
  }

  #writeLoadTest(test: LoadTest): void {
    this.#exec(`UPDATE load_tests SET name = @name, updated_at = @updatedAt, ${SCOPE_ASSIGNMENTS}, doc = @doc WHERE id = @id`, {
      id: test.id,
      name: test.name,
      updatedAt: test.updatedAt,
      ...scopeParams(test),
      doc: JSON.stringify(withoutRecentRuns(test)),
    });
  }

  #insertRevision(revision: ScriptRevision): void {
    // A bundle's archive has a column of its own, so listing revisions does not read it.
    const { bundle, ...doc } = revision;
    this.#exec(
      'INSERT INTO script_revisions (id, load_test_id, revision, doc, bundle) VALUES (@id, @loadTestId, @revision, @doc, @bundle)',
      { id: revision.id, loadTestId: revision.loadTestId, revision: revision.revision, doc: JSON.stringify(doc), bundle: bundle ?? null },
    );
  }

  #readRun(id: string): Run | null {
    const row = this.#get(`SELECT ${RUN_COLUMNS} FROM load_test_runs WHERE id = @id`, { id });
    return row ? runOfRow(row) : null;
  }

  /** The run's document; its lastMetrics only when `lastMetrics` gives a new one (a push sets it otherwise). */
  #writeRun(run: Run, lastMetrics?: MetricsSnapshot): void {
    const columns = { id: run.id, status: run.status, doc: documentOf(run) };
    if (!lastMetrics) this.#exec('UPDATE load_test_runs SET status = @status, doc = @doc WHERE id = @id', columns);
    else this.#exec('UPDATE load_test_runs SET status = @status, doc = @doc, last_metrics = @lastMetrics, last_seq = @lastSeq WHERE id = @id', { ...columns, ...givenLastMetrics(lastMetrics) });
  }

  #page<T>(
    table: string,
    where: string[],
    params: Params,
    filter: { limit: number; offset: number },
    order = 'created_at DESC',
    itemOf: (row: Record<string, unknown>) => T = (row) => JSON.parse(String(row.doc)) as T,
    columns = 'doc',
  ): Page<T> {
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const { limit, offset } = normalisePage(filter);
    // One read transaction, so the total and the items come from the same snapshot.
    return this.#readSnapshot(() => {
      const total = Number(this.#get(`SELECT count(*) AS n FROM ${table} ${clause}`, params)?.n ?? 0);
      const items = this.#all(
        `SELECT ${columns} FROM ${table} ${clause} ORDER BY ${order}, id ${order.endsWith('ASC') ? 'ASC' : 'DESC'} LIMIT @limit OFFSET @offset`,
        { ...params, limit, offset },
      ).map(itemOf);
      return { items, total };
    });
  }

  #transaction<T>(work: () => T): T {
    return this.#guard((db) => db.transaction(work).immediate());
  }

  #readSnapshot<T>(work: () => T): T {
    return this.#guard((db) => db.transaction(work).deferred());
  }

  #get(sql: string, params: Params = {}): Record<string, unknown> | undefined {
    return this.#guard(() => this.#prepare(sql).get(params) as Record<string, unknown> | undefined);
  }

  #all(sql: string, params: Params = {}): Record<string, unknown>[] {
    return this.#guard(() => this.#prepare(sql).all(params) as Record<string, unknown>[]);
  }

  #exec(sql: string, params: Params): Database.RunResult {
    return this.#guard(() => this.#prepare(sql).run(params));
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#open().prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #open(): Database.Database {
    if (!this.#db) throw new LoadctlError('LOADCTL_INTERNAL', 'The embedded store was used before init() or after close().');
    return this.#db;
  }

  /** Turns "the file cannot be used" errors into LOADCTL_STORE_UNAVAILABLE; others pass through. */
  #guard<T>(work: (db: Database.Database) => T): T {
    try {
      return work(this.#open());
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
        throw new LoadctlError('LOADCTL_STORE_UNAVAILABLE', `The store file ${this.#file} cannot be used: ${messageOf(error)}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}

const SCOPE_PARAMS = SCOPE_FIELDS.map((field) => `@${field}`).join(', ');
const SCOPE_ASSIGNMENTS = SCOPE_FIELDS.map((field) => `${scopeColumn(field)} = @${field}`).join(', ');

/** One equality per given scope field, on its column. */
function addScopeConditions(scope: Scope | undefined, where: string[], params: Params): void {
  for (const field of SCOPE_FIELDS) {
    const value = scope?.[field];
    if (value === undefined) continue;
    where.push(`${scopeColumn(field)} = @scope_${field}`);
    params[`scope_${field}`] = value;
  }
}

/** What a run is read from: its document and its lastMetrics (see migration 6). */
const RUN_COLUMNS = `doc, ${lastMetricsSql('load_test_runs')} AS last_metrics_doc`;

/** A run row: its document with its lastMetrics (a row from before schema 6 may hold it in its document). */
function runOfRow(row: Record<string, unknown>): Run {
  const run = JSON.parse(String(row.doc)) as Run;
  return typeof row.last_metrics_doc === 'string' ? { ...run, lastMetrics: JSON.parse(row.last_metrics_doc) as MetricsSnapshot } : run;
}

/** The run's document: its lastMetrics lives apart from it. */
function documentOf(run: Run): string {
  const { lastMetrics: _apart, ...rest } = run;
  return JSON.stringify(rest);
}

/** The columns of a lastMetrics given with a run (not a stored push). */
function givenLastMetrics(lastMetrics: MetricsSnapshot | undefined): { lastMetrics: string | null; lastSeq: number | null } {
  return { lastMetrics: lastMetrics ? JSON.stringify(lastMetrics) : null, lastSeq: lastMetrics?.seq ?? null };
}

function parseDoc<T>(row: Record<string, unknown> | undefined): T | null {
  return row ? (JSON.parse(String(row.doc)) as T) : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A revision row: its document, with the bundle's archive from its own column (null for a single file or an older row). */
function revisionOfRow(row: Record<string, unknown> | undefined): ScriptRevision | null {
  if (!row) return null;
  const revision = JSON.parse(String(row.doc)) as ScriptRevision;
  return typeof row.bundle === 'string' ? { ...revision, bundle: row.bundle } : revision;
}
