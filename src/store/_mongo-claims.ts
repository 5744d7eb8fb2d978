// Claims: how MongoStore makes a read-then-write atomic on every server it supports.
//
// FerretDB v1 applies an update as "read, then write by _id" (its TODO #2168), so two clients'
// compare-and-set updates of one document can both match. An insert under a unique key is
// atomic everywhere (FerretDB's SQLite backend enforces _id), so a writer first claims the
// step it means to take — `{_id: "<runId>#<step>"}` holding the whole change — and only the
// claimant's change is ever applied. A claim whose writer died before applying it is rolled
// forward by the next writer, so a crash between the two writes never blocks the run.
import type { Collection } from 'mongodb';
import type { StatusChange } from '../domain/types.js';
import type { RunDocument } from './_mongo-documents.js';
import { isDuplicateKeyError } from './_mongo-errors.js';

export interface TransitionClaimDocument {
  _id: string;
  runId: string;
  /** The run's statusHistory length the change applies to: step n makes it n + 1. */
  step: number;
  set: Partial<RunDocument>;
  change: StatusChange;
}

export type TransitionClaim = Omit<TransitionClaimDocument, '_id'>;

export function claimIdOf(runId: string, step: number): string {
  return `${runId}#${step}`;
}

/** True when this claim is now ours; false when another writer holds that step. */
export async function insertClaim(claims: Collection<TransitionClaimDocument>, claim: TransitionClaim): Promise<boolean> {
  try {
    await claims.insertOne({ _id: claimIdOf(claim.runId, claim.step), ...claim });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Writes a claimed change onto the run if it is not there yet. Only one change exists per
 * step, so two writers applying the same claim write the same document: idempotent.
 */
export async function applyClaim(runs: Collection<RunDocument>, claim: TransitionClaim): Promise<RunDocument | null> {
  return runs.findOneAndUpdate(
    { _id: claim.runId, statusHistory: { $size: claim.step } },
    { $set: { ...claim.set }, $push: { statusHistory: claim.change } },
    { returnDocument: 'after' },
  );
}

/** Finishes the change another writer claimed for this step (it may have died before writing it). */
export async function rollForward(
  claims: Collection<TransitionClaimDocument>,
  runs: Collection<RunDocument>,
  runId: string,
  step: number,
): Promise<void> {
  const claim = await claims.findOne({ _id: claimIdOf(runId, step) });
  if (claim) await applyClaim(runs, claim);
}
