// Which configured Locust cluster a test's runs go to, by scope, as the replaced system chose.
import { SCOPE_FIELDS, type Scope } from './types.js';

/**
 * True when a cluster's scope covers the test's: every account, org and project the cluster
 * names equals the test's; its envId matches unless either side has none (the replaced
 * system's rule); its tenantId equals the test's tenantId, else its accountId (that system's
 * plugin called the account the tenant). A cluster that names no scope serves no test by scope,
 * nor does a test without one.
 */
export function scopeMatches(cluster: Scope, test: Scope): boolean {
  if (!SCOPE_FIELDS.some((field) => cluster[field] !== undefined)) return false;
  if (!SCOPE_FIELDS.some((field) => test[field] !== undefined)) return false;
  for (const field of ['accountId', 'orgId', 'projectId'] as const) {
    if (cluster[field] !== undefined && cluster[field] !== test[field]) return false;
  }
  if (cluster.envId !== undefined && test.envId !== undefined && cluster.envId !== test.envId) return false;
  if (cluster.tenantId !== undefined && cluster.tenantId !== (test.tenantId ?? test.accountId)) return false;
  return true;
}

/** The scope fields given in an input, as text; other keys are left out. */
export function pickScope(input: object): Scope {
  const fields = input as { readonly [key: string]: unknown };
  return Object.fromEntries(SCOPE_FIELDS.filter((field) => typeof fields[field] === 'string').map((field) => [field, fields[field]]));
}
