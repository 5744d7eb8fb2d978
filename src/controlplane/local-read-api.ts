// A read-only command in this process (`runs list`, `runs show`, `tests list`, …) asks one
// query: building the whole control plane for it (Fastify, every route schema, Swagger, a
// listener, undici) took a second. This answers the common reads straight from the store,
// shaped by the same response schemas, so the answer is the HTTP API's. Anything else (a
// query outside what it checks, the event stream, a write) goes to the full control plane,
// started on first need, so errors and answers stay the API's own.
import { SCOPE_FIELDS, RUN_STATUSES } from '../domain/types.js';
import { pickScope } from '../domain/scope.js';
import type { Store } from '../store/store.js';
import type { ControlPlaneApi } from './client.js';
import { runNotFound, testNotFound } from './load-test-service.js';
import { loadTestView, pageOf, revisionSummary, runView } from './response-schemas.js';
import { parseRunFilter } from './run-filter.js';
import { toLoadTestView, toRevisionSummary, toRunView } from './views.js';
import { projectToSchema, type JsonSchema } from './_project-to-schema.js';

type Query = Record<string, string | number | undefined>;
type Answer = Promise<unknown> | AsyncGenerator<unknown>;

// The request schemas' limits (schemas.ts), checked here without Ajv; outside them the full API answers.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const STATUS_LIST = new RegExp(`^(${RUN_STATUSES.join('|')})(,(${RUN_STATUSES.join('|')}))*$`);
const PAGE_LIMIT = { min: 1, max: 500 };
const VERDICTS = ['passed', 'failed', 'none'];
// What `runs list` sends (parseTimeBound): a UTC instant; anything else goes to the API. A range that
// ends before it starts is refused by parseRunFilter, the API's own check, here as there.
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_OFFSET = 1_000_000;

const runPage = pageOf(runView) as JsonSchema;
const testPage = pageOf(loadTestView) as JsonSchema;
const revisionList = { type: 'object', properties: { items: { type: 'array', items: revisionSummary }, total: { type: 'integer' } } } as JsonSchema;

/** The reads answered locally; each returns undefined when the full API must answer instead. */
function localReads(store: Store): Record<string, (...args: never[]) => Promise<unknown> | undefined> {
  return {
    getRun: (id: string) => (ID.test(id) ? readRun(store, id) : undefined),
    getLoadTest: (id: string) => (ID.test(id) ? readLoadTest(store, id) : undefined),
    listRevisions: (id: string) => (ID.test(id) ? readRevisions(store, id) : undefined),
    listRuns: (query: Query = {}) => {
      const asked = present(query);
      if (!onlyKeys(asked, ['status', 'verdict', 'since', 'until', 'loadTestId', 'limit', 'offset']) || !validPage(asked)) return undefined;
      if (asked.status !== undefined && !STATUS_LIST.test(String(asked.status))) return undefined;
      if (asked.verdict !== undefined && !VERDICTS.includes(String(asked.verdict))) return undefined;
      if (![asked.since, asked.until].every((instant) => instant === undefined || isUtcInstant(String(instant)))) return undefined;
      if (asked.loadTestId !== undefined && !ID.test(String(asked.loadTestId))) return undefined;
      return readRuns(store, asked);
    },
    listLoadTests: (query: Query = {}) => {
      const asked = present(query);
      if (!onlyKeys(asked, ['name', 'tag', 'limit', 'offset']) || !validPage(asked)) return undefined;
      if (asked.name !== undefined && String(asked.name).length > 200) return undefined;
      if (asked.tag !== undefined && String(asked.tag).length > 100) return undefined;
      return readLoadTests(store, asked);
    },
  };
}

