#!/usr/bin/env node
// Control-plane memory over a long run: RSS of the `loadctl run` process (Locust excluded),
// sampled every second during a run of U users against nginx (goal ≤ 150 MB and flat), set
// beside the same process's RSS before the load (first sample after start).
// Usage: node bench/memory.mjs [seconds=600] [users=100]   (LOADCTL_LOCUST: the Locust to use)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { header, median } from './_lib.mjs';
import { startNginx } from './_nginx.mjs';

const [seconds = 600, users = 100] = process.argv.slice(2).map(Number);
const bin = fileURLToPath(new URL('../bin/loadctl', import.meta.url));
const locust = process.env.LOADCTL_LOCUST ?? join(process.env.HOME ?? '', '.loadctl/venv/bin/locust');
if (!existsSync(locust)) throw new Error(`No Locust at ${locust}: set LOADCTL_LOCUST (or run \`loadctl setup\`).`);
const work = mkdtempSync(join(tmpdir(), 'loadctl-bench-memory-'));
const script = join(work, 'locustfile.py');
writeFileSync(script, 'from locust import FastHttpUser, between, task\n\n\nclass Visitor(FastHttpUser):\n    wait_time = between(0.5, 1.5)\n\n    @task\n    def root(self):\n        for index in range(20):\n            self.client.get(f"/page/{index}", name=f"/page/{index}")\n');
const nginx = await startNginx();

const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return undefined;
  }
};

try {
  header(`memory: loadctl run, ${users} users, 20 endpoints, ${seconds} s, pushes every 2 s; RSS of the loadctl process sampled every 1 s`);
  const child = spawn(process.execPath, [bin, 'run', '--script', script, '--host', nginx.url, '--duration', String(seconds), '--users', String(users), '--spawn-rate', String(users), '--locust-bin', locust, '--data-dir', join(work, 'data'), '--quiet', '--no-default-thresholds'], {
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: 'ignore',
  });
  const samples = [];
  const timer = setInterval(() => {
    const rss = rssMb(child.pid);
    if (rss !== undefined) samples.push(rss);
  }, 1000);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  if (code !== 0) console.log(`loadctl run exited ${code}`);
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  console.log(`RSS MB: first ${samples[0]?.toFixed(0)}, median ${median(samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)} at second ${samples.indexOf(Math.max(...samples)) + 1} of ${samples.length} (goal ≤ 150)`);
  console.log(`flatness: median of the 2nd tenth ${median(samples.slice(tenth, 2 * tenth)).toFixed(0)} MB → of the last tenth ${median(samples.slice(-tenth)).toFixed(0)} MB (${samples.length} samples)`);
  // The trend: a leak climbs tenth after tenth; a heap settling rises once and stays.
  const tenths = Array.from({ length: 10 }, (_, index) => samples.slice(index * tenth, (index + 1) * tenth)).filter((part) => part.length > 0);
  console.log(`median of each tenth: ${tenths.map((part) => median(part).toFixed(0)).join(' → ')} MB`);
} finally {
  await nginx.stop();
  rmSync(work, { recursive: true, force: true });
}
