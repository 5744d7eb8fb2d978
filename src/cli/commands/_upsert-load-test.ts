// `loadctl run`'s get-or-create of the load test named by --name.
import type { LoadctlConfig } from '../../config/config.js';
import { isLoadctlError } from '../../domain/errors.js';
import type { ControlPlaneApi, LoadTestView } from '../../controlplane/client.js';
import type { ScriptUpload } from '../bundle/script-upload.js';

type ScriptBody = ScriptUpload['body'];

/** Reuses the test with this name (adding a revision when the script or a file of its bundle changed) or creates it. */
export async function upsertLoadTest(client: ControlPlaneApi, options: { name: string; upload: Pick<ScriptUpload, 'body' | 'sha256'>; host: string; config: LoadctlConfig }): Promise<string> {
  const { items } = await client.listLoadTests({ name: options.name, limit: 100 });
  const existing = items.find((test) => test.name === options.name) ?? (await createOrGetLoadTest(client, options, options.upload.body));
  if (existing.created) return existing.id;
  const revisions = await client.listRevisions(existing.id);
  const latest = revisions.items.find((revision) => revision.id === existing.latestRevisionId);
  if (latest?.sha256 !== options.upload.sha256) await client.updateScript(existing.id, options.upload.body);
  return existing.id;
}

/**
 * Creates the test, or — when another `loadctl run` created one of this name since we
 * looked (409 LOADCTL_TEST_NAME_TAKEN) — reads that one: two runs of a new name make one test.
 */
async function createOrGetLoadTest(
  client: ControlPlaneApi,
  options: { name: string; host: string; config: LoadctlConfig },
  script: ScriptBody,
): Promise<LoadTestView & { created?: true }> {
  try {
    const created = await client.createLoadTest({
      name: options.name,
      targetUrl: options.host,
      ...script,
      defaultUsers: options.config.run.users,
      defaultDurationSec: Math.round(options.config.run.durationSeconds),
      ...(options.config.run.spawnRate ? { defaultSpawnRate: options.config.run.spawnRate } : {}),
    });
    return { ...created, created: true };
  } catch (error) {
    const holder = isLoadctlError(error) && error.code === 'LOADCTL_TEST_NAME_TAKEN' ? error.details?.loadTestId : undefined;
    if (typeof holder !== 'string') throw error;
    return client.getLoadTest(holder);
  }
}
