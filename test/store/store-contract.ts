// The contract every Store implementation passes. Each test gets a fresh, empty store.
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { describeLoadTestChangesContract } from './_contract-load-test-changes.js';
import { describeLoadTestContract } from './_contract-load-tests.js';
import { describeMetricsContract } from './_contract-metrics.js';
import { describeRunContract } from './_contract-runs.js';
import { describeScopeContract } from './_contract-scope.js';
import { describeSharingContract } from './_contract-sharing.js';

export interface StoreUnderTest {
  store: Store;
  /** Closes every store opened for this test and deletes its database or file. */
  cleanup: () => Promise<void>;
  /** Another, initialised Store on the same database or file, as a second process would open it. */
  openSecondStore?: () => Promise<Store>;
}

export interface StoreContractOptions {
  /** Whether compare-and-set holds between two Store instances (two processes), not only within one. */
  atomicAcrossInstances: boolean;
}

export type CurrentStore = () => StoreUnderTest;

export function describeStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: StoreContractOptions = { atomicAcrossInstances: true },
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
    describeLoadTestChangesContract(subject);
    describeRunContract(subject);
    describeMetricsContract(subject);
    describeSharingContract(subject, options);
    describeScopeContract(subject);
  });
}
