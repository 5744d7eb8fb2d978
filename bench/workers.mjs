#!/usr/bin/env node
// Requests/s and CPU of `loadctl run --workers N` against one plain Locust process (no loadctl,
// no plugin) on the same script and target. CPU is read from /proc (utime + stime) of every
// Locust process while it runs, from the first request to the end (start-up imports left out);
// "requests per worker CPU-second" is what a worker does with a core, compared with the single
// process. Usage (after `npm run build`):
//   LOADCTL_LOCUST=.cache/test-runtime/venv/bin/locust node bench/workers.mjs [duration=20] [users=20] [workers=2] [rounds=2]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [duration = 20, users = 20, workers = 2, rounds = 2] = process.argv.slice(2).map(Number);
const bin = fileURLToPath(new URL('../bin/loadctl', import.meta.url));
const targetScript = fileURLToPath(new URL('../test/e2e/fixtures/counting-target.mjs', import.meta.url));
const locust = process.env.LOADCTL_LOCUST;
if (!locust) throw new Error('set LOADCTL_LOCUST to a locust binary (e.g. .cache/test-runtime/venv/bin/locust)');
const TICKS = 100; // USER_HZ on Linux
const dir = mkdtempSync(join(tmpdir(), 'loadctl-bench-workers-'));
const script = join(dir, 'bench.py');
// As fast as one user can go: the load generator, not the wait, is the limit.
writeFileSync(script, 'from locust import HttpUser, constant, task\n\n\nclass Bench(HttpUser):\n    wait_time = constant(0)\n\n    @task\n    def hit(self):\n        self.client.get("/bench")\n');

function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds per descendant of `root`, sampled until stopped (the last sample before a process exits counts). */
function watchTree(root) {
  const seen = new Map();
  const sample = () => {
    const parents = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const stat = procStat(name);
      if (stat) parents.set(Number(name), stat);
    }
    const inTree = (pid) => {
      for (let at = pid, hops = 0; at > 1 && hops < 20; at = parents.get(at)?.ppid ?? 0, hops += 1) if (at === root) return true;
      return false;
    };
    for (const [pid, stat] of parents) {
      if (!inTree(pid)) continue;
      let cmdline = seen.get(pid)?.cmdline;
      // read again until the process has exec'd Locust (a fresh fork still shows its parent's)
      if (cmdline === undefined || !cmdline.includes('locust')) {
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        } catch {
          cmdline = '';
        }
      }
      const history = seen.get(pid)?.history ?? [];
      history.push({ at: Date.now(), cpu: stat.cpu });
      seen.set(pid, { cmdline, cpu: stat.cpu, history });
    }
  };
  const timer = setInterval(sample, 200);
  return { stop: () => (clearInterval(timer), sample(), seen) };
}

async function startTarget() {
  const child = spawn(process.execPath, [targetScript, '127.0.0.1', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.on('data', (chunk) => resolve(/:(\d+)/.exec(String(chunk))[1])));
  const url = `http://127.0.0.1:${port}`;
  const count = async () => (await (await fetch(`${url}/__count`)).json())['/bench'] ?? 0;
  const firstRequestAt = async () => (await (await fetch(`${url}/__first`)).json()).first;
  return { url, count, firstRequestAt, close: () => child.kill('SIGTERM'), pid: child.pid };
}

function run(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const tree = watchTree(child.pid);
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const processes = tree.stop();
      if (code !== 0) reject(new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ processes, child: { pid: child.pid, cpu: processes.get(child.pid)?.cpu ?? 0 } });
    }),
  );
}

/** CPU seconds a process used from `at` on (its last sample before `at` is where it starts). */
function cpuFrom({ cpu, history }, at) {
  const before = history.filter((sample) => sample.at <= at).pop();
  return cpu - (before?.cpu ?? 0);
}

const target = await startTarget();
const rows = [];
try {
  for (let round = 0; round < rounds; round += 1) {
    // One plain Locust process, headless, as a Locust user would run it.
    let before = await target.count();
    await target.firstRequestAt();
    const single = await run(locust, ['-f', script, '--headless', '-u', String(users), '-r', String(users), '-t', `${duration}s`, '--host', target.url, '--only-summary', '--loglevel', 'WARNING']);
    const singleRequests = (await target.count()) - before;
    let loadFrom = await target.firstRequestAt();
    const singleTotal = [...single.processes.values()].reduce((sum, p) => sum + p.cpu, 0);
    const singleCpu = [...single.processes.values()].reduce((sum, p) => sum + cpuFrom(p, loadFrom), 0);
    rows.push({ mode: 'plain locust', requests: singleRequests, rps: singleRequests / duration, cpu: { locust: singleCpu, withStartUp: singleTotal }, requestsPerCpuSecond: singleRequests / singleCpu });

    // loadctl run --workers N: a master with the plugin and N workers.
    before = await target.count();
    const dataDir = join(dir, `data-${round}`);
    const report = join(dir, `report-${round}.json`);
    const distributed = await run(process.execPath, [bin, 'run', '--script', script, '--host', target.url, '--users', String(users), '--duration', String(duration), '--workers', String(workers), '--quiet', '--no-default-thresholds', '--data-dir', dataDir, '--locust-bin', locust, '--json', report]);
    const served = (await target.count()) - before;
    loadFrom = await target.firstRequestAt();
    const summary = JSON.parse(readFileSync(report, 'utf8')).summary;
    const byRole = { master: 0, workers: [], loadctl: distributed.child.cpu };
    let withStartUp = 0;
    for (const [pid, { cmdline, cpu }] of distributed.processes) {
      if (/ --worker( |$)/.test(cmdline)) withStartUp += cpu;
      if (pid === distributed.child.pid) continue;
      const used = cpuFrom(distributed.processes.get(pid), loadFrom);
      if (/ --worker( |$)/.test(cmdline)) byRole.workers.push(Number(used.toFixed(2)));
      else if (/ --master( |$)/.test(cmdline)) byRole.master += used;
    }
    const workerCpu = byRole.workers.reduce((sum, cpu) => sum + cpu, 0);
    rows.push({
      mode: `loadctl --workers ${workers}`,
      requests: summary.requests,
      served,
      rps: summary.requests / summary.durationSeconds,
      storedSeconds: summary.durationSeconds,
      cpu: { ...byRole, master: Number(byRole.master.toFixed(2)), workersWithStartUp: Number(withStartUp.toFixed(2)) },
      requestsPerCpuSecond: summary.requests / workerCpu,
    });
  }
} finally {
  target.close();
  rmSync(dir, { recursive: true, force: true });
}

const round2 = (value) => (typeof value === 'number' ? Number(value.toFixed(1)) : value);
for (const row of rows) console.log(JSON.stringify(Object.fromEntries(Object.entries(row).map(([key, value]) => [key, round2(value)]))));
const ratio = (mode) => rows.filter((row) => row.mode.startsWith(mode)).map((row) => row.requestsPerCpuSecond);
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const [plain, dist] = [mean(ratio('plain')), mean(ratio('loadctl'))];
console.log(`requests per CPU-second: plain ${plain.toFixed(0)}, per worker ${dist.toFixed(0)} (${(((dist - plain) / plain) * 100).toFixed(1)}%)`);
