import type { LoadctlConfig } from '../../config/config.js';
import type { Scope } from '../../domain/types.js';
import { useColor, type CliIo } from '../io.js';
import { renderRunsTable } from '../render/index.js';
import { withClient } from './_with-client.js';
import { LoadctlError } from '../../domain/errors.js';
import { parseTimeBound } from '../../domain/time-bound.js';

export interface RunsListOptions {
  config: LoadctlConfig;
  io: CliIo;
  json: boolean;
  limit: number;
  offset?: number;
  status?: string;
  verdict?: 'passed' | 'failed' | 'none';
  /** --since / --until as typed: a span back from now, a date, or a date-time with its zone. */
  since?: string;
  until?: string;
  loadTestId?: string;
  /** --account-id, --org-id, --project-id, --env-id, --tenant-id. */
  scope?: Scope;
}

/** `loadctl runs list`: newest first, as a table or as JSON. */
export async function listRuns({ config, io, json, limit, offset = 0, status, verdict, since, until, loadTestId, scope }: RunsListOptions): Promise<number> {
  const now = new Date();
  const range = { ...(since !== undefined ? { since: timeBoundOf(since, '--since', now) } : {}), ...(until !== undefined ? { until: timeBoundOf(until, '--until', now) } : {}) };
  return withClient(config, io, async ({ client }) => {
    const page = await client.listRuns({ ...scope, limit, offset, ...(status ? { status } : {}), ...(verdict ? { verdict } : {}), ...range, ...(loadTestId ? { loadTestId } : {}) });
    if (json) {
      io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return 0;
    }
    const names = new Map<string, string>();
    for (const run of page.items) {
      if (!names.has(run.loadTestId)) names.set(run.loadTestId, (await client.getLoadTest(run.loadTestId).catch(() => undefined))?.name ?? run.loadTestId);
    }
    const rows = page.items.map((run) => ({ ...run, callbackToken: '', testName: names.get(run.loadTestId) ?? run.loadTestId }));
    const beyondTheEnd = rows.length === 0 && offset > 0;
    io.stdout.write(`${beyondTheEnd ? `No runs past the first ${page.total}.` : renderRunsTable(rows, { color: useColor(io), now: new Date() })}\n`);
    if (page.items.length > 0 && page.total > offset + page.items.length) {
      io.stdout.write(`(${offset + 1}–${offset + page.items.length} of ${page.total} runs; use --limit and --offset to see more)\n`);
    }
    return 0;
  }, 'read');
}

function timeBoundOf(text: string, flag: string, now: Date): string {
  const instant = parseTimeBound(text, now);
  if (instant === null) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${flag}: expected a span back from now (30m, 2h, 7d, 1w), a date (2026-11-29) or a date-time with its zone (2026-11-29T10:00Z), got "${text}"`);
  return instant;
}
