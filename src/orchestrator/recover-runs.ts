import { sendHttp, textOf } from '../locust/http.js';
import type { LocustCluster } from '../config/config.js';
import { ACTIVE_STATUSES } from '../domain/run-state.js';
import { judgeOwner } from '../domain/run-owner.js';
import type { Run, RunOwner } from '../domain/types.js';
import type { LocustClient } from '../locust/locust-client.js';
import type { Store } from '../store/store.js';
import type { Orchestrator } from './orchestrator.js';
import { probeProcess } from './run-owner.js';

export interface RecoveryDeps {
  store: Store;
  orchestrator: Orchestrator;
  /** This control plane's base URL. */
  ownUrl: string;
  /** This process as a run owner: adopted runs become its own. */
  owner?: () => RunOwner;
  /** Whether a pid on this host lives and since when (injected in tests). */
  probe?: typeof probeProcess;
  clientFor: (baseUrl: string, launchToken?: string) => LocustClient;
  /** The launch token loadctl derives for a run it spawned a Locust for. */
  launchTokenFor: (runId: string) => string;
  clusters?: readonly LocustCluster[];
  /** True when another control plane answers at that URL (then its runs are its own). */
  isControlPlaneAlive?: (url: string) => Promise<boolean>;
  log: (message: string) => void;
}

export interface RecoveryReport {
  adopted: string[];
  failed: string[];
  leftToOthers: string[];
}

/**
 * Runs left Pending/Starting/Running/Stopping by a control plane that is gone (a restarted
 * `serve`, a killed `loadctl run`): adopt those whose Locust still reports them and whose
 * callbacks come here; fail the others, keeping their last metrics. Only runs whose owner is
 * provably gone are touched (same host: its pid is dead or now another process; another host:
 * no heartbeat for a long time); runs written before owners were recorded fall back to asking
 * their control plane's URL.
 */
export async function recoverRuns(deps: RecoveryDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = { adopted: [], failed: [], leftToOthers: [] };
  const alive = deps.isControlPlaneAlive ?? isControlPlaneAlive;
  // Only runs that existed before we looked: a run this process creates meanwhile is its own.
  const startedAt = new Date().toISOString();
  const { items } = await deps.store.listRuns({ status: [...ACTIVE_STATUSES], limit: 1000, offset: 0 });
  for (const run of items) {
    if (run.createdAt >= startedAt || deps.orchestrator.activeRunIds().includes(run.id)) continue;
    if (run.owner ? !ownerIsGone(run.owner, deps) : run.controlPlaneUrl && run.controlPlaneUrl !== deps.ownUrl && (await alive(run.controlPlaneUrl))) {
      report.leftToOthers.push(run.id);
      continue;
    }
    const verdict = await inspect(run, deps);
    if (verdict.adopt) {
      deps.orchestrator.adopt(run, verdict.client);
      if (deps.owner) await deps.store.updateRun(run.id, { owner: deps.owner() });
      report.adopted.push(run.id);
    } else {
      await deps.orchestrator.failRun(run.id, `control plane restarted: ${verdict.reason}`);
      report.failed.push(run.id);
    }
    deps.log(`recovered run ${run.id}: ${verdict.adopt ? 'still running, adopted' : `failed (${verdict.reason})`}`);
  }
  return report;
}

function ownerIsGone(owner: RunOwner, deps: RecoveryDeps): boolean {
  const here = deps.owner?.() ?? { host: '', pid: process.pid, startedAt: new Date(performance.timeOrigin).toISOString() };
  const probe = owner.host === here.host ? (deps.probe ?? probeProcess)(owner.pid) : undefined;
  return judgeOwner(owner, here, probe, new Date()) === 'gone';
}

async function inspect(run: Run, deps: RecoveryDeps): Promise<{ adopt: true; client: LocustClient } | { adopt: false; reason: string }> {
  if (run.status === 'Pending' || !run.locustEndpoint) return { adopt: false, reason: 'the run had not reached Locust' };
  const cluster = deps.clusters?.find((candidate) => candidate.id === run.locustClusterId);
  // A run stored by an older loadctl carries its launch token in clear; newer ones derive it.
  const launchToken = cluster ? cluster.launchToken : (run.launchToken ?? deps.launchTokenFor(run.id));
  const client = deps.clientFor(run.locustEndpoint, launchToken);
  const current = await client.currentRun();
  if (current?.runId !== run.id) return { adopt: false, reason: `its Locust at ${run.locustEndpoint} is gone or runs something else` };
  // The plugin posts to the URL it was given; only a control plane at that URL hears it.
  if (run.controlPlaneUrl && run.controlPlaneUrl !== deps.ownUrl) return { adopt: false, reason: `its Locust reports to ${run.controlPlaneUrl}, not to this control plane` };
  return { adopt: true, client };
}

async function isControlPlaneAlive(url: string): Promise<boolean> {
  try {
    const response = await sendHttp(`${url}/health`, { method: 'GET', headers: {}, timeoutMs: 2_000 });
    await textOf(response);
    return response.statusCode === 200 || response.statusCode === 503;
  } catch {
    return false;
  }
}
