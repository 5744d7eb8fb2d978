// `loadctl run --name x` twice at once, for a name no test has yet: one test, both use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertLoadTest } from '../../../src/cli/commands/_upsert-load-test.js';
import type { LoadctlConfig } from '../../../src/config/config.js';
import { sha256Of } from '../../../src/domain/script-source.js';
import { ApiClient } from '../../../src/controlplane/client.js';
import { SHOP_SCRIPT, startHarness, type Harness } from '../../controlplane/_harness.js';

const CONFIG = { run: { users: 2, durationSeconds: 10 } } as unknown as LoadctlConfig;

describe('upsertLoadTest (loadctl run’s get-or-create) against a real control plane', () => {
  let harness: Harness;
  let client: ApiClient;

  beforeAll(async () => {
    harness = await startHarness();
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const address = harness.app.server.address();
    client = new ApiClient({ baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('makes one test of a new name when two runs upsert it at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const name = `nightly ${round}`;
      const upsert = () => upsertLoadTest(client, { name, upload: { body: { scriptContent: Buffer.from(SHOP_SCRIPT).toString('base64') }, sha256: sha256Of(SHOP_SCRIPT) }, host: 'http://127.0.0.1:8000', config: CONFIG });
      const ids = await Promise.all([upsert(), upsert()]);
      expect(ids[1], name).toBe(ids[0]);
      const tests = await harness.store.listLoadTests({ name, limit: 10, offset: 0 });
      expect(tests.items.map((test) => test.id), name).toEqual([ids[0]]);
      // Same script: the loser adds no revision.
      expect(await harness.store.listScriptRevisions(ids[0]!), name).toHaveLength(1);
    }
  });
});
