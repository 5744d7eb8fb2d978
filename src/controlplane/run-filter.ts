import { LoadctlError } from '../domain/errors.js';
import { pickScope } from '../domain/scope.js';
import type { RunStatus, Scope } from '../domain/types.js';
import type { RunFilter, SortOrder } from '../store/store.js';

export type RunsQuery = Scope & { status?: string; verdict?: 'passed' | 'failed' | 'none'; loadTestId?: string; since?: string; until?: string; sortBy?: 'createdAt'; sortOrder?: SortOrder; limit: number; offset: number };

/** The store filter a list query asks for; refuses a time range that ends before it starts. */
export function parseRunFilter(query: RunsQuery): RunFilter {
  const since = query.since === undefined ? undefined : new Date(query.since);
  const until = query.until === undefined ? undefined : new Date(query.until);
  if (since && until && until.getTime() <= since.getTime()) {
    throw new LoadctlError('LOADCTL_BAD_REQUEST', `until (${query.until}) must be after since (${query.since}).`, { details: { field: 'until', location: 'querystring' } });
  }
  return {
    ...(query.loadTestId ? { loadTestId: query.loadTestId } : {}),
    ...(query.status ? { status: query.status.split(',') as RunStatus[] } : {}),
    ...(query.verdict ? { verdict: query.verdict } : {}),
    ...(since ? { since: since.toISOString() } : {}),
    ...(until ? { until: until.toISOString() } : {}),
    ...(Object.keys(pickScope(query)).length > 0 ? { scope: pickScope(query) } : {}),
    ...(query.sortOrder ? { sortOrder: query.sortOrder } : {}),
    limit: query.limit,
    offset: query.offset,
  };
}

