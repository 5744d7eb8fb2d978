import { LoadctlError } from '../domain/errors.js';
import { injectPlugin } from '../domain/inject-plugin.js';
import { validateDurationLimits } from '../domain/load-test-limits.js';
import { scriptShapeName, stagesRunShape, type Stage } from '../domain/load-shape.js';
import { hashCallbackToken } from '../domain/run-secrets.js';
import { decodeScriptContent, sha256Of } from '../domain/script-source.js';
import { parseRequirements } from '../domain/requirements.js';
import { bundleHash, composeBundle, describeEntries, packBundle, importedSourcesOf, unpackBundle } from '../domain/bundle.js';
import { endpointsFromScript, parseThresholdConfig, validateThresholdEndpoints, type Threshold, type ThresholdInput } from '../domain/thresholds.js';
import { withDefaultThresholds } from '../domain/default-thresholds.js';
import { SCOPE_FIELDS, type LoadTest, type Run, type RunOwner, type ScriptRevision } from '../domain/types.js';
import { pickScope, scopeMatches } from '../domain/scope.js';
import { isDistributed, parseMasterBind } from '../domain/workers.js';
import type { LocustCluster } from '../config/config.js';
import { ACTIVE_STATUSES } from '../domain/run-state.js';
import type { ScriptChecker } from '../locust/syntax-check.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { LoadTestPatch, NewScriptRevision, Store } from '../store/store.js';

export interface ServiceDeps {
  store: Store;
  orchestrator: Orchestrator;
  checkScript: ScriptChecker;
  now: () => Date;
  newId: (prefix: string) => string;
  newToken: () => string;
  locustClusters?: readonly LocustCluster[];
  /** Default for a start-run body without `defaultThresholds`. */
  defaultThresholds: boolean;
  /** This control plane's own base URL, recorded on each run it launches. */
  controlPlaneUrl?: () => string;
  /** This process as the owner recorded on each run it starts. */
  runOwner?: () => RunOwner;
}

export interface CreateLoadTestInput {
  name: string;
  description?: string;
  tags?: string[];
  targetUrl: string;
  scriptContent: string;
  /** Base64 of a .tar.gz of the files beside the script; `locustfile` is the script's path in it. */
  bundle?: string;
  locustfile?: string;
  defaultUsers?: number;
  defaultSpawnRate?: number;
  defaultDurationSec?: number;
  maxDurationSec?: number;
  [extra: string]: unknown;
}

/** PUT /v1/load-tests/{id}: absent fields are kept; null removes maxDurationSec or an extra field. */
export type UpdateLoadTestInput = Omit<LoadTestPatch, 'extra' | 'updatedAt'> & { [extra: string]: unknown };

export interface StartRunInput {
  name?: string;
  targetUsers?: number;
  spawnRate?: number;
  durationSeconds?: number;
  /** k6-like stages run as a shape loadctl provides; durationSeconds is then an upper bound (default: their sum). */
  stages?: Stage[];
  targetUrl?: string;
  revisionId?: string;
  /** Local Locust workers with a master (distributed mode). */
  workers?: number;
  /** Workers from other machines the master waits for. */
  expectRemoteWorkers?: number;
  /** HOST:PORT the master listens on for workers. */
  masterBind?: string;
  /** Use this already running Locust (from the config's locustClusters) instead of spawning one. */
  locustClusterId?: string;
  /** Judged when the run ends and stored with it; checked (syntax, endpoints) before anything is written. */
  thresholds?: ThresholdInput[];
  /** Add loadctl's default thresholds (absent: the server's setting). */
  defaultThresholds?: boolean;
  /** The test of the path, as the replaced system's clients send it: refused when different. */
  loadTestId?: string;
  createdBy?: string;
  triggeredBy?: string;
  metadata?: Record<string, unknown>;
  /** Python packages the script needs besides Locust, as a requirements file's text. */
  requirements?: string;
}

/** PUT /v1/load-tests/{id}/script: the replaced system's description and updatedBy are kept with the revision. */
export interface ScriptUploadInput {
  scriptContent: string;
  bundle?: string;
  locustfile?: string;
  description?: string;
  updatedBy?: string;
}

