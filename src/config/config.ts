import type { Threshold } from '../domain/thresholds.js';
import type { LocustPlugin } from '../domain/types.js';
import type { RunRequirements } from '../domain/requirements.js';
import type { Stage } from '../domain/load-shape.js';

/** Everything loadctl needs to know, from flags, environment and YAML, merged once and frozen. */
export interface LoadctlConfig {
  readonly dataDir: string;
  /** Where the YAML came from, if any (for messages). */
  readonly configFile?: string;
  readonly mongodb?: MongoSettings;
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Host names (besides loopback ones) a control plane without an API token answers to. */
    readonly allowedHosts: readonly string[];
  };
  readonly security: {
    readonly apiToken?: string;
    /** The key launch tokens are derived with; absent: a file in dataDir. */
    readonly launchSecret?: string;
    /**
     * The static X-Locust-Token of clusters that run the replaced system's plugin (its
     * CONTROL_PLANE_TOKEN). Accepted only on callbacks of runs on such clusters.
     */
    readonly locustCallbackToken?: string;
  };
  readonly locust: { readonly bin?: string };
  readonly run: RunDefaults;
  /** A running `loadctl serve` to use instead of an in-process control plane. */
  readonly remoteServer?: string;
  readonly locustClusters: readonly LocustCluster[];
  /** Settings that were accepted but change nothing, said once at start-up (e.g. the replaced system's polling interval). */
  readonly notices?: readonly string[];
}

export interface MongoSettings {
  readonly uri: string;
  readonly database: string;
  /** How long connecting (server selection) may take; the replaced system's `connectTimeoutSeconds`. */
  readonly connectTimeoutSeconds?: number;
  /** The driver's connection pool size; the replaced system's `maxPoolSize`. */
  readonly maxPoolSize?: number;
}

/** An already running Locust (started with loadctl's plugin on its PYTHONPATH) that runs may use. */
export interface LocustCluster {
  readonly id: string;
  readonly baseUrl: string;
  /** The LOADCTL_LAUNCH_TOKEN that Locust was started with, if any. */
  readonly launchToken?: string;
  /** Which plugin its Locust runs; absent: asked of the Locust (its context route) at each run. */
  readonly plugin?: LocustPlugin;
  /**
   * The replaced system's per-cluster secret: it sent it as `Authorization: Bearer` on every
   * call to the Locust master (set-context, swarm, stop), for a master behind an authenticating proxy.
   */
  readonly authToken?: string;
  /** The scope the replaced system gave a cluster: a run of a test with the same scope goes to it. */
  readonly accountId?: string;
  readonly orgId?: string;
  readonly projectId?: string;
  readonly envId?: string;
  readonly tenantId?: string;
}

export interface RunDefaults {
  readonly script?: string;
  readonly host?: string;
  readonly name?: string;
  readonly users: number;
  readonly spawnRate?: number;
  readonly durationSeconds: number;
  readonly metricsIntervalSeconds: number;
  /** --stage, else `stages:` of the YAML file: a k6-like load shape loadctl runs; absent: users at spawnRate. */
  readonly stages?: readonly Stage[];
  /** Which of users, spawnRate and duration were set (flag or file) rather than defaulted: a load shape says what it ignores. */
  readonly given?: { readonly users: boolean; readonly spawnRate: boolean; readonly duration: boolean };
  /** `thresholds:` of the YAML file, then each --threshold; empty: none. */
  readonly thresholds: readonly Threshold[];
  /**
   * Judge runs by loadctl's default thresholds too (docs/METRICS.md, "Verdicts"): `loadctl run`
   * sends it with each run, `serve` applies it to runs started through the API without a say.
   */
  readonly defaultThresholds: boolean;
  /**
   * Python packages the script needs besides Locust (--requirements FILE, or `requirements:` in
   * the YAML: a file path or a list), checked and normalised; absent: none.
   */
  readonly requirements?: RunRequirements;
  /** What `loadctl run` uploads beside the script (`bundle:` of the YAML, --bundle DIR, --no-bundle). */
  readonly bundle: BundleSettings;
  /** Local Locust workers with a master (`--workers`, `workers:`); absent or 0: one Locust process. */
  readonly workers?: number;
  /** Workers from other machines (`loadctl worker`) the master waits for. */
  readonly expectRemoteWorkers?: number;
  /** HOST:PORT the master listens on for workers. */
  readonly masterBind?: string;
}

/** 'auto': the script's folder; 'dir': `dir`; 'off': the script alone. Limits: a bigger bundle is refused before anything starts. */
export interface BundleSettings {
  readonly mode: 'auto' | 'dir' | 'off';
  readonly dir?: string;
  readonly maxFiles: number;
  readonly maxBytes: number;
}

export const DEFAULTS = {
  serverHost: '127.0.0.1',
  serverPort: 8080,
  mongoDatabase: 'load_testing',
  users: 5,
  durationSeconds: 30,
  metricsIntervalSeconds: 2,
} as const;
