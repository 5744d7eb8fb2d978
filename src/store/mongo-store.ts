// The MongoDB store (official driver). It uses only what MongoDB and FerretDB v1 both do:
// no transactions, single-document writes, compare-and-set through update filters, and
// unique indexes to settle races between processes.
import { type Collection, type Db, type Filter, MongoClient, type UpdateFilter } from 'mongodb';
import { LoadctlError, isLoadctlError } from '../domain/errors.js';
import { isSupersededPush } from '../domain/push-overlap.js';
import { ACTIVE_STATUSES, TERMINAL_STATUSES } from '../domain/run-state.js';
import { sealRunSecrets } from '../domain/run-secrets.js';
import type { PushSummary, StoredHistogram } from '../domain/push-summary.js';
import { SCOPE_FIELDS, type LoadTest, type MetricsSnapshot, type Run, type Scope, type ScriptRevision } from '../domain/types.js';
import { addRecentRun, allRecentRunsFull, groupRecentRuns, withRecentRuns } from './_recent-runs.js';
import { scopeOf } from './_scope.js';
import { escapeRegExp, normaliseTimestamp, normalisePage, normaliseStatuses } from './_filters.js';
import { createActiveRunError } from './_conflicts.js';
import { KeyedLock } from './_keyed-lock.js';
import { type ClusterLeaseDocument, leaseCluster } from './_mongo-cluster-leases.js';
import { type NameClaimDocument, claimName, refuseTakenName, releaseName } from './_mongo-names.js';
import { type TransitionClaim, type TransitionClaimDocument, applyClaim, insertClaim, rollForward } from './_mongo-claims.js';
import { createRunNotFoundError, createTestNotFoundError } from './_not-found.js';
import {
  RECENT_RUN_PROJECTION,
  type LoadTestDocument,
  type MetricsDocument,
  type RecentRunDocument,
  type RunDocument,
  type ScriptRevisionDocument,
  fromLoadTestDocument,
  decodeHistogram,
  fromMetricsDocument,
  pushSummaryOf,
  fromRevisionDocument,
  fromRunDocument,
  lastPushSeqOf,
  metricsBodyOf,
  metricsIdOf,
  recentRunSourceOf,
  toLoadTestDocument,
  toMetricsDocument,
  toRevisionDocument,
  toRunDocument,
  toRunFields,
} from './_mongo-documents.js';
import {
  createConnectError,
  createUnavailableError,
  describeCause,
  isConnectionError,
  isDuplicateKeyError,
  parseUriParts,
} from './_mongo-errors.js';
import { applyLoadTestPatch, createStatusChange, omitUndefined } from './_updates.js';
import type {
  AppendMetricsOptions,
  LoadTestFilter,
  LoadTestPatch,
  NewLoadTest,
  NewScriptRevision,
  Page,
  RunFilter,
  RunReadOptions,
  Store,
  StoreHealth,
  Transition,
} from './store.js';

export interface MongoStoreOptions {
  uri: string;
  database?: string;
  /** How long an operation waits for a reachable server before failing. */
  serverSelectionTimeoutMS?: number;
  /** How long health() waits for the ping. */
  healthTimeoutMS?: number;
  /**
   * How long one round trip to the server may stay silent. A server that accepts
   * connections but stops answering (frozen, overloaded) would otherwise hold each request,
   * and every write queued behind it on the same document, for ever.
   */
  operationTimeoutMS?: number;
  /** The driver's connection pool size (config mongodb.maxPoolSize); the driver's default otherwise. */
  maxPoolSize?: number;
  /** How long opening a connection may take (config mongodb.connectTimeoutSeconds). */
  connectTimeoutMS?: number;
}

// A compare-and-set that keeps losing means something else rewrites the document in a loop.
const MAX_ATTEMPTS = 20;

export class MongoStore implements Store {
  readonly #uri: string;
  readonly #healthTimeoutMS: number;
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #tests: Collection<LoadTestDocument>;
  readonly #revisions: Collection<ScriptRevisionDocument>;
  readonly #runs: Collection<RunDocument>;
  readonly #metrics: Collection<MetricsDocument>;
  readonly #claims: Collection<TransitionClaimDocument>;
  readonly #names: Collection<NameClaimDocument>;
  readonly #leases: Collection<ClusterLeaseDocument>;
  // FerretDB v1 applies an update as "read, then write by _id" (its handler TODO #2168), so two
  // updates of one document can both match. MongoDB itself is atomic; this lock makes this
  // process's own updates of a document take turns on both.
  readonly #lock = new KeyedLock();

