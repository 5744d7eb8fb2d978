import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoadctlError } from '../../domain/errors.js';
import { EXAMPLES_DIR } from '../../locust/paths.js';
import type { CliIo } from '../io.js';

export const STARTER_CONFIG = `# loadctl.yaml — read by \`loadctl run\` in this directory (or --config FILE).
# Flags beat environment variables (LOADCTL_*), which beat this file.

# The Locust script (a plain locustfile; loadctl adds its plugin import itself).
script: locustfile.py
# The system under test (the built-in demo API: \`loadctl demo-target\`).
host: http://127.0.0.1:8000
# Simulated users, how many start per second, and how long the run lasts (30, 30s, 5m, 1h).
users: 5
spawnRate: 5
duration: 30s
# Name under which runs are grouped in \`loadctl runs list\` (default: the script's file name).
# name: checkout-flow
# Pass/fail rules judged at the end of the run; one failing makes loadctl exit 1. Without
# any, a run passes when it made requests, under 1% failed and no task raised; with yours,
# loadctl adds only "not every request failed". defaultThresholds: false turns both off.
# thresholds: ["p95<500ms", "error_rate<1%"]

# Store runs in MongoDB instead of the embedded store in the data dir:
# mongodb:
#   uri: mongodb://127.0.0.1:27017/
#   database: load_testing
`;

/** `loadctl init`: a commented loadctl.yaml and a starter locustfile in the current directory. */
export function init({ io, force }: { io: CliIo; force: boolean }): number {
  const files = [
    { path: join(io.cwd, 'loadctl.yaml'), content: STARTER_CONFIG },
    { path: join(io.cwd, 'locustfile.py'), content: readFileSync(join(EXAMPLES_DIR, 'starter.py'), 'utf8') },
  ];
  const existing = files.filter((file) => existsSync(file.path));
  if (existing.length > 0 && !force) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${existing.map((file) => file.path).join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written. Use --force to overwrite.`);
  }
  for (const file of files) {
    writeFileSync(file.path, file.content, { flag: 'w' });
    io.stdout.write(`wrote ${file.path}\n`);
  }
  io.stdout.write('Edit host: in loadctl.yaml, then run: loadctl run\n');
  return 0;
}
