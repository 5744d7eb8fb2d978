#!/usr/bin/env node
// `npm run bench` runs every bench; `npm run bench -- NAME [args…]` one of them with its arguments.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = {
  overhead: 'plugin overhead and start/stop against plain Locust (nginx target)',
  ingest: 'metrics pushes/s the control plane stores, against /health',
  'ingest-mongo': 'metrics pushes/s on MongoStore (FerretDB or LOADCTL_BENCH_MONGO_URI), against the driver alone',
  queries: 'runs list first page at 100,000 runs; a 1-hour timeseries',
  timeseries: 'a 1-hour timeseries (no step, a step, a window) against an older build (LOADCTL_BENCH_BASE_DIST), same answers checked',
  memory: 'control-plane RSS over a long 100-user run',
  commands: 'wall time of --help, runs list, runs show, tests list',
  'run-timings': 'loadctl demo: wall, start-up, stop precision, exit tail',
  workers: '--workers 2 against one plain Locust process: requests/s and per CPU-second',
  'recent-runs': "reading tests with their recentRuns computed from their runs",
};
const [name, ...args] = process.argv.slice(2);
if (name && !(name in BENCHES)) {
  console.error(`Unknown bench ${name}. One of:\n${Object.entries(BENCHES).map(([key, what]) => `  ${key.padEnd(12)} ${what}`).join('\n')}`);
  process.exit(2);
}
let failed = false;
for (const bench of name ? [name] : Object.keys(BENCHES)) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(`./${bench}.mjs`, import.meta.url)), ...args], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
