import { join } from 'node:path';
import type { LoadctlConfig } from '../../config/config.js';
import { startDemoTarget } from '../../demo-target/index.js';
import { EXAMPLES_DIR } from '../../locust/paths.js';
import type { CliIo } from '../io.js';
import { runLoadTest, type RunCommandOptions } from './run.js';

/** `loadctl demo`: the built-in Products API plus locust/examples/products.py, run end to end. */
export async function demo({ config, io, errorRate, ...runOptions }: Omit<RunCommandOptions, 'config' | 'io'> & { config: LoadctlConfig; io: CliIo; errorRate: number }): Promise<number> {
  const target = await startDemoTarget({ port: 0, errorRate });
  io.stderr.write(`Demo Products API listening on ${target.url}\n`);
  try {
    const demoConfig: LoadctlConfig = {
      ...config,
      // The demo script needs nothing beside it: uploaded alone, whatever bundle: says.
      run: { ...config.run, script: join(EXAMPLES_DIR, 'products.py'), host: target.url, name: config.run.name ?? 'demo-products', bundle: { ...config.run.bundle, mode: 'off' as const } },
    };
    return await runLoadTest({ ...runOptions, config: demoConfig, io });
  } finally {
    await target.close();
  }
}

/** `loadctl demo-target`: the Products API alone, in the foreground. */
export async function demoTarget({ io, port, errorRate, signals = process }: { io: CliIo; port: number; errorRate: number; signals?: Pick<NodeJS.Process, 'once'> }): Promise<number> {
  const target = await startDemoTarget({ port, errorRate });
  io.stdout.write(`Demo Products API listening on ${target.url} (GET /__stats counts what it served)\n`);
  await new Promise<void>((resolve) => {
    signals.once('SIGINT', resolve);
    signals.once('SIGTERM', resolve);
  });
  await target.close();
  return 0;
}
