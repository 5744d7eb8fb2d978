// Unique load test names on MongoDB and FerretDB v1 alike.
//
// A unique index on load_tests.name would fail to build on a database that already holds
// two tests with one name (written before names were unique), so names are claimed in
// their own collection instead: `{_id: name, loadTestId}`, unique by _id on every server.
// A test is inserted before its name is claimed, so a claim whose test is gone was left by
// a delete or rename that stopped midway, and may be taken over.
import type { Collection } from 'mongodb';
import { createNameTakenError } from './_conflicts.js';
import type { LoadTestDocument } from './_mongo-documents.js';
import { isDuplicateKeyError } from './_mongo-errors.js';

export interface NameClaimDocument {
  _id: string;
  loadTestId: string;
}

// A claim that keeps being taken over means something else claims and deletes in a loop.
const MAX_ATTEMPTS = 20;

/** Refuses (LOADCTL_TEST_NAME_TAKEN) when another test has this name, claimed or not. */
export async function refuseTakenName(tests: Collection<LoadTestDocument>, name: string, loadTestId: string): Promise<void> {
  // Tests older than the claims collection have no claim: their name is taken all the same.
  const holder = await tests.findOne({ name, _id: { $ne: loadTestId } }, { projection: { _id: 1 }, sort: { createdAt: 1, _id: 1 } });
  if (holder) throw createNameTakenError(name, holder._id);
}

/** Claims the name for this (already inserted) test; LOADCTL_TEST_NAME_TAKEN when another test holds it. */
export async function claimName(
  names: Collection<NameClaimDocument>,
  tests: Collection<LoadTestDocument>,
  name: string,
  loadTestId: string,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    try {
      await names.insertOne({ _id: name, loadTestId });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const claim = await names.findOne({ _id: name });
    if (!claim) continue;
    if (claim.loadTestId === loadTestId) return;
    const holder = await tests.findOne({ _id: claim.loadTestId }, { projection: { name: 1 } });
    if (holder && holder.name === name) throw createNameTakenError(name, claim.loadTestId);
    // Left behind: only this exact claim is removed, so two takers cannot both succeed.
    await names.deleteOne({ _id: name, loadTestId: claim.loadTestId });
  }
  throw createNameTakenError(name, 'unknown');
}

/** Gives the name up, only if this test holds it. */
export async function releaseName(names: Collection<NameClaimDocument>, name: string, loadTestId: string): Promise<void> {
  await names.deleteOne({ _id: name, loadTestId });
}
