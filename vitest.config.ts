import { defineConfig } from 'vitest/config';

// The 20-concurrent-runs load test saturates both cores on its own: it runs last, alone, so
// it neither slows the other integration tests past their deadlines nor is measured under them.
const LOAD_TESTS = ['test/reliability/load-20-runs.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: LOAD_TESTS,
          // Integration tests spawn Locust and servers; two cores cannot run many at once.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          include: LOAD_TESTS,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
