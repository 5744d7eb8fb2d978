// Vitest global setup: one MongoDB-compatible server for the whole run. A real MongoDB
// when LOADCTL_TEST_MONGODB_URI is set, otherwise a FerretDB started here. Never skips:
// without either, the run fails and says how to fix it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';
import { hasFerretDbBinary, resolveFerretDbBinary, startFerretDb } from './ferretdb.js';

export type MongoServerKind = 'mongodb' | 'ferretdb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URI of the test server; each test file uses its own database on it. */
    mongoUri: string;
    /** FerretDB v1 lacks some of MongoDB's guarantees (atomic conditional updates across connections). */
    mongoServerKind: MongoServerKind;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.LOADCTL_TEST_MONGODB_URI;
  if (external) {
    project.provide('mongoUri', external);
    project.provide('mongoServerKind', await detectServerKind(external));
    return undefined;
  }

  if (!hasFerretDbBinary()) {
    throw new Error(
      `No MongoDB for the store tests: LOADCTL_TEST_MONGODB_URI is not set and ${resolveFerretDbBinary()} does not exist. ` +
        'Run scripts/build-ferretdb.sh (needs Go), or point LOADCTL_FERRETDB_BIN at a built ferretdb-test, ' +
        'or set LOADCTL_TEST_MONGODB_URI to a MongoDB you can drop test databases on.',
    );
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'loadctl-ferretdb-'));
  const server = await startFerretDb({ dataDir });
  project.provide('mongoUri', server.uri);
  project.provide('mongoServerKind', 'ferretdb');
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

/** Fails the run early when the given server is unreachable, and tells FerretDB from MongoDB. */
async function detectServerKind(uri: string): Promise<MongoServerKind> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
  } catch (error) {
    throw new Error(`LOADCTL_TEST_MONGODB_URI is set but the server does not answer: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
}
