import type { LoadctlConfig } from '../../config/config.js';
import type { ControlPlaneApi } from '../../controlplane/client.js';
import type { CliIo } from '../io.js';

/** What a `tests …` / `runs …` command needs: the API, the terminal and a clock. */
export interface CommandDeps {
  client: ControlPlaneApi;
  io: CliIo;
  now: () => Date;
}

/** 'read': the command never writes, so its in-process control plane does not recover other processes' runs. */
export type CommandAccess = 'read' | 'write';

/** Runs `action` against --server, or against a control plane started in this process over the local store. */
export async function withClient(config: LoadctlConfig, io: CliIo, action: (deps: CommandDeps) => Promise<number>, access: CommandAccess = 'write'): Promise<number> {
  const deps = (client: ControlPlaneApi): CommandDeps => ({ client, io, now: () => new Date() });
  if (config.remoteServer) {
    // Only HTTP is needed: loading the session would pull in Fastify and the store drivers (a second of start-up).
    const { ApiClient } = await import('../../controlplane/client.js');
    return action(deps(new ApiClient({ baseUrl: config.remoteServer, ...(config.security.apiToken ? { token: config.security.apiToken } : {}) })));
  }
  if (access === 'read') return withLocalReads(config, io, (client) => action(deps(client)));
  const session = await (await import('../session.js')).openSession(config, io);
  try {
    return await action(deps(session.client));
  } finally {
    await session.close();
  }
}

/**
 * A read opens only the store and answers from it (controlplane/local-read-api.ts); the full
 * control plane starts only if the command asks what the local reads do not answer.
 */
async function withLocalReads(config: LoadctlConfig, io: CliIo, action: (client: ControlPlaneApi) => Promise<number>): Promise<number> {
  const [{ openConfiguredStore }, { createLocalReadApi }, { sweepOrphanRunDirs }] = await Promise.all([
    import('../open-configured-store.js'),
    import('../../controlplane/local-read-api.js'),
    import('../../orchestrator/run-dirs.js'),
  ]);
  // Run folders of a loadctl that crashed are removed by whichever loadctl comes next, a reader
  // too (a few ms: one readdir of the temp folder); the store itself is never written by a read.
  const swept = sweepOrphanRunDirs().catch(() => []);
  const store = await openConfiguredStore(config);
  let session: Promise<{ client: ControlPlaneApi; close(): Promise<void> }> | undefined;
  const client = createLocalReadApi(store, async () => (await (session ??= import('../session.js').then(({ openSession }) => openSession(config, io, { readOnly: true })))).client);
  try {
    return await action(client);
  } finally {
    if (session) await (await session.catch(() => undefined))?.close();
    await store.close().catch(() => undefined);
    await swept;
  }
}

/** `--json`: the API's answer as it came, indented, on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
