import { describe, expect, it } from 'vitest';
import { scopeMatches } from '../../src/domain/scope.js';

const VM_CLUSTER = { accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test' };

describe('scopeMatches', () => {
  it('matches the replaced system’s rule for account, org, project and env', () => {
    expect(scopeMatches(VM_CLUSTER, { accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test' })).toBe(true);
    // No env on the test: any env of the cluster serves it.
    expect(scopeMatches(VM_CLUSTER, { accountId: 'my-account', orgId: 'my-org', projectId: 'products-api' })).toBe(true);
    expect(scopeMatches(VM_CLUSTER, { accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'prod' })).toBe(false);
    expect(scopeMatches(VM_CLUSTER, { accountId: 'my-account', orgId: 'my-org', projectId: 'search-api' })).toBe(false);
    expect(scopeMatches(VM_CLUSTER, { accountId: 'my-account' })).toBe(false);
  });

  it('matches tenant clusters by the test’s tenantId, else its accountId', () => {
    const tenant = { tenantId: 'tenant-1', envId: 'dev' };
    expect(scopeMatches(tenant, { tenantId: 'tenant-1', envId: 'dev' })).toBe(true);
    expect(scopeMatches(tenant, { accountId: 'tenant-1', envId: 'dev' })).toBe(true);
    expect(scopeMatches(tenant, { tenantId: 'tenant-2', envId: 'dev' })).toBe(false);
    expect(scopeMatches(tenant, { tenantId: 'tenant-1', envId: 'staging' })).toBe(false);
  });

  it('never picks an unscoped cluster, nor a cluster for an unscoped test', () => {
    expect(scopeMatches({}, { accountId: 'a' })).toBe(false);
    expect(scopeMatches(VM_CLUSTER, {})).toBe(false);
  });
});
