import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LoadctlError } from '../domain/errors.js';
import type { MongoStoreOptions } from './mongo-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** MongoDB is used when a URI is given; otherwise the embedded file under dataDir. */
  mongoUri?: string;
  mongoDatabase?: string;
  /** Driver settings from the config's mongodb section (connectTimeoutSeconds, maxPoolSize). */
  mongoConnectTimeoutSeconds?: number;
  mongoMaxPoolSize?: number;
  dataDir: string;
}

export const EMBEDDED_STORE_FILE = 'loadctl.db';

/** Opens and initialises the store the options select. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  // The MongoDB driver is loaded only for a URI: the embedded store does not pay for it.
  const store = options.mongoUri ? new (await import('./mongo-store.js')).MongoStore(mongoOptionsOf(options.mongoUri, options)) : openEmbedded(options.dataDir);
  try {
    await store.init();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/**
 * The replaced system used its connectTimeoutSeconds as the driver's connect and
 * server-selection timeouts: a request during an outage waits that long before its 503.
 */
export function mongoOptionsOf(uri: string, options: Omit<OpenStoreOptions, 'dataDir' | 'mongoUri'>): MongoStoreOptions {
  const timeoutMS = options.mongoConnectTimeoutSeconds === undefined ? undefined : Math.round(options.mongoConnectTimeoutSeconds * 1000);
  return {
    uri,
    ...(options.mongoDatabase === undefined ? {} : { database: options.mongoDatabase }),
    ...(timeoutMS === undefined ? {} : { serverSelectionTimeoutMS: timeoutMS, connectTimeoutMS: timeoutMS }),
    ...(options.mongoMaxPoolSize === undefined ? {} : { maxPoolSize: options.mongoMaxPoolSize }),
  };
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
