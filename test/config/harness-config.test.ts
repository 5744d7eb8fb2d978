// The replaced Go control plane's two config files (config/harness/, addresses rewritten to
// loopback) load unchanged, each key meaning what it meant there.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { LoadctlError } from '../../src/domain/errors.js';
import { mongoOptionsOf } from '../../src/store/open-store.js';

const HARNESS_DIR = fileURLToPath(new URL('../../config/harness/', import.meta.url));

function loadFile(name: string, text = readFileSync(`${HARNESS_DIR}${name}`, 'utf8')) {
  return loadConfig({ flags: { config: `${HARNESS_DIR}${name}` }, env: {}, cwd: '/tmp', homeDir: '/home/dev', readFile: () => text });
}

describe('the replaced system’s config files', () => {
  it('vm-test-config.yaml (its guide’s file) loads with every key honoured', () => {
    const config = loadFile('vm-test-config.yaml');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, allowedHosts: [] });
    expect(config.mongodb).toEqual({ uri: 'mongodb://127.0.0.1:27017', database: 'load_testing', connectTimeoutSeconds: 10, maxPoolSize: 100 });
    expect(config.security).toEqual({ apiToken: 'api-token-products-test-2025', locustCallbackToken: 'secure-token-vm-test-2025' });
    // authToken "" meant "no token" there.
    expect(config.locustClusters).toEqual([
      { id: 'local-mac-cluster', baseUrl: 'http://127.0.0.1:8089', accountId: 'my-account', orgId: 'my-org', projectId: 'products-api', envId: 'vm-test' },
    ]);
    expect(config.notices).toBeUndefined();
  });

  it('config.yaml loads: tenant clusters, and metricsPollIntervalSeconds reported as not needed', () => {
    const config = loadFile('config.yaml');
    expect(config.locustClusters.map((cluster) => [cluster.id, cluster.tenantId, cluster.envId])).toEqual([
      ['cluster-dev-tenant1', 'tenant-1', 'dev'],
      ['cluster-staging-tenant1', 'tenant-1', 'staging'],
      ['cluster-prod-tenant1', 'tenant-1', 'production'],
      ['cluster-dev-tenant2', 'tenant-2', 'dev'],
    ]);
    expect(config.security.locustCallbackToken).toBe('your-secret-locust-token-here');
    expect(config.notices).toEqual([expect.stringContaining('orchestrator.metricsPollIntervalSeconds is not needed')]);
  });

  it('a non-empty authToken is kept for the cluster', () => {
    const config = loadFile('x.yaml', 'locustClusters:\n  - { id: a, baseUrl: "http://127.0.0.1:8089", authToken: "s3cret" }\n');
    expect(config.locustClusters[0]?.authToken).toBe('s3cret');
  });

  it.each([
    ['orchestrator:\n  pollInterval: 5\n', 'orchestrator.pollInterval', 'Known keys: metricsPollIntervalSeconds.'],
    ['mongodb:\n  uri: "mongodb://127.0.0.1/"\n  maxPoolSiz: 5\n', 'mongodb.maxPoolSiz', 'Did you mean "maxPoolSize"?'],
    ['security:\n  locustToken: x\n', 'security.locustToken', 'Known keys: apiToken, launchSecret, locustCallbackToken.'],
    ['locustClusters:\n  - { id: a, baseUrl: "http://127.0.0.1:8089", acountId: x }\n', 'locustClusters[0].acountId', 'Did you mean "accountId"?'],
    ['orchestratr:\n  metricsPollIntervalSeconds: 5\n', 'orchestratr', 'Did you mean "orchestrator"?'],
  ])('a key in neither schema is still refused: %j', (text, key, hint) => {
    let error: unknown;
    try {
      loadFile('bad.yaml', text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LoadctlError);
    expect((error as LoadctlError).code).toBe('LOADCTL_CONFIG_INVALID');
    expect((error as LoadctlError).message).toContain(`${key}: unknown setting.`);
    expect((error as LoadctlError).message).toContain(hint);
  });

  it('refuses a pool size or timeout that is not a positive number', () => {
    expect(() => loadFile('bad.yaml', 'mongodb:\n  uri: "mongodb://127.0.0.1/"\n  maxPoolSize: 0\n')).toThrow(/mongodb.maxPoolSize: expected a whole number/);
    expect(() => loadFile('bad.yaml', 'mongodb:\n  uri: "mongodb://127.0.0.1/"\n  connectTimeoutSeconds: soon\n')).toThrow(/mongodb.connectTimeoutSeconds/);
  });

  it('passes the pool size and timeout to the MongoDB driver as the replaced system did', () => {
    expect(mongoOptionsOf('mongodb://127.0.0.1/', { mongoDatabase: 'load_testing', mongoConnectTimeoutSeconds: 10, mongoMaxPoolSize: 100 })).toEqual({
      uri: 'mongodb://127.0.0.1/',
      database: 'load_testing',
      serverSelectionTimeoutMS: 10_000,
      connectTimeoutMS: 10_000,
      maxPoolSize: 100,
    });
    expect(mongoOptionsOf('mongodb://127.0.0.1/', {})).toEqual({ uri: 'mongodb://127.0.0.1/' });
  });
});
