import type { LocustCluster } from '../config/config.js';
import type { ScriptChecker } from '../locust/syntax-check.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { RunEventBus } from '../orchestrator/run-events.js';
import type { Store } from '../store/store.js';
import type { RunOwner } from '../domain/types.js';

/** What every route group is given. */
export interface ControlPlaneDeps {
  store: Store;
  orchestrator: Orchestrator;
  events: RunEventBus;
  checkScript: ScriptChecker;
  now: () => Date;
  newId: (prefix: string) => string;
  newToken: () => string;
  locustClusters?: readonly LocustCluster[];
  /** Whether a run started without `defaultThresholds` in its body gets loadctl's default thresholds (config `defaultThresholds`). */
  defaultThresholds: boolean;
  controlPlaneUrl?: () => string;
  /** This process as the owner recorded on each run it starts. */
  runOwner?: () => RunOwner;
  /** When set, the public API requires `Authorization: Bearer <apiToken>`. */
  apiToken?: string;
  /** Host names besides loopback ones that a control plane without an API token answers to. */
  allowedHosts?: readonly string[];
  /** security.locustCallbackToken: accepted on callbacks of runs whose cluster runs the replaced system's plugin only. */
  locustCallbackToken?: string;
  log: (message: string) => void;
  /** How often an event stream re-reads the store, for runs driven by another process. */
  eventPollMs?: number;
  /**
   * Serve the OpenAPI document and Swagger UI (default true). A CLI command's in-process
   * control plane passes false: nobody reads them there, and loading them costs start-up.
   */
  apiDocs?: boolean;
}
