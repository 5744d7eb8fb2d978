import type { ControlPlaneApi } from '../../controlplane/client.js';

/** The name of a run's load test for headings; the id when the test is gone or unreadable. */
export async function testNameOf(client: ControlPlaneApi, loadTestId: string): Promise<string> {
  try {
    return (await client.getLoadTest(loadTestId)).name;
  } catch {
    return loadTestId;
  }
}
