import type { LoadctlConfig } from '../config/config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** The store the config selects: MongoDB when it names a URI, else the embedded one in the data dir. */
export function openConfiguredStore(config: LoadctlConfig): Promise<Store> {
  return openStore({ dataDir: config.dataDir, ...(config.mongodb ? { mongoUri: config.mongodb.uri, mongoDatabase: config.mongodb.database } : {}) });
}
