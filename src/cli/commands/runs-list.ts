import type { LoadctlConfig } from '../../config/config.js';
import { useColor, type CliIo } from '../io.js';
import { renderRunsTable } from '../render/index.js';
import { openSession } from '../session.js';

export interface RunsListOptions {
  config: LoadctlConfig;
  io: CliIo;
  json: boolean;
  limit: number;
  status?: string;
  loadTestId?: string;
}

/** `loadctl runs list`: newest first, as a table or as JSON. */
export async function listRuns({ config, io, json, limit, status, loadTestId }: RunsListOptions): Promise<number> {
  const session = await openSession(config, io);
  try {
    const page = await session.client.listRuns({ limit, ...(status ? { status } : {}), ...(loadTestId ? { loadTestId } : {}) });
    if (json) {
      io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return 0;
    }
    const names = new Map<string, string>();
    for (const run of page.items) {
      if (!names.has(run.loadTestId)) names.set(run.loadTestId, (await session.client.getLoadTest(run.loadTestId).catch(() => undefined))?.name ?? run.loadTestId);
    }
    const rows = page.items.map((run) => ({ ...run, callbackToken: '', testName: names.get(run.loadTestId) ?? run.loadTestId }));
    io.stdout.write(`${renderRunsTable(rows, { color: useColor(io), now: new Date() })}\n`);
    if (page.total > page.items.length) io.stdout.write(`(${page.items.length} of ${page.total} runs; use --limit to see more)\n`);
    return 0;
  } finally {
    await session.close();
  }
}
