import { existsSync } from 'node:fs';

/**
 * The Locust the integration tests run: LOADCTL_LOCUST, which scripts/test.sh sets to the
 * venv it prepares. Missing is a failure, never a skip: these tests are the product.
 */
export function locustBinForTests(): string {
  const bin = process.env.LOADCTL_LOCUST;
  if (!bin || !existsSync(bin)) {
    throw new Error(
      `No Locust for the integration tests (LOADCTL_LOCUST=${bin ?? 'unset'}). Run the suite with scripts/test.sh, which prepares one, or set LOADCTL_LOCUST to a locust binary.`,
    );
  }
  return bin;
}
