import { execa } from 'execa';
import type { LoadctlConfig } from '../../config/config.js';
import { findLocustRuntime, readLocustVersion } from '../../locust/runtime.js';
import { openConfiguredStore } from '../open-configured-store.js';
import type { CliIo } from '../io.js';

interface Finding {
  what: string;
  ok: boolean;
  found: string;
  fix?: string;
}

/** `loadctl doctor`: what loadctl found, what is missing, and the command that fixes each. */
export async function doctor({ config, io, json }: { config: LoadctlConfig; io: CliIo; json: boolean }): Promise<number> {
  const findings: Finding[] = [
    { what: 'Node.js', ok: true, found: process.version },
    await checkPython(io.env.LOADCTL_PYTHON || 'python3'),
    await checkLocust(config),
    await checkStore(config),
    { what: 'Data dir', ok: true, found: config.dataDir },
    { what: 'Config file', ok: true, found: config.configFile ?? 'none (flags, environment and defaults only)' },
  ];
  if (json) {
    io.stdout.write(`${JSON.stringify({ ok: findings.every((finding) => finding.ok), findings }, null, 2)}\n`);
  } else {
    for (const finding of findings) {
      io.stdout.write(`${finding.ok ? '✔' : '✘'} ${finding.what.padEnd(12)} ${finding.found}\n`);
      if (finding.fix) io.stdout.write(`  ${' '.repeat(12)} fix: ${finding.fix}\n`);
    }
  }
  return findings.every((finding) => finding.ok) ? 0 : 2;
}

async function checkPython(python: string): Promise<Finding> {
  const result = await execa(python, ['--version'], { reject: false });
  return result.exitCode === 0
    ? { what: 'Python', ok: true, found: `${result.stdout.trim() || result.stderr.trim()} (${python})` }
    : { what: 'Python', ok: false, found: `${python} not found`, fix: 'install Python 3.9+ (Debian: apt-get install python3 python3-venv) or set LOADCTL_PYTHON' };
}

async function checkLocust(config: LoadctlConfig): Promise<Finding> {
  try {
    const runtime = findLocustRuntime({ dataDir: config.dataDir, ...(config.locust.bin ? { locustBin: config.locust.bin } : {}) });
    if (!runtime) return { what: 'Locust', ok: false, found: 'not set up', fix: 'loadctl setup   (or --locust-bin PATH to use an installed one)' };
    const { version, problem } = await readLocustVersion(runtime);
    return version
      ? { what: 'Locust', ok: true, found: `${version} (${runtime.source === 'venv' ? 'loadctl venv' : runtime.command[0]})` }
      : { what: 'Locust', ok: false, found: `broken: ${problem}`, fix: 'loadctl setup --force' };
  } catch (error) {
    return { what: 'Locust', ok: false, found: (error as Error).message, fix: 'fix --locust-bin / LOADCTL_LOCUST, or unset it and run loadctl setup' };
  }
}

async function checkStore(config: LoadctlConfig): Promise<Finding> {
  const name = config.mongodb ? `MongoDB (${redact(config.mongodb.uri)}, database ${config.mongodb.database})` : `embedded (${config.dataDir}/loadctl.db)`;
  try {
    const store = await openConfiguredStore(config);
    const health = await store.health();
    await store.close();
    return health.ok ? { what: 'Store', ok: true, found: name } : { what: 'Store', ok: false, found: `${name}: ${health.detail}`, fix: 'start MongoDB or fix --mongo-uri' };
  } catch (error) {
    return { what: 'Store', ok: false, found: `${name}: ${(error as Error).message}`, fix: config.mongodb ? 'start MongoDB or fix --mongo-uri / LOADCTL_MONGODB_URI' : 'check that the data dir is writable' };
  }
}

function redact(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}
