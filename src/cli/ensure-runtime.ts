import type { LoadctlConfig } from '../config/config.js';
import { findLocustRuntime, type LocustRuntime } from '../locust/runtime.js';
import { isInteractive, type CliIo } from './io.js';

/** The Locust to use; creates the venv the first time, showing progress. */
export async function ensureLocustRuntime(config: LoadctlConfig, io: CliIo, options: { force?: boolean } = {}): Promise<LocustRuntime> {
  if (!options.force) {
    const found = findLocustRuntime({ dataDir: config.dataDir, ...(config.locust.bin ? { locustBin: config.locust.bin } : {}) });
    if (found) return found;
  }
  // Only the first run prepares Locust: the spinner and the setup code load then, not on every run.
  const [{ default: ora }, { setupLocustRuntime }] = await Promise.all([import('ora'), import('../locust/setup-runtime.js')]);
  const python = io.env.LOADCTL_PYTHON || 'python3';
  const started = Date.now();
  if (isInteractive(io)) {
    const spinner = ora({ stream: io.stderr as NodeJS.WriteStream, text: 'Preparing Locust (first run only)…' }).start();
    try {
      const runtime = await setupLocustRuntime({ dataDir: config.dataDir, python, onStep: (message) => (spinner.text = `${message}…`) });
      spinner.succeed(`Locust is ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      return runtime;
    } catch (error) {
      spinner.fail('Preparing Locust failed');
      throw error;
    }
  }
  const runtime = await setupLocustRuntime({ dataDir: config.dataDir, python, onStep: (message) => io.stderr.write(`${message}…\n`) });
  io.stderr.write(`Locust is ready (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  return runtime;
}

/** Resolves the runtime on first use only (a `runs list` never needs Locust), then reuses it. */
export function lazyLocustRuntime(config: LoadctlConfig, io: CliIo): () => Promise<LocustRuntime> {
  let runtime: Promise<LocustRuntime> | undefined;
  return () => (runtime ??= ensureLocustRuntime(config, io));
}
