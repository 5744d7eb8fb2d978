// `loadctl tests …`: load tests and their script revisions, through the API.
import { resolve } from 'node:path';
import { validateDuration, validateHttpUrl, validatePositiveInteger, validatePositiveNumber, validateString } from '../../config/validate.js';
import { LoadctlError, isLoadctlError } from '../../domain/errors.js';
import type { Scope } from '../../domain/types.js';
import { useColor } from '../io.js';
import { plural, renderRunsTable } from '../render/index.js';
import { renderRevisionsTable, renderTestDetails, renderTestsTable } from './_tests-render.js';
import type { BundleSettings } from '../../config/config.js';
import { prepareScriptUpload } from '../bundle/script-upload.js';
import { DEFAULT_BUNDLE_MAX_BYTES, DEFAULT_BUNDLE_MAX_FILES } from '../../domain/bundle.js';
import { printJson, type CommandDeps } from './_with-client.js';

const RECENT_RUNS_SHOWN = 10;

export interface CreateTestOptions {
  name: string;
  /** The script file, relative to the working directory. */
  script: string;
  targetUrl: string;
  users?: number;
  spawnRate?: number;
  durationSeconds?: number;
  description?: string;
  tags: string[];
  json: boolean;
  /** What goes with the script (as for `loadctl run`); absent: the script alone. */
  bundle?: BundleSettings;
}

const SCRIPT_ALONE: BundleSettings = { mode: 'off', maxFiles: DEFAULT_BUNDLE_MAX_FILES, maxBytes: DEFAULT_BUNDLE_MAX_BYTES };

/** Flags of `tests create` as commander gives them → checked options; throws before any request is sent. */
export function parseCreateTestFlags(flags: Record<string, unknown>): CreateTestOptions {
  return {
    name: validateString(flags.name, '--name'),
    script: validateString(flags.script, '--script'),
    targetUrl: validateHttpUrl(flags.host, '--host'),
    ...(flags.users === undefined ? {} : { users: validatePositiveInteger(flags.users, '--users', 100_000) }),
    ...(flags.spawnRate === undefined ? {} : { spawnRate: validatePositiveNumber(flags.spawnRate, '--spawn-rate', 100_000) }),
    ...(flags.duration === undefined ? {} : { durationSeconds: Math.max(1, Math.round(validateDuration(flags.duration, '--duration'))) }),
    ...(flags.description === undefined ? {} : { description: String(flags.description) }),
    tags: ((flags.tag as string[] | undefined) ?? []).map((tag) => validateString(tag, '--tag')),
    json: Boolean(flags.json),
  };
}

/** `tests create`: prints the new id on stdout (for `ID=$(loadctl tests create …)`), or the test with --json. */
export async function createTest(options: CreateTestOptions, { client, io }: CommandDeps): Promise<number> {
  const { body } = prepareScriptUpload(resolve(io.cwd, options.script), options.bundle ?? SCRIPT_ALONE);
  const test = await client.createLoadTest({
    name: options.name,
    targetUrl: options.targetUrl,
    ...body,
    tags: options.tags,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.users === undefined ? {} : { defaultUsers: options.users }),
    ...(options.spawnRate === undefined ? {} : { defaultSpawnRate: options.spawnRate }),
    ...(options.durationSeconds === undefined ? {} : { defaultDurationSec: options.durationSeconds }),
  });
  if (options.json) {
    printJson(io, test);
    return 0;
  }
  io.stderr.write(`Created load test "${test.name}" with script revision ${test.latestRevision}.\n`);
  io.stdout.write(`${test.id}\n`);
  return 0;
}

export interface ListTestsOptions {
  name?: string;
  tag?: string;
  /** --account-id, --org-id, --project-id, --env-id, --tenant-id. */
  scope?: Scope;
  limit: number;
  offset: number;
  json: boolean;
}

