import type { LoadctlConfig } from '../../config/config.js';
import { ApiClient } from '../../controlplane/client.js';
import type { CliIo } from '../io.js';

/** What a `tests …` / `runs …` command needs: the API, the terminal and a clock. */
export interface CommandDeps {
  client: ApiClient;
  io: CliIo;
  now: () => Date;
}

/** 'read': the command never writes, so its in-process control plane does not recover other processes' runs. */
export type CommandAccess = 'read' | 'write';

/** Runs `action` against --server, or against a control plane started in this process over the local store. */
export async function withClient(config: LoadctlConfig, io: CliIo, action: (deps: CommandDeps) => Promise<number>, access: CommandAccess = 'write'): Promise<number> {
  const deps = (client: ApiClient): CommandDeps => ({ client, io, now: () => new Date() });
  if (config.remoteServer) {
    // Only HTTP is needed: loading the session would pull in Fastify and the store drivers (a second of start-up).
    return action(deps(new ApiClient({ baseUrl: config.remoteServer, ...(config.security.apiToken ? { token: config.security.apiToken } : {}) })));
  }
  const session = await (await import('../session.js')).openSession(config, io, { readOnly: access === 'read' });
  try {
    return await action(deps(session.client));
  } finally {
    await session.close();
  }
}

/** `--json`: the API's answer as it came, indented, on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