// Kept as given and returned; scope fields (accountId …) are fields of their own.
const EXTRA_FIELDS = ['createdBy', 'updatedBy', 'scenarioId', 'locustClusterId', 'metadata'] as const;
const MAX_METADATA_DEPTH = 32;
const MAX_METADATA_BYTES = 64 * 1024;

/** Checks, injects and stores a script upload (with its bundle, if any); nothing is written when any check fails. */
async function prepareRevision(
  deps: ServiceDeps,
  upload: { scriptContent: string; bundle?: string; locustfile?: string },
  about: { description?: string; createdBy?: string } = {},
): Promise<NewScriptRevision> {
  const cleanScript = decodeScriptContent(upload.scriptContent);
  if (upload.locustfile !== undefined && upload.bundle === undefined) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', 'locustfile names the script’s path inside a bundle: send it with bundle, or leave it out.', { details: { field: 'locustfile', location: 'body' } });
  }
  // Before the syntax check, which starts Python: a refused bundle should not pay for it.
  const bundled = upload.bundle === undefined ? undefined : composeBundle(cleanScript, upload.bundle, upload.locustfile);
  await deps.checkScript(cleanScript);
  if (!/\bclass\s+\w+\s*\(/.test(cleanScript) || !/\blocust\b/.test(cleanScript)) {
    throw new LoadctlError('LOADCTL_SCRIPT_INVALID', 'The script defines no Locust User class. It needs e.g. `class WebsiteUser(HttpUser):` with at least one @task.', { details: { field: 'scriptContent' } });
  }
  const injectedScript = injectPlugin(cleanScript);
  const files = bundled && describeEntries(bundled.entries);
  return {
    id: deps.newId('rev'),
    cleanScript,
    injectedScript,
    sha256: files ? bundleHash(files) : sha256Of(cleanScript),
    sizeBytes: files ? files.reduce((sum, file) => sum + file.sizeBytes, 0) : Buffer.byteLength(cleanScript, 'utf8'),
    createdAt: deps.now().toISOString(),
    ...withoutUndefined(about),
    // Stored as re-packed here: only checked regular files, in one canonical archive.
    ...(bundled && files ? { locustfile: bundled.locustfile, files, bundle: packBundle(bundled.entries) } : {}),
  };
}

export async function createLoadTest(deps: ServiceDeps, input: CreateLoadTestInput): Promise<{ test: LoadTest; revision: ScriptRevision }> {
  const defaultDurationSec = input.defaultDurationSec ?? 60;
  // Before the script check, which starts Python: a request refused anyway should not pay for it.
  validateDurationLimits({ defaultDurationSec, ...(input.maxDurationSec === undefined ? {} : { maxDurationSec: input.maxDurationSec }) }, 'defaultDurationSec');
  validateMetadata(input.metadata);
  const revision = await prepareRevision(deps, input, typeof input.createdBy === 'string' ? { createdBy: input.createdBy } : {});
  const now = deps.now().toISOString();
  const extra = extraFieldsOf(input);
  return deps.store.createLoadTest(
    {
      id: deps.newId('lt'),
      ...pickScope(input),
      name: input.name,
      description: input.description ?? '',
      tags: input.tags ?? [],
      targetUrl: input.targetUrl.replace(/\/+$/, ''),
      defaultUsers: input.defaultUsers ?? 1,
      defaultSpawnRate: input.defaultSpawnRate ?? input.defaultUsers ?? 1,
      defaultDurationSec,
      ...(input.maxDurationSec === undefined ? {} : { maxDurationSec: input.maxDurationSec }),
      extra,
      createdAt: now,
      updatedAt: now,
    },
    revision,
  );
}