/** The API for a read-only command: local reads where it can, the full control plane (from `fullApi`, once) otherwise. */
export function createLocalReadApi(store: Store, fullApi: () => Promise<ControlPlaneApi>): ControlPlaneApi {
  const reads = localReads(store);
  let full: Promise<ControlPlaneApi> | undefined;
  const remote = () => (full ??= fullApi());
  return new Proxy({} as ControlPlaneApi, {
    get(_target, name: string | symbol) {
      // Not a promise: `await` on the API itself must not find a `then`.
      if (typeof name !== 'string' || name === 'then') return undefined;
      if (name === 'watchRun') {
        return async function* watch(...args: unknown[]): AsyncGenerator<unknown> {
          yield* ((await remote()) as unknown as Record<string, (...a: unknown[]) => AsyncGenerator<unknown>>).watchRun!(...args);
        };
      }
      return (...args: unknown[]): Answer => {
        const local = (reads[name] as ((...a: unknown[]) => Promise<unknown> | undefined) | undefined)?.(...args);
        return local ?? remote().then((api) => (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args));
      };
    },
  });
}

async function readRun(store: Store, id: string): Promise<unknown> {
  const run = await store.getRun(id);
  if (!run) throw runNotFound(id);
  return projectToSchema(toRunView(run), runView as JsonSchema);
}

async function readLoadTest(store: Store, id: string): Promise<unknown> {
  const test = await store.getLoadTest(id);
  if (!test) throw testNotFound(id);
  return projectToSchema(toLoadTestView(test), loadTestView as JsonSchema);
}

async function readRevisions(store: Store, id: string): Promise<unknown> {
  if (!(await store.getLoadTest(id))) throw testNotFound(id);
  const revisions = await store.listScriptRevisions(id);
  return projectToSchema({ items: revisions.map(toRevisionSummary), total: revisions.length }, revisionList);
}

function isUtcInstant(text: string): boolean {
  return UTC_INSTANT.test(text) && !Number.isNaN(Date.parse(text));
}

// sortOrder, sortBy, limit and offset default as the request schemas set them (schemas.ts).
async function readRuns(store: Store, query: Query): Promise<unknown> {
  const verdict = query.verdict as 'passed' | 'failed' | 'none' | undefined;
  const filter = parseRunFilter({ ...pickScope(query), ...textOf(query, 'status'), ...(verdict ? { verdict } : {}), ...textOf(query, 'since'), ...textOf(query, 'until'), ...textOf(query, 'loadTestId'), sortOrder: 'desc', ...pageAsked(query) });
  const page = await store.listRuns(filter);
  return projectToSchema({ items: page.items.map(toRunView), total: page.total, limit: filter.limit, offset: filter.offset }, runPage);
}

async function readLoadTests(store: Store, query: Query): Promise<unknown> {
  const { limit, offset } = pageAsked(query);
  const page = await store.listLoadTests({ ...textOf(query, 'name'), ...textOf(query, 'tag'), sortBy: 'createdAt', sortOrder: 'desc', scope: pickScope(query), limit, offset });
  return projectToSchema({ items: page.items.map(toLoadTestView), total: page.total, limit, offset }, testPage);
}

/** The query as ApiClient sends it: undefined and empty values left out. */
function present(query: Query): Query {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''));
}

function onlyKeys(query: Query, keys: readonly string[]): boolean {
  const scope: readonly string[] = SCOPE_FIELDS;
  return Object.entries(query).every(([key, value]) => keys.includes(key) || (scope.includes(key) && String(value).length <= 200));
}

function validPage(query: Query): boolean {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  return Number.isInteger(limit) && limit >= PAGE_LIMIT.min && limit <= PAGE_LIMIT.max && Number.isInteger(offset) && offset >= 0 && offset <= MAX_OFFSET;
}

function pageAsked(query: Query): { limit: number; offset: number } {
  return { limit: query.limit === undefined ? 50 : Number(query.limit), offset: query.offset === undefined ? 0 : Number(query.offset) };
}

function textOf(query: Query, key: string): Record<string, string> {
  return query[key] === undefined ? {} : { [key]: String(query[key]) };
}
