// The contract every Store implementation passes. Each test gets a fresh, empty store.
import { afterEach, beforeEach, describe } from 'vitest';
import type { Run } from '../../src/domain/types.js';
import type { Store, Transition } from '../../src/store/store.js';
import type { Rival } from './_rival-process.js';
import { describeRaceContract } from './_contract-races.js';
import { describeBundleContract } from './_contract-bundles.js';
import { describeNameContract } from './_contract-names.js';
import { describeClusterContract } from './_contract-clusters.js';
import { describeLoadTestChangesContract } from './_contract-load-test-changes.js';
import { describeLoadTestContract } from './_contract-load-tests.js';
import { describeMetricsContract } from './_contract-metrics.js';
import { describeRunSecretsContract } from './_contract-run-secrets.js';
import { describeRunContract } from './_contract-runs.js';
import { describeScopeContract } from './_contract-scope.js';
import { describeSharingContract } from './_contract-sharing.js';

export interface StoreUnderTest {
  store: Store;
  /** Closes every store opened for this test and deletes its database or file. */
  cleanup: () => Promise<void>;
  /** Another, initialised Store on the same database or file, as a second process would open it. */
  openSecondStore?: () => Promise<Store>;
  /** The run's document exactly as stored (the SQLite row's doc, the Mongo document as JSON). */
  rawRun: (id: string) => Promise<string>;
  /** Writes a run document past the Store, as an older loadctl wrote it. */
  insertRawRun: (run: Run) => Promise<void>;
  /** Removes a run's document past the Store, as an operator or a cleanup job would. */
  deleteRawRun: (id: string) => Promise<void>;
  /** Starts another process (or client) that will race the given transition on these runs. */
  startRival: (runIds: readonly string[], transition: Transition) => Rival;
}

export type CurrentStore = () => StoreUnderTest;

export function describeStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
): void {
  describe(`Store contract: ${name}`, () => {
    let current: StoreUnderTest | undefined;
    const subject: CurrentStore = () => {
      if (!current) throw new Error('the store is only available inside a test');
      return current;
    };

    beforeEach(async () => {
      current = await makeStore();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    describeLoadTestContract(subject);
    describeBundleContract(subject);
    describeLoadTestChangesContract(subject);
    describeNameContract(subject);
    describeRunContract(subject);
    describeRunSecretsContract(subject);
    describeMetricsContract(subject);
    describeSharingContract(subject);
    describeRaceContract(subject);
    describeClusterContract(subject);
    describeScopeContract(subject);
  });
}
