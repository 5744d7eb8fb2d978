import type { LocustCluster } from '../config/config.js';
import type { ScriptChecker } from '../locust/syntax-check.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { RunEventBus } from '../orchestrator/run-events.js';
import type { Store } from '../store/store.js';

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
  /** When set, the public API requires `Authorization: Bearer <apiToken>`. */
  apiToken?: string;
  /** security.locustCallbackToken: accepted on callbacks of runs whose cluster runs the replaced system's plugin only. */
  locustCallbackToken?: string;
  log: (message: string) => void;
  /** How often an event stream re-reads the store, for runs driven by another process. */
  eventPollMs?: number;
}
