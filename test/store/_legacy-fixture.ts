// Stores written by earlier versions (fixtures/*.db and the MongoDB documents beside them),
// opened by this version the way a user's upgrade opens them: the fixture itself is never
// touched, each test migrates a copy of its own.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, MongoClient } from 'mongodb';
import { MongoStore } from '../../src/store/mongo-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export interface SqliteFixtureCopy {
  file: string;
  /** This version's SqliteStore on the copy, migrating it on open. */
  open(): Promise<SqliteStore>;
  /** One row of the copy as stored, read with a read-only connection of its own. */
  row(sql: string, ...params: unknown[]): Record<string, unknown>;
  /** Closes every store it opened and deletes the copy. */
  remove(): Promise<void>;
}

/** A copy of the fixture store file `fixture` in a temporary folder. */
export async function copySqliteFixture(fixture: string): Promise<SqliteFixtureCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'loadctl-legacy-'));
  const file = join(dir, 'loadctl.db');
  await copyFile(fixture, file);
  const opened: SqliteStore[] = [];
  return {
    file,
    async open() {
      const store = new SqliteStore({ file });
      opened.push(store);
      await store.init();
      return store;
    },
    row(sql, ...params) {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).get(...params) as Record<string, unknown>;
      } finally {
        db.close();
      }
    },
    async remove() {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface MongoFixtureCopy {
  store: MongoStore;
  /** The database as stored, through the test's own client. */
  db: Db;
  /** Closes the store and drops the database. */
  remove(): Promise<void>;
}

/** A fresh database holding the fixture's collections (name → documents), opened by this version's MongoStore. */
export async function copyMongoFixture(admin: MongoClient, uri: string, collections: Record<string, unknown>): Promise<MongoFixtureCopy> {
  const database = `loadctl_test_${randomBytes(6).toString('hex')}`;
  const db = admin.db(database);
  for (const [collection, docs] of Object.entries(collections)) {
    if (Array.isArray(docs)) await db.collection(collection).insertMany(docs.map((doc) => ({ ...doc })) as never[]);
  }
  const store = new MongoStore({ uri, database, serverSelectionTimeoutMS: 5000 });
  await store.init();
  return {
    store,
    db,
    async remove() {
      await store.close();
      await db.dropDatabase();
    },
  };
}
