import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live processes whose environment holds `NAME=value` (how tests find the Locust a run started). */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const status = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // A zombie has exited; only its parent's bookkeeping is left.
      if (environ.includes(needle) && !/\) Z /.test(status)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return pids.filter((pid) => pid !== process.pid);
}