  constructor(options: MongoStoreOptions) {
    this.#uri = options.uri;
    this.#healthTimeoutMS = options.healthTimeoutMS ?? 2000;
    try {
      this.#client = new MongoClient(options.uri, {
        // Short: while the server is away each request fails fast with 503 (the plugin retries)
        // instead of hanging past the plugin's own request timeout.
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2_000,
        // Driver 7 ignores timeoutMS; these two bound every round trip instead: a silent socket
        // is dropped, the read is retried once elsewhere or fails as a network error (503).
        socketTimeoutMS: options.operationTimeoutMS ?? 5_000,
        connectTimeoutMS: options.connectTimeoutMS ?? options.operationTimeoutMS ?? 5_000,
        ...(options.maxPoolSize === undefined ? {} : { maxPoolSize: options.maxPoolSize }),
        ignoreUndefined: true,
        appName: 'loadctl',
      });
    } catch (error) {
      throw new LoadctlError(
        'LOADCTL_CONFIG_INVALID',
        `The MongoDB URI for ${parseUriParts(options.uri).hosts} is not valid: ${describeCause(error, options.uri)}.`,
        { cause: error },
      );
    }
    this.#db = this.#client.db(options.database ?? 'load_testing');
    this.#tests = this.#db.collection('load_tests');
    this.#revisions = this.#db.collection('script_revisions');
    this.#runs = this.#db.collection('load_test_runs');
    this.#metrics = this.#db.collection('metrics_timeseries');
    this.#claims = this.#db.collection('run_transitions');
    this.#names = this.#db.collection('load_test_names');
    this.#leases = this.#db.collection('locust_cluster_leases');
  }

  async init(): Promise<void> {
    try {
      await this.#client.connect();
    } catch (error) {
      throw createConnectError(this.#uri, error);
    }
    try {
      await this.#createIndexes();
      await this.#liftLegacyScope();
    } catch (error) {
      if (isConnectionError(error)) throw createUnavailableError(this.#uri, error);
      throw new LoadctlError(
        'LOADCTL_STORE_UNAVAILABLE',
        `Cannot create loadctl's indexes in database ${this.#db.databaseName} on ${parseUriParts(this.#uri).hosts}: ${describeCause(error, this.#uri)}. The MongoDB user needs readWrite and createIndex on it.`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async health(): Promise<StoreHealth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Its own deadline: the driver's per-call timeoutMS does nothing in driver 7.
      const silent = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to ping within ${this.#healthTimeoutMS} ms`)), this.#healthTimeoutMS);
      });
      await Promise.race([this.#db.command({ ping: 1 }), silent]);
      return { ok: true, kind: 'mongodb', detail: parseUriParts(this.#uri).hosts };
    } catch (error) {
      return {
        ok: false,
        kind: 'mongodb',
        detail: `${parseUriParts(this.#uri).hosts}: ${describeCause(error, this.#uri)}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async createLoadTest(
    test: NewLoadTest,
    firstRevision: NewScriptRevision,
  ): Promise<{ test: LoadTest; revision: ScriptRevision }> {
    const created: LoadTest = { ...test, latestRevisionId: firstRevision.id, latestRevision: 1, recentRuns: [] };
    const revision: ScriptRevision = { ...firstRevision, loadTestId: test.id, revision: 1 };
    return this.#guard(async () => {
      await refuseTakenName(this.#tests, created.name, created.id);
      // Revision first: a test is never visible without the revision it points to.
      await this.#revisions.insertOne(toRevisionDocument(revision));
      let inserted = false;
      try {
        await this.#tests.insertOne(toLoadTestDocument(created));
        inserted = true;
        // The claim settles two creators of one name racing past the check above.
        await claimName(this.#names, this.#tests, created.name, created.id);
      } catch (error) {
        if (inserted) await this.#tests.deleteOne({ _id: created.id }).catch(() => undefined);
        await this.#revisions.deleteOne({ _id: revision.id }).catch(() => undefined);
        throw error;
      }
      return { test: created, revision };
    });
  }

  async getLoadTest(id: string): Promise<LoadTest | null> {
    return this.#guard(async () => {
      const doc = await this.#tests.findOne({ _id: id });
      return doc ? (await this.#withRecentRuns([fromLoadTestDocument(doc)]))[0]! : null;
    });
  }

  async listLoadTests(filter: LoadTestFilter): Promise<Page<LoadTest>> {
    const query: Filter<LoadTestDocument> = {};
    if (filter.name !== undefined) query.name = { $regex: escapeRegExp(filter.name), $options: 'i' };
    if (filter.tag !== undefined) query.tags = filter.tag;
    if (filter.tags !== undefined && filter.tags.length > 0) {
      query.$and = [...(query.$and ?? []), { tags: { $in: filter.tags } }];
    }
    Object.assign(query, scopeQuery(filter.scope));
    const sort: Record<string, 1 | -1> = { [filter.sortBy === 'updatedAt' ? 'updatedAt' : 'createdAt']: filter.sortOrder === 'asc' ? 1 : -1 };
    const page = await this.#page(this.#tests, query, filter, fromLoadTestDocument, sort);
    return { ...page, items: await this.#guard(() => this.#withRecentRuns(page.items)) };
  }

  /** The tests with recentRuns read from their terminal runs: one query for all of them. */
  async #withRecentRuns(tests: LoadTest[]): Promise<LoadTest[]> {
    if (tests.length === 0) return tests;
    const ids = tests.map((test) => test.id);
    const byTest = groupRecentRuns(ids, []);
    // FerretDB v1's $group knows only $sum/$count, so no top-n per test on the server: the runs
    // come newest end first (index runs by test and end) and are cut per test here, reading no
    // further once every list is full.
    const cursor = this.#runs
      .find<RecentRunDocument>({ loadTestId: { $in: ids }, status: { $in: [...TERMINAL_STATUSES] } }, { projection: RECENT_RUN_PROJECTION })
      .sort({ finishedAt: -1, createdAt: -1, _id: -1 });
    for await (const doc of cursor) {
      addRecentRun(byTest, recentRunSourceOf(doc.finalMetrics ? doc : await this.#withLastPush(doc)));
      if (allRecentRunsFull(byTest)) break;
    }
    return withRecentRuns(tests, byTest);
  }

  async updateLoadTest(id: string, patch: LoadTestPatch): Promise<LoadTest | null> {
    return this.#guard(() =>
      this.#lock.run(`test:${id}`, async () => {
        const rename = patch.name === undefined ? undefined : await this.#claimNewName(id, patch.name);
        try {
          const updated = await this.#applyLoadTestPatch(id, patch);
          if (rename) await releaseName(this.#names, updated ? rename.from : rename.to, id);
          return updated && (await this.#withRecentRuns([updated]))[0]!;
        } catch (error) {
          if (rename) await releaseName(this.#names, rename.to, id).catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  /** When the patch renames the test: the new name, claimed before the rename is written. */
  async #claimNewName(id: string, name: string): Promise<{ from: string; to: string } | undefined> {
    const current = await this.#tests.findOne({ _id: id }, { projection: { name: 1 } });
    if (!current || current.name === name) return undefined;
    await refuseTakenName(this.#tests, name, id);
    await claimName(this.#names, this.#tests, name, id);
    return { from: current.name, to: name };
  }

  async #applyLoadTestPatch(id: string, patch: LoadTestPatch): Promise<LoadTest | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const doc = await this.#tests.findOne({ _id: id });
      if (!doc) return null;
      const next = applyLoadTestPatch(fromLoadTestDocument(doc), patch);
      // Compare-and-set on the fields the new values were checked or merged against.
      const unchanged: Filter<LoadTestDocument> = {
        _id: id,
        defaultDurationSec: doc.defaultDurationSec,
        maxDurationSec: doc.maxDurationSec === undefined ? { $exists: false } : doc.maxDurationSec,
        extraJson: doc.extraJson,
      };
      const updated = await this.#tests.findOneAndUpdate(unchanged, loadTestUpdate(patch, next), { returnDocument: 'after' });
      if (updated) return fromLoadTestDocument(updated);
    }
    throw new LoadctlError('LOADCTL_INTERNAL', `Load test ${id} kept changing while updating it.`);
  }

  async deleteLoadTest(id: string): Promise<boolean> {
    // No transactions here, so the order decides what an interrupted delete leaves. The test
    // goes first: it vanishes from lists and reads in one write, and from then on createRun
    // and addScriptRevision refuse it. Then metrics before their runs (a run is how its
    // metrics are found), then runs, then revisions. A crash midway leaves only children of a
    // test nobody can see; the next delete of the same id finds and removes them.
    return this.#guard(() =>
      this.#lock.run(`test:${id}`, async () => {
        const active = await this.#runs.findOne({ loadTestId: id, status: { $in: [...ACTIVE_STATUSES] } }, { projection: { status: 1 } });
        if (active) throw createActiveRunError(id, { id: active._id, status: active.status });
        const test = await this.#tests.deleteOne({ _id: id });
        const runIds = (await this.#runs.find({ loadTestId: id }, { projection: { _id: 1 } }).toArray()).map((run) => run._id);
        if (runIds.length > 0) await this.#metrics.deleteMany({ runId: { $in: runIds } });
        if (runIds.length > 0) await this.#claims.deleteMany({ runId: { $in: runIds } });
        const runs = await this.#runs.deleteMany({ loadTestId: id });
        await this.#names.deleteMany({ loadTestId: id });
        const revisions = await this.#revisions.deleteMany({ loadTestId: id });
        return test.deletedCount + runs.deletedCount + revisions.deletedCount > 0;
      }),
    );
  }

  async addScriptRevision(loadTestId: string, revision: NewScriptRevision): Promise<ScriptRevision | null> {
    return this.#guard(async () => {
      if (!(await this.#tests.findOne({ _id: loadTestId }, { projection: { _id: 1 } }))) return null;
      const added = await this.#insertNextRevision(loadTestId, revision);
      try {
        // Only ever moves forward: a slower writer of an older revision changes nothing.
        const result = await this.#lock.run(`test:${loadTestId}`, () =>
          this.#tests.updateOne(
            { _id: loadTestId, latestRevision: { $lt: added.revision } },
            { $set: { latestRevisionId: added.id, latestRevision: added.revision, updatedAt: added.createdAt } },
          ),
        );
        // The test was deleted since we looked: its revision must not outlive it.
        if (result.matchedCount === 0 && !(await this.#testExists(loadTestId))) {
          await this.#revisions.deleteOne({ _id: added.id });
          return null;
        }
      } catch (error) {
        await this.#revisions.deleteOne({ _id: added.id }).catch(() => undefined);
        throw error;
      }
      return added;
    });
  }

  async getScriptRevision(id: string): Promise<ScriptRevision | null> {
    return this.#guard(async () => {
      const doc = await this.#revisions.findOne({ _id: id });
      return doc ? fromRevisionDocument(doc) : null;
    });
  }

  async getScriptRevisionByNumber(loadTestId: string, revision: number): Promise<ScriptRevision | null> {
    return this.#guard(async () => {
      const doc = await this.#revisions.findOne({ loadTestId, revision });
      return doc ? fromRevisionDocument(doc) : null;
    });
  }

  async listScriptRevisions(loadTestId: string): Promise<ScriptRevision[]> {
    return this.#guard(async () => {
      // A bundle's archive can be megabytes: a list leaves it out.
      const docs = await this.#revisions.find({ loadTestId }, { projection: { bundle: 0 } }).sort({ revision: 1 }).toArray();
      return docs.map(fromRevisionDocument);
    });
  }

  async createRun(given: Run): Promise<Run> {
    // Whoever reads the database must not be able to forge callbacks: no secret is written in clear.
    const run = sealRunSecrets(given);
    return this.#guard(async () => {
      if (!(await this.#testExists(run.loadTestId))) throw createTestNotFoundError(run.loadTestId);
      await this.#runs.insertOne(toRunDocument(run));
      // Written, then checked again: a delete of the test that ran in between either swept
      // this run or is seen here, so no run outlives its test.
      if (!(await this.#testExists(run.loadTestId))) {
        await this.#runs.deleteOne({ _id: run.id });
        throw createTestNotFoundError(run.loadTestId);
      }
      if (run.locustClusterId !== undefined) {
        try {
          await leaseCluster(this.#leases, this.#runs, run.locustClusterId, run.id);
        } catch (error) {
          await this.#runs.deleteOne({ _id: run.id }).catch(() => undefined);
          throw error;
        }
      }
      return run;
    });
  }

  async getRun(id: string, options: RunReadOptions = {}): Promise<Run | null> {
    return this.#guard(async () => {
      if (options.snapshots === false) {
        const head = await this.#runs.findOne({ _id: id }, { projection: { lastMetrics: 0, finalMetrics: 0 } });
        return head ? fromRunDocument(head) : null;
      }
      const doc = await this.#runs.findOne({ _id: id });
      return doc ? fromRunDocument(await this.#withLastPush(doc)) : null;
    });
  }

  async listRuns(filter: RunFilter): Promise<Page<Run>> {
    const query: Filter<RunDocument> = {};
    if (filter.loadTestId !== undefined) query.loadTestId = filter.loadTestId;
    const statuses = normaliseStatuses(filter.status);
    if (statuses) query.status = { $in: [...statuses] };
    if (filter.verdict !== undefined) query.verdict = filter.verdict === 'none' ? { $exists: false } : filter.verdict;
    if (filter.since !== undefined || filter.until !== undefined) {
      query.createdAt = {
        ...(filter.since !== undefined ? { $gte: normaliseTimestamp(filter.since) } : {}),
        ...(filter.until !== undefined ? { $lt: normaliseTimestamp(filter.until) } : {}),
      };
    }
    Object.assign(query, scopeQuery(filter.scope));
    const page = await this.#page(this.#runs, query, filter, (doc) => doc, { createdAt: filter.sortOrder === 'asc' ? 1 : -1 });
    const items = await this.#guard(() => Promise.all(page.items.map(async (doc) => fromRunDocument(await this.#withLastPush(doc)))));
    return { ...page, items };
  }

  async transitionRun(id: string, transition: Transition): Promise<Run | null> {
    return this.#guard(() =>
      this.#lock.run(`run:${id}`, async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
          const current = await this.#runs.findOne({ _id: id }, { projection: { status: 1, statusHistory: 1 } });
          if (!current || !transition.from.includes(current.status)) return null;
          // The history's length numbers the step; claiming it is the compare-and-set.
          const step = current.statusHistory.length;
          const claim: TransitionClaim = {
            runId: id,
            step,
            set: { ...toRunFields(transition.patch ?? {}), status: transition.to },
            change: createStatusChange(current.status, transition),
          };
          if (!(await insertClaim(this.#claims, claim))) {
            await rollForward(this.#claims, this.#runs, id, step);
            continue;
          }
          // Null when another writer already rolled our claim forward: read what it wrote.
          const updated = (await applyClaim(this.#runs, claim)) ?? (await this.#runs.findOne({ _id: id }));
          return updated ? fromRunDocument(await this.#withLastPush(updated)) : null;
        }
        throw new LoadctlError('LOADCTL_INTERNAL', `Run ${id} kept changing while moving it to ${transition.to}.`);
      }),
    );
  }

  async updateRun(id: string, patch: Partial<Pick<Run, 'locustEndpoint' | 'error' | 'owner' | 'plugin' | 'locustArgs' | 'shape' | 'workerNodes' | 'events'>>): Promise<Run | null> {
    const fields = toRunFields(patch);
    if (Object.keys(fields).length === 0) return this.getRun(id);
    return this.#guard(() =>
      this.#lock.run(`run:${id}`, async () => {
        const updated = await this.#runs.findOneAndUpdate({ _id: id }, { $set: fields }, { returnDocument: 'after' });
        return updated ? fromRunDocument(await this.#withLastPush(updated)) : null;
      }),
    );
  }

  async appendMetrics(runId: string, snapshot: MetricsSnapshot, options: AppendMetricsOptions = {}): Promise<boolean> {
    return (await this.appendMetricsReadingRun(runId, snapshot, options)).stored;
  }

  async appendMetricsReadingRun(runId: string, snapshot: MetricsSnapshot, options: AppendMetricsOptions = {}): Promise<{ stored: boolean; run: Run }> {
    return this.#guard(async () => {
      // One small update, filtered on _id alone, moves the run's lastMetrics seq only upwards
      // (atomic on MongoDB; the one filter FerretDB v1 does not answer by scanning every run),
      // proves the run exists (no push is written for a missing run) and answers with the run
      // after it. The push itself, stored under that seq, is the lastMetrics a read returns
      // (#withLastPush). No projection: FerretDB v1's findAndModify has none; a running run's
      // document holds no snapshot unless one was given with it.
      const after = await this.#lock.run(`run:${runId}`, () => this.#runs.findOneAndUpdate({ _id: runId }, { $max: { lastMetricsSeq: snapshot.seq } }, { returnDocument: 'after' }));
      if (!after) throw createRunNotFoundError(runId);
      const { lastMetrics: _last, finalMetrics: _final, ...head } = after;
      const run = fromRunDocument(head);
      // Above this push's seq: a newer push was stored first (equal: this one moved it, or it repeats).
      if (options.skipOlderThanLast && isSupersededPush(snapshot.seq, after.lastMetricsSeq)) return { stored: false, run };
      try {
        await this.#metrics.insertOne(toMetricsDocument(runId, snapshot));
      } catch (error) {
        // The unique (runId, seq) index makes a repeated push a no-op, across processes too.
        if (isDuplicateKeyError(error)) return { stored: false, run };
        throw error;
      }
      return { stored: true, run };
    });
  }

  /**
   * The run document with its lastMetrics: the push stored under lastMetricsSeq when the document
   * does not hold that one itself. A seq whose push was never stored (an insert interrupted after
   * the update) leaves what the document holds.
   */
  async #withLastPush<D extends { _id: string; lastMetricsSeq?: number; lastMetrics?: object }>(doc: D): Promise<D> {
    const seq = lastPushSeqOf(doc as Pick<RunDocument, 'lastMetricsSeq'> & { lastMetrics?: { seq?: number } });
    if (seq === undefined) return doc;
    // By _id alone: pushes stored before they had this _id never are the target (their runs hold their lastMetrics).
    const push = await this.#metrics.findOne({ _id: metricsIdOf(doc._id, seq) });
    return push ? { ...doc, lastMetrics: metricsBodyOf(push) } : doc;
  }

  async listMetrics(runId: string): Promise<MetricsSnapshot[]> {
    return this.#guard(async () => {
      const docs = await this.#metrics.find({ runId }).sort({ seq: 1 }).toArray();
      return docs.map(fromMetricsDocument);
    });
  }

  async listPushSummaries(runId: string): Promise<PushSummary[]> {
    return this.#guard(async () => {
      const docs = await this.#metrics.find({ runId }, { projection: { _id: 0, seq: 1, summary: 1 } }).sort({ seq: 1 }).toArray();
      if (docs.every((doc) => doc.summary !== undefined)) return docs.map((doc) => doc.summary!);
      // Pushes stored before summaries were: read whole, once, and summarised here.
      const older = await this.#metrics.find({ runId, summary: { $exists: false } }).toArray();
      const derived = new Map(older.map((doc) => [doc.seq, pushSummaryOf(doc)]));
      return docs.flatMap((doc) => doc.summary ?? derived.get(doc.seq) ?? []);
    });
  }

  async listPushHistograms(runId: string, fromSeq: number, toSeq: number): Promise<Map<number, StoredHistogram>> {
    return this.#guard(async () => {
      const docs = await this.#metrics.find({ runId, seq: { $gte: fromSeq, $lte: toSeq } }, { projection: { _id: 0, seq: 1, histogram: 1 } }).toArray();
      return new Map(docs.map((doc) => [doc.seq, decodeHistogram(doc.histogram)]));
    });
  }

  async #testExists(id: string): Promise<boolean> {
    return (await this.#tests.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /** Idempotent: creating an index that exists with the same keys and options does nothing. */
  async #createIndexes(): Promise<void> {
    // Sorts end on _id so pages are stable when two entries share a timestamp.
    await this.#tests.createIndex({ createdAt: -1, _id: -1 });
    await this.#revisions.createIndex({ loadTestId: 1, revision: 1 }, { unique: true });
    await this.#runs.createIndex({ loadTestId: 1, createdAt: -1, _id: -1 });
    // A test's recent runs: its runs by end time (recentRuns are computed from them on every read).
    await this.#runs.createIndex({ loadTestId: 1, finishedAt: -1, createdAt: -1, _id: -1 });
    await this.#runs.createIndex({ status: 1 });
    await this.#runs.createIndex({ createdAt: -1, _id: -1 });
    await this.#metrics.createIndex({ runId: 1, seq: 1 }, { unique: true });
    await this.#claims.createIndex({ runId: 1 });
    await this.#names.createIndex({ loadTestId: 1 });
    await this.#tests.createIndex({ name: 1 });
    await this.#tests.createIndex({ accountId: 1, orgId: 1, projectId: 1, envId: 1 });
    await this.#tests.createIndex({ tenantId: 1 });
    await this.#tests.createIndex({ updatedAt: -1, _id: -1 });
    await this.#runs.createIndex({ accountId: 1, orgId: 1, projectId: 1, envId: 1, createdAt: -1 });
    await this.#runs.createIndex({ tenantId: 1, createdAt: -1 });
  }

  /**
   * Tests written before scope fields were fields keep them in extraJson: lift them out, and give
   * their runs (which had no scope) the test's, so filters find old documents too. Runs first:
   * a test already lifted is not looked at again. Idempotent; cheap once nothing is left.
   */
  async #liftLegacyScope(): Promise<void> {
    const pattern = `"(${SCOPE_FIELDS.join('|')})":`;
    const legacy = await this.#tests.find({ extraJson: { $regex: pattern } }).toArray();
    for (const doc of legacy) {
      const test = fromLoadTestDocument(doc);
      const extraJson = JSON.stringify(test.extra);
      if (extraJson === doc.extraJson) continue;
      const scope = scopeOf(test);
      if (Object.keys(scope).length > 0) {
        const withoutScope = Object.fromEntries(SCOPE_FIELDS.map((field) => [field, { $exists: false }]));
        await this.#runs.updateMany({ loadTestId: test.id, ...withoutScope }, { $set: scope });
      }
      await this.#lock.run(`test:${test.id}`, () => this.#tests.updateOne({ _id: test.id, extraJson: doc.extraJson }, { $set: { ...scope, extraJson } }));
    }
  }

  /** Numbers the revision after the highest stored one; the unique index settles two writers racing. */
  async #insertNextRevision(loadTestId: string, revision: NewScriptRevision): Promise<ScriptRevision> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const last = await this.#revisions.findOne(
        { loadTestId },
        { sort: { revision: -1 }, projection: { revision: 1 } },
      );
      const added: ScriptRevision = { ...revision, loadTestId, revision: (last?.revision ?? 0) + 1 };
      try {
        await this.#revisions.insertOne(toRevisionDocument(added));
        return added;
      } catch (error) {
        // A clash on the revision id itself is the caller's bug, not a race to retry.
        if (!isDuplicateKeyError(error) || (await this.#revisions.countDocuments({ _id: revision.id })) > 0) throw error;
      }
    }
    throw new LoadctlError('LOADCTL_INTERNAL', `Could not number a new revision of load test ${loadTestId}.`);
  }

  async #page<D extends { _id: string }, T>(
    collection: Collection<D>,
    query: Filter<D>,
    filter: { limit: number; offset: number },
    map: (doc: D) => T,
    sort: Record<string, 1 | -1> = { createdAt: -1 },
  ): Promise<Page<T>> {
    const { limit, offset } = normalisePage(filter);
    return this.#guard(async () => {
      const [total, docs] = await Promise.all([
        collection.countDocuments(query),
        limit === 0
          ? Promise.resolve([])
          : collection.find(query).sort({ ...sort, _id: Object.values(sort)[0] ?? -1 }).skip(offset).limit(limit).toArray(),
      ]);
      return { total, items: (docs as D[]).map(map) };
    });
  }

  /** Connection failures become LOADCTL_STORE_UNAVAILABLE (HTTP 503); everything else passes through. */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isLoadctlError(error) && isConnectionError(error)) throw createUnavailableError(this.#uri, error);
      throw error;
    }
  }
}

/** Sets only the fields the patch names, so writers of other fields (revisions) are not undone. */
function loadTestUpdate(patch: LoadTestPatch, next: LoadTest): UpdateFilter<LoadTestDocument> {
  const { maxDurationSec, extra, scope, ...fields } = patch;
  const set: Partial<LoadTestDocument> = { ...omitUndefined(fields) };
  // An older loadctl's stored list, never read again (recentRuns are computed): dropped here.
  const unset: Record<string, ''> = { recentRuns: '', recentRunsVersion: '' };
  if (typeof maxDurationSec === 'number') set.maxDurationSec = maxDurationSec;
  if (maxDurationSec === null) unset.maxDurationSec = '';
  // All scope fields and extraJson together: `next` was read lifted, so a test still in the old
  // shape is written in the new one whole, never half.
  if (extra !== undefined || scope !== undefined) {
    set.extraJson = JSON.stringify(next.extra);
    for (const field of SCOPE_FIELDS) {
      if (next[field] === undefined) unset[field] = '';
      else set[field] = next[field];
    }
  }
  return { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
}

/** One equality per given scope field. */
function scopeQuery(scope: Scope | undefined): Record<string, string> {
  return Object.fromEntries(SCOPE_FIELDS.filter((field) => scope?.[field] !== undefined).map((field) => [field, scope![field]!]));
}
