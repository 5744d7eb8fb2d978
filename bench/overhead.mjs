#!/usr/bin/env node
// Plugin overhead and start/stop against plain Locust: the same FastHttpUser script against
// nginx on loopback, `locust --headless` and `loadctl run` (plugin pushing every 1 s)
// alternating, rounds of D s with U users. Per round: requests per Locust CPU-second (Locust
// and its children, measured by a wrapper around it), command start → first request at
// nginx, load span − asked duration, last request → process exit.
// Usage: node bench/overhead.mjs [rounds=7] [duration=8] [users=10]   (LOADCTL_LOCUST: the Locust to use)
// With LOADCTL_BENCH_BASE=/path/to/other/bin/loadctl that build runs in the same rounds too (`base`).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, header, median, spread } from './_lib.mjs';
import { startNginx } from './_nginx.mjs';

const [rounds = 7, duration = 8, users = 10] = process.argv.slice(2).map(Number);
const bin = fileURLToPath(new URL('../bin/loadctl', import.meta.url));
const locust = process.env.LOADCTL_LOCUST ?? join(process.env.HOME ?? '', '.loadctl/venv/bin/locust');
if (!existsSync(locust)) throw new Error(`No Locust at ${locust}: set LOADCTL_LOCUST (or run \`loadctl setup\`).`);
const work = mkdtempSync(join(tmpdir(), 'loadctl-bench-overhead-'));
const script = join(work, 'locustfile.py');
writeFileSync(script, 'from locust import FastHttpUser, constant, task\n\n\nclass Hammer(FastHttpUser):\n    wait_time = constant(0)\n\n    @task\n    def root(self):\n        self.client.get("/")\n');
// Locust behind a wrapper that waits for it and writes its CPU time (its children included).
const cpuFile = join(work, 'cpu');
const wrapperDir = join(work, 'wrapper');
const wrapper = join(wrapperDir, 'locust');
const python = join(dirname(locust), 'python');
spawnSync('mkdir', ['-p', wrapperDir]);
symlinkSync(python, join(wrapperDir, 'python'));
writeFileSync(
  wrapper,
  `#!${python}\nimport os, resource, signal, subprocess, sys\nchild = subprocess.Popen([${JSON.stringify(locust)}, *sys.argv[1:]])\n# Signals to the process group reach Locust itself; the wrapper waits to read its CPU time.\nsignal.signal(signal.SIGTERM, lambda *_: None)\nsignal.signal(signal.SIGINT, lambda *_: None)\ncode = child.wait()\nusage = resource.getrusage(resource.RUSAGE_CHILDREN)\nopen(os.environ["LOADCTL_BENCH_CPU"], "w").write(f"{usage.ru_utime + usage.ru_stime}")\nsys.exit(code)\n`,
);
chmodSync(wrapper, 0o755);

const nginx = await startNginx();
const dataDir = join(work, 'data');
const base = process.env.LOADCTL_BENCH_BASE;

function exec(command, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now() / 1000;
    const child = spawn(command, args, { cwd: work, env: { ...process.env, CI: 'true', NO_COLOR: '1', LOADCTL_BENCH_CPU: cpuFile, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => (code === 0 ? resolve({ started, exited: Date.now() / 1000 }) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-2000)}`))));
  });
}

function figures({ started, exited }, requests) {
  const times = nginx.requestTimes();
  const cpu = Number(readFileSync(cpuFile, 'utf8'));
  return {
    reqPerCpuSecond: requests / cpu,
    startToFirst: times[0] - started,
    spanMinusDuration: times.at(-1) - times[0] - duration,
    lastToExit: exited - times.at(-1),
    requests,
  };
}

const variants = {
  locust: async () => {
    nginx.clearLog();
    const csv = join(work, 'plain');
    const timing = await exec(wrapper, ['-f', script, '--headless', '-u', String(users), '-r', String(users), '-t', `${duration}s`, '--host', nginx.url, '--csv', csv, '--only-summary']);
    const aggregated = readFileSync(`${csv}_stats.csv`, 'utf8').split('\n').find((line) => line.includes('Aggregated')).split(',');
    return figures(timing, Number(aggregated[2]));
  },
  loadctl: () => loadctlRound(bin, dataDir),
  // Each build its own store: an older build refuses a newer schema.
  ...(base ? { base: () => loadctlRound(base, join(work, 'base-data')) } : {}),
};

async function loadctlRound(loadctl, data) {
  nginx.clearLog();
  const timing = await exec(process.execPath, [loadctl, 'run', '--script', script, '--host', nginx.url, '--duration', String(duration), '--users', String(users), '--spawn-rate', String(users), '--metrics-interval', '1', '--locust-bin', wrapper, '--data-dir', data, '--quiet', '--no-bundle']);
  const run = JSON.parse(spawnSync(process.execPath, [loadctl, 'runs', 'list', '--json', '--limit', '1', '--data-dir', data], { encoding: 'utf8' }).stdout).items[0];
  return figures(timing, run.finalMetrics.totalRequests);
}

try {
  header(`plugin overhead and start/stop: ${rounds} alternating rounds of ${duration} s, ${users} users, FastHttpUser against nginx ${nginx.url}`);
  const results = await alternate(rounds, variants);
  const show = (key, unit, digits) => `${spread(results.locust.map((row) => row[key]), digits)} | ${spread(results.loadctl.map((row) => row[key]), digits)}`;
  console.log('figure: plain Locust | loadctl — median (min–max)');
  console.log(`requests per Locust CPU-second: ${show('reqPerCpuSecond', '', 0)}`);
  console.log(`  loadctl / Locust per round: ×${spread(results.loadctl.map((row, index) => row.reqPerCpuSecond / results.locust[index].reqPerCpuSecond), 3)}   goal ≥ ×0.98`);
  console.log(`start → first request (s): ${show('startToFirst', 's', 2)}`);
  console.log(`  loadctl − Locust per round: +${spread(results.loadctl.map((row, index) => row.startToFirst - results.locust[index].startToFirst), 2)} s   goal ≤ +0.3 s`);
  console.log(`load span − duration (s): ${show('spanMinusDuration', 's', 3)}   goal loadctl within ±0.05 s`);
  console.log(`last request → exit (s): ${show('lastToExit', 's', 2)}   goal loadctl ≤ 0.2 s`);
  console.log(`requests: ${show('requests', '', 0)}; median loadctl−Locust start ${(median(results.loadctl.map((r) => r.startToFirst)) - median(results.locust.map((r) => r.startToFirst))).toFixed(2)} s`);
  if (base) {
    console.log(`base (${base}): start → first request ${spread(results.base.map((row) => row.startToFirst), 2)} s; base − Locust per round +${spread(results.base.map((row, index) => row.startToFirst - results.locust[index].startToFirst), 2)} s`);
    console.log(`  loadctl − base per round: ${spread(results.loadctl.map((row, index) => row.startToFirst - results.base[index].startToFirst), 2)} s; last request → exit ${spread(results.base.map((row) => row.lastToExit), 2)} s`);
  }
} finally {
  await nginx.stop();
  rmSync(work, { recursive: true, force: true });
}