export async function listTests(options: ListTestsOptions, { client, io, now }: CommandDeps): Promise<number> {
  const page = await client.listLoadTests({ ...options.scope, name: options.name, tag: options.tag, limit: options.limit, offset: options.offset });
  if (options.json) {
    printJson(io, page);
    return 0;
  }
  const filtered = options.name !== undefined || options.tag !== undefined || Object.keys(options.scope ?? {}).length > 0 || options.offset > 0;
  io.stdout.write(`${page.items.length === 0 && filtered ? 'No load tests match.' : renderTestsTable(page.items, { color: useColor(io), now: now() })}\n`);
  if (page.items.length > 0 && page.total > options.offset + page.items.length) {
    io.stdout.write(`(${options.offset + 1}–${options.offset + page.items.length} of ${page.total} load tests; use --limit and --offset to see more)\n`);
  }
  return 0;
}

export async function showTest(options: { id: string; json: boolean }, { client, io, now }: CommandDeps): Promise<number> {
  const test = await client.getLoadTest(options.id);
  if (options.json) {
    printJson(io, test);
    return 0;
  }
  const color = useColor(io);
  const runs = await client.listRuns({ loadTestId: test.id, limit: RECENT_RUNS_SHOWN });
  const rows = runs.items.map((run) => ({ ...run, callbackToken: '', testName: test.name }));
  const runsText = rows.length === 0 ? 'No runs yet.' : renderRunsTable(rows, { color, now: now() });
  io.stdout.write(`${renderTestDetails(test, { color, now: now() })}\n\nRecent runs\n${runsText}\n`);
  return 0;
}

/** `tests update-script`: prints the new revision number on stdout, or the revision with --json. */
export async function updateTestScript(options: { id: string; script: string; json: boolean; bundle?: BundleSettings }, { client, io }: CommandDeps): Promise<number> {
  const { body } = prepareScriptUpload(resolve(io.cwd, options.script), options.bundle ?? SCRIPT_ALONE);
  const revision = await client.updateScript(options.id, body);
  if (options.json) {
    printJson(io, revision);
    return 0;
  }
  io.stderr.write(`Load test ${options.id} now runs script revision ${revision.revision} (sha256 ${revision.sha256.slice(0, 12)}).\n`);
  io.stdout.write(`${revision.revision}\n`);
  return 0;
}

export async function listTestRevisions(options: { id: string; json: boolean }, { client, io, now }: CommandDeps): Promise<number> {
  const revisions = await client.listRevisions(options.id);
  if (options.json) {
    printJson(io, revisions);
    return 0;
  }
  const test = await client.getLoadTest(options.id);
  io.stdout.write(`${renderRevisionsTable(revisions.items, { color: useColor(io), now: now(), latestRevisionId: test.latestRevisionId })}\n`);
  return 0;
}

/** `tests delete`: irreversible, so it needs --yes every time; a test with an active run is refused by the server. */
export async function deleteTest(options: { id: string; yes: boolean; json: boolean }, { client, io }: CommandDeps): Promise<number> {
  const test = await client.getLoadTest(options.id);
  if (!options.yes) {
    throw new LoadctlError(
      'LOADCTL_CONFIG_MISSING',
      `Not deleted: load test "${test.name}" (${test.id}) would be removed for good, with its ${plural(test.latestRevision, 'script revision')} and its stored runs. Run again with --yes to confirm: loadctl tests delete ${test.id} --yes`,
    );
  }
  try {
    await client.deleteLoadTest(test.id);
  } catch (error) {
    throw explainConflict(error);
  }
  if (options.json) {
    // The API answers 204 without a body; say what happened in the same shape as the test.
    printJson(io, { id: test.id, name: test.name, deleted: true });
    return 0;
  }
  io.stdout.write(`Deleted load test "${test.name}" (${test.id}).\n`);
  return 0;
}

/** A 409 means a run of the test is still active: say which command ends it. */
function explainConflict(error: unknown): unknown {
  if (!isLoadctlError(error) || error.code !== 'LOADCTL_RUN_CONFLICT') return error;
  const runId = typeof error.details?.runId === 'string' ? error.details.runId : undefined;
  const hint = runId && !error.message.includes('runs stop') ? ` From the CLI: loadctl runs stop ${runId}` : '';
  return new LoadctlError('LOADCTL_RUN_CONFLICT', `Not deleted: ${error.message}${hint}`, { cause: error, ...(error.details ? { details: error.details } : {}) });
}
