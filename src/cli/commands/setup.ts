import type { LoadctlConfig } from '../../config/config.js';
import { readLocustVersion } from '../../locust/runtime.js';
import { ensureLocustRuntime } from '../ensure-runtime.js';
import type { CliIo } from '../io.js';

/** `loadctl setup`: (re)creates the Locust virtual environment in the data dir. */
export async function setup({ config, io, force }: { config: LoadctlConfig; io: CliIo; force: boolean }): Promise<number> {
  const runtime = await ensureLocustRuntime(config, io, { force });
  const { version, problem } = await readLocustVersion(runtime);
  io.stdout.write(version ? `Locust ${version} (${runtime.command.join(' ')})\n` : `Locust is installed but did not report a version: ${problem}\n`);
  return version ? 0 : 2;
}