/** Changes a test's settings (never its script); the store checks the duration limits in the same write. */
export async function updateLoadTest(deps: ServiceDeps, id: string, input: UpdateLoadTestInput): Promise<LoadTest> {
  const { name, description, tags, targetUrl, defaultUsers, defaultSpawnRate, defaultDurationSec, maxDurationSec } = input;
  validateMetadata(input.metadata);
  const extra = extraFieldsOf(input);
  const scope = Object.fromEntries(SCOPE_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]])) as LoadTestPatch['scope'] & object;
  const patch: LoadTestPatch = {
    ...withoutUndefined({ name, description, tags, defaultUsers, defaultSpawnRate, defaultDurationSec, maxDurationSec }),
    ...(targetUrl === undefined ? {} : { targetUrl: targetUrl.replace(/\/+$/, '') }),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    ...(Object.keys(scope).length > 0 ? { scope } : {}),
    updatedAt: deps.now().toISOString(),
  };
  const updated = await deps.store.updateLoadTest(id, patch);
  if (!updated) throw testNotFound(id);
  return updated;
}

/** Deletes a test and everything recorded for it; refused while one of its runs is in progress. */
export async function deleteLoadTest(deps: ServiceDeps, id: string): Promise<void> {
  if (!(await deps.store.deleteLoadTest(id))) throw testNotFound(id);
}

export async function addScriptRevision(deps: ServiceDeps, loadTestId: string, input: ScriptUploadInput): Promise<ScriptRevision> {
  if (!(await deps.store.getLoadTest(loadTestId))) throw testNotFound(loadTestId);
  const about = withoutUndefined({ description: input.description, createdBy: input.updatedBy });
  const revision = await deps.store.addScriptRevision(loadTestId, await prepareRevision(deps, input, about));
  if (!revision) throw testNotFound(loadTestId);
  return revision;
}

/** Creates the run (Pending) and launches Locust in the background; returns the stored run at once. */
export async function startRun(deps: ServiceDeps, loadTestId: string, input: StartRunInput): Promise<Run> {
  if (input.loadTestId !== undefined && input.loadTestId !== loadTestId) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `loadTestId "${input.loadTestId}" in the body differs from the test of the path (${loadTestId}); send one or make them equal.`, {
      details: { field: 'loadTestId', location: 'body' },
    });
  }
  validateMetadata(input.metadata);
  const requirements = input.requirements === undefined ? null : parseRequirements(input.requirements, 'requirements');
  const test = await deps.store.getLoadTest(loadTestId);
  if (!test) throw testNotFound(loadTestId);
  const revisionId = input.revisionId ?? test.latestRevisionId;
  const revision = await deps.store.getScriptRevision(revisionId);
  if (!revision || revision.loadTestId !== test.id) {
    throw new LoadctlError('LOADCTL_REVISION_NOT_FOUND', `Load test ${test.id} has no script revision ${revisionId}.`, { details: { field: 'revisionId' } });
  }
  const staged = input.stages ? stagesOf(input.stages, input.durationSeconds, revision) : undefined;
  const durationSeconds = staged?.durationSeconds ?? input.durationSeconds ?? test.defaultDurationSec;
  if (test.maxDurationSec !== undefined && durationSeconds > test.maxDurationSec) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `durationSeconds ${durationSeconds} is above this test's maxDurationSec ${test.maxDurationSec}.`, { details: { field: 'durationSeconds' } });
  }
  const thresholds = withDefaultThresholds(thresholdsFor(input.thresholds, revision), input.defaultThresholds ?? deps.defaultThresholds);
  // under stages the target is their peak: what the run's summary calls its users
  const targetUsers = staged ? Math.max(1, ...input.stages!.map((stage) => stage.users)) : (input.targetUsers ?? test.defaultUsers);
  const { cluster, why } = await chooseCluster(deps, test, input.locustClusterId);
  if (cluster && requirements) {
    throw new LoadctlError('LOADCTL_REQUIREMENTS_INVALID', `The run goes to Locust cluster ${cluster.id}, which is already running and cannot install requirements; install them where that Locust runs, or start the run without them.`, {
      details: { field: 'requirements' },
    });
  }
  const distribution = distributionOf(input);
  if (cluster && isDistributed(distribution)) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `Run on Locust cluster ${cluster.id}: workers and expectRemoteWorkers apply only to a Locust loadctl starts; a cluster's workers are its own.`, { details: { field: 'workers' } });
  }
  const now = deps.now().toISOString();
  const callbackToken = deps.newToken();
  const run = await deps.store.createRun({
    id: deps.newId('run'),
    loadTestId: test.id,
    scriptRevisionId: revision.id,
    ...(input.name ? { name: input.name } : {}),
    ...pickScope(test),
    ...withoutUndefined({ createdBy: input.createdBy, triggeredBy: input.triggeredBy, metadata: input.metadata }),
    status: 'Pending',
    statusHistory: [{ from: null, to: 'Pending', at: now, reason: why ? `run requested; ${why}` : 'run requested' }],
    targetUsers,
    spawnRate: input.spawnRate ?? (input.targetUsers === undefined ? test.defaultSpawnRate : targetUsers),
    durationSeconds,
    targetUrl: (input.targetUrl ?? test.targetUrl).replace(/\/+$/, ''),
    ...(cluster ? { locustClusterId: cluster.id, locustEndpoint: cluster.baseUrl } : {}),
    // Stored as a hash only; the clear token travels once, to Locust in set-context.
    callbackTokenHash: hashCallbackToken(callbackToken),
    ...(deps.controlPlaneUrl ? { controlPlaneUrl: deps.controlPlaneUrl() } : {}),
    ...(deps.runOwner ? { owner: deps.runOwner() } : {}),
    createdAt: now,
    autoStopped: false,
    ...(staged ? { shape: staged.shape } : {}),
    ...(thresholds.length > 0 ? { thresholds } : {}),
    ...(requirements ? { requirements } : {}),
    ...distribution,
  });
  void deps.orchestrator.launch(run, revision, callbackToken);
  return run;
}

