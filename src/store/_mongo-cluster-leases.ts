// One run in progress per Locust cluster, across every process sharing the database.
//
// A lease `{_id: clusterId, runId}` is inserted after the run (unique by _id on every server);
// it is never released: once its run has ended, the next run takes it over. Because a lease
// is only written after its run exists, a lease whose run is missing or ended is stale.
import type { Collection } from 'mongodb';
import { ACTIVE_STATUSES } from '../domain/run-state.js';
import { createClusterBusyError } from './_conflicts.js';
import type { RunDocument } from './_mongo-documents.js';
import { isDuplicateKeyError } from './_mongo-errors.js';

export interface ClusterLeaseDocument {
  _id: string;
  runId: string;
}

const MAX_ATTEMPTS = 20;

/** Takes the cluster for this (already inserted) run; LOADCTL_RUN_CONFLICT while another run on it is in progress. */
export async function leaseCluster(
  leases: Collection<ClusterLeaseDocument>,
  runs: Collection<RunDocument>,
  clusterId: string,
  runId: string,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    try {
      await leases.insertOne({ _id: clusterId, runId });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const lease = await leases.findOne({ _id: clusterId });
    if (!lease) continue;
    if (lease.runId === runId) return;
    const holder = await runs.findOne({ _id: lease.runId }, { projection: { status: 1 } });
    if (holder && ACTIVE_STATUSES.includes(holder.status)) throw createClusterBusyError(clusterId, { id: holder._id, status: holder.status });
    // Its run ended (or is gone): only this exact lease is removed, so two takers cannot both win.
    await leases.deleteOne({ _id: clusterId, runId: lease.runId });
  }
  throw new Error(`Locust cluster ${clusterId}'s lease kept changing.`);
}
