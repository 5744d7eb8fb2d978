export * from './store.js';
export { MongoStore, type MongoStoreOptions } from './mongo-store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { EMBEDDED_STORE_FILE, openStore, type OpenStoreOptions } from './open-store.js';