/** Stages and the duration bound they give; refused when the script has a shape of its own (one shape drives a run). */
function stagesOf(stages: Stage[], durationSeconds: number | undefined, revision: ScriptRevision): ReturnType<typeof stagesRunShape> {
  const own = scriptShapeName(revision.cleanScript);
  if (own !== undefined) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `The script defines its own load shape (class ${own}); give stages or a LoadTestShape, not both.`, { details: { field: 'stages' } });
  }
  if (stages.every((stage) => stage.users === 0)) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', 'Every stage has 0 users: no load would run.', { details: { field: 'stages' } });
  }
  return stagesRunShape(stages, durationSeconds);
}

/**
 * Parsed thresholds, refused (400 LOADCTL_THRESHOLD_INVALID) when one does not parse or names an
 * endpoint the revision's script never requests: a CI step learns of a typo before any load.
 */
function thresholdsFor(inputs: readonly ThresholdInput[] | undefined, revision: ScriptRevision): Threshold[] {
  const thresholds = parseThresholdConfig(inputs);
  if (thresholds.length === 0) return thresholds;
  // A bundle's helpers may make requests too: the files the locustfile imports count.
  const sources = revision.bundle === undefined ? revision.cleanScript : importedSourcesOf(unpackBundle(revision.bundle), revision.locustfile ?? '');
  validateThresholdEndpoints(thresholds, endpointsFromScript(sources));
  return thresholds;
}

/**
 * Where a run goes: the cluster the body names; else the test's locustClusterId when that
 * cluster is configured; else the first free configured cluster whose scope matches the test's
 * (the replaced system's choice); else none, and loadctl spawns Locust. `why` says a choice
 * that was not asked for, for the run's history.
 */
async function chooseCluster(deps: ServiceDeps, test: LoadTest, asked: string | undefined): Promise<{ cluster?: LocustCluster; why?: string }> {
  if (asked !== undefined) return { cluster: await freeCluster(deps, asked) };
  const clusters = deps.locustClusters ?? [];
  const ofTest = typeof test.extra.locustClusterId === 'string' ? test.extra.locustClusterId : undefined;
  if (ofTest !== undefined && clusters.some((candidate) => candidate.id === ofTest)) {
    return { cluster: await freeCluster(deps, ofTest), why: `Locust cluster ${ofTest} from the test's locustClusterId` };
  }
  const unknownOfTest = ofTest === undefined ? '' : `the test's locustClusterId ${ofTest} is not configured; `;
  const matching = clusters.filter((candidate) => scopeMatches(candidate, test));
  if (matching.length === 0) return unknownOfTest ? { why: `${unknownOfTest}launching Locust` } : {};
  const active = await deps.store.listRuns({ status: [...ACTIVE_STATUSES], limit: 1000, offset: 0 });
  const free = matching.find((candidate) => !active.items.some((run) => run.locustClusterId === candidate.id));
  if (!free) {
    throw new LoadctlError('LOADCTL_RUN_CONFLICT', `Every Locust cluster of this test's scope is busy (${matching.map((candidate) => candidate.id).join(', ')}); wait for a run to end or stop one.`, {
      details: { clusters: matching.map((candidate) => candidate.id) },
    });
  }
  return { cluster: free, why: `${unknownOfTest}Locust cluster ${free.id} matches the test's scope` };
}

