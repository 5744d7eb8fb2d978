import type { LoadctlConfig } from '../config/config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** The store the config selects: MongoDB when it names a URI, else the embedded one in the data dir. */
export function openConfiguredStore(config: LoadctlConfig): Promise<Store> {
  const mongo = config.mongodb;
  return openStore({
    dataDir: config.dataDir,
    ...(mongo
      ? {
          mongoUri: mongo.uri,
          mongoDatabase: mongo.database,
          ...(mongo.connectTimeoutSeconds === undefined ? {} : { mongoConnectTimeoutSeconds: mongo.connectTimeoutSeconds }),
          ...(mongo.maxPoolSize === undefined ? {} : { mongoMaxPoolSize: mongo.maxPoolSize }),
        }
      : {}),
  });
}
