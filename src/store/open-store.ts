import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoadctlError } from '../domain/errors.js';
import { MongoStore } from './mongo-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** MongoDB is used when a URI is given; otherwise the embedded file under dataDir. */
  mongoUri?: string;
  mongoDatabase?: string;
  dataDir: string;
}

export const EMBEDDED_STORE_FILE = 'loadctl.db';

/** Opens and initialises the store the options select. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.mongoUri ? new MongoStore({ uri: options.mongoUri, database: options.mongoDatabase }) : openEmbedded(options.dataDir);
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

function openEmbedded(dataDir: string): SqliteStore {
  try {
    // The file holds callback tokens and scripts: keep the folder to its owner.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new LoadctlError('LOADCTL_STORE_UNAVAILABLE', `Cannot create the data folder ${dataDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return new SqliteStore({ file: join(dataDir, EMBEDDED_STORE_FILE) });
}