/** A cluster's Locust drives one run at a time: a second set-context would take over the first run. */
async function freeCluster(deps: ServiceDeps, clusterId: string): Promise<LocustCluster> {
  const cluster = deps.locustClusters?.find((candidate) => candidate.id === clusterId);
  if (!cluster) {
    const known = deps.locustClusters?.map((candidate) => candidate.id).join(', ') || 'none configured';
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `Unknown locustClusterId "${clusterId}" (known: ${known}).`, { details: { field: 'locustClusterId' } });
  }
  const active = await deps.store.listRuns({ status: [...ACTIVE_STATUSES], limit: 1000, offset: 0 });
  const busy = active.items.find((run) => run.locustClusterId === cluster.id);
  if (busy) throw new LoadctlError('LOADCTL_RUN_CONFLICT', `Locust cluster ${cluster.id} is busy with run ${busy.id} (${busy.status}); wait for it or stop it first.`, { details: { runId: busy.id } });
  return cluster;
}

/**
 * metadata is free-form, but is stored and sent back whole: a document nested thousands deep
 * overflows the stack of every JSON.stringify on its way, and a huge one bloats each read.
 */
function validateMetadata(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return;
  const refuse = (why: string): never => {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `metadata ${why}.`, { details: { field: 'metadata', location: 'body' } });
  };
  const pending: { value: unknown; depth: number }[] = [{ value: metadata, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > MAX_METADATA_DEPTH) refuse(`is nested more than ${MAX_METADATA_DEPTH} levels deep`);
    if (typeof next.value === 'object' && next.value !== null) {
      for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > MAX_METADATA_BYTES) refuse(`is over ${MAX_METADATA_BYTES / 1024} KiB as JSON`);
}

/** The extra fields present in the input, null included (it removes the field on update). */
function extraFieldsOf(input: { [key: string]: unknown }): Record<string, unknown> {
  return Object.fromEntries(EXTRA_FIELDS.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));
}

function withoutUndefined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function testNotFound(id: string): LoadctlError {
  return new LoadctlError('LOADCTL_TEST_NOT_FOUND', `No load test has id ${id}. List them with \`loadctl tests list\` or GET /v1/load-tests.`);
}

export function runNotFound(id: string): LoadctlError {
  return new LoadctlError('LOADCTL_RUN_NOT_FOUND', `No run has id ${id}. List them with \`loadctl runs list\`.`);
}

/** The run's workers as asked: only what makes it distributed is kept; a bad masterBind is a 400. */
function distributionOf(input: StartRunInput): Pick<Run, 'workers' | 'expectRemoteWorkers' | 'masterBind'> {
  const workers = input.workers ?? 0;
  const remote = input.expectRemoteWorkers ?? 0;
  if (input.masterBind !== undefined) {
    try {
      parseMasterBind(input.masterBind);
    } catch (error) {
      throw new LoadctlError('LOADCTL_BAD_REQUEST', (error as Error).message, { details: { field: 'masterBind' } });
    }
    if (workers + remote === 0) throw new LoadctlError('LOADCTL_BAD_REQUEST', 'masterBind needs workers or expectRemoteWorkers: a single Locust process has no master.', { details: { field: 'masterBind' } });
  }
  return {
    ...(workers > 0 ? { workers } : {}),
    ...(remote > 0 ? { expectRemoteWorkers: remote } : {}),
    ...(input.masterBind !== undefined ? { masterBind: input.masterBind } : {}),
  };
}
