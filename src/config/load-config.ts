import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LoadctlError } from '../domain/errors.js';
import { parseThreshold, parseThresholdConfig, type Threshold } from '../domain/thresholds.js';
import { parseStages, type Stage } from '../domain/load-shape.js';
import type { LocustPlugin } from '../domain/types.js';
import { parseRequirements, type RunRequirements } from '../domain/requirements.js';
import { parseMasterBind, resolveWorkerCount } from '../domain/workers.js';
import { DEFAULTS, type LoadctlConfig } from './config.js';
import { resolveDataDir } from './data-dir.js';
import { readBundleSettings } from './_bundle-settings.js';
import {
  validateKnownKeys,
  validateDuration,
  validateHttpUrl,
  validateMongoUri,
  validatePort,
  validatePositiveInteger,
  validatePositiveNumber,
  validateBoolean,
  validateString,
} from './validate.js';

/** Flags as commander parsed them (strings or numbers); any may be missing. */
export interface ConfigFlags {
  config?: string;
  dataDir?: string;
  mongoUri?: string;
  mongoDatabase?: string;
  server?: string;
  token?: string;
  host?: string;
  port?: string | number;
  locustBin?: string;
  script?: string;
  targetHost?: string;
  users?: string | number;
  spawnRate?: string | number;
  duration?: string | number;
  name?: string;
  metricsInterval?: string | number;
  /** --threshold, repeated. */
  thresholds?: readonly string[];
  /** --stage DURATION:USERS, repeated. */
  stages?: readonly string[];
  /** false from --no-default-thresholds; commander sets true when the flag is absent, so only false counts. */
  defaultThresholds?: boolean;
  /** --requirements FILE: a requirements file of the packages the script needs besides Locust. */
  requirements?: string;
  /** --bundle DIR, or false from --no-bundle. */
  bundle?: string | false;
  /** --workers N|auto: a Locust master and N local workers. */
  workers?: string | number;
  expectRemoteWorkers?: string | number;
  masterBind?: string;
}

export interface ConfigSources {
  flags: ConfigFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
  homeDir: string;
  /** Returns the file's text, or null when it does not exist. */
  readFile: (path: string) => string | null;
  /** Cores of this machine, for `workers: auto`; default: the machine's. */
  cores?: number;
}

export const DEFAULT_CONFIG_FILE = 'loadctl.yaml';

// Every key the file may hold; anything else is a typo that would silently fall back to a default.
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['script', 'host', 'users', 'spawnRate', 'duration', 'stages', 'name', 'metricsInterval', 'thresholds', 'defaultThresholds', 'requirements', 'bundle', 'workers', 'expectRemoteWorkers', 'masterBind', 'server', 'mongodb', 'security', 'locust', 'locustClusters', 'orchestrator'],
  server: ['host', 'port', 'allowedHosts'],
  // connectTimeoutSeconds and maxPoolSize: the replaced system's names, kept so its files load unchanged.
  mongodb: ['uri', 'database', 'connectTimeoutSeconds', 'maxPoolSize'],
  security: ['apiToken', 'launchSecret', 'locustCallbackToken'],
  locust: ['bin'],
  // The replaced system's section; its only key is a polling interval that push-based metrics do not need.
  orchestrator: ['metricsPollIntervalSeconds'],
};

// Cluster keys of the replaced system's config (accountId … authToken), beside loadctl's own.
const CLUSTER_KEYS = ['id', 'baseUrl', 'launchToken', 'authToken', 'accountId', 'orgId', 'projectId', 'envId', 'tenantId'] as const;
const CLUSTER_OPTIONAL_TEXT = ['launchToken', 'authToken', 'accountId', 'orgId', 'projectId', 'envId', 'tenantId'] as const;

/** Flags beat environment, environment beats the YAML file, the file beats defaults. */
export function loadConfig({ flags, env, cwd, homeDir, readFile, cores = availableParallelism() }: ConfigSources): LoadctlConfig {
  const { file, yaml } = readYaml(flags.config, cwd, readFile);
  const fileDir = file ? dirname(file) : cwd;
  const section = (key: string): Record<string, unknown> => {
    const record = asRecord(yaml[key], `${file}: ${key}`);
    validateKnownKeys(record, KNOWN_KEYS[key]!, `${file}: ${key}.`);
    return record;
  };
  validateKnownKeys(yaml, KNOWN_KEYS['']!, `${file}: `);
  const mongo = section('mongodb');
  const server = section('server');
  const security = section('security');
  const locust = section('locust');
  const orchestrator = section('orchestrator');

  // An empty variable (e.g. a CI secret that is not set) counts as unset.
  const fromEnv = (name: string): string | undefined => env[name] || undefined;
  // Where a value came from, so a message says what to fix: the flag, else `file: key`.
  const sourceName = (flagValue: unknown, flag: string, key: string): string => (flagValue !== undefined ? flag : `${file ?? 'config'}: ${key}`);

  const mongoUri = flags.mongoUri ?? fromEnv('LOADCTL_MONGODB_URI') ?? mongo.uri;
  const script = flags.script ?? (yaml.script === undefined ? undefined : resolvePath(fileDir, validateString(yaml.script, `${file}: script`)));
  const targetHost = flags.targetHost ?? yaml.host;
  const remoteServer = flags.server ?? fromEnv('LOADCTL_SERVER');
  // Locust is started with its run folder as working directory: paths must not be relative.
  const locustBinGiven = flags.locustBin ?? fromEnv('LOADCTL_LOCUST');
  const locustBinInFile = stringOrUndefined(locust.bin, `${file}: locust.bin`);
  const locustBin = locustBinGiven !== undefined ? resolvePath(cwd, locustBinGiven) : locustBinInFile && resolvePath(fileDir, locustBinInFile);
  const spawnRate = flags.spawnRate ?? yaml.spawnRate;
  const name = flags.name ?? yaml.name;
  const workers = flags.workers ?? yaml.workers;
  const remoteWorkers = flags.expectRemoteWorkers ?? yaml.expectRemoteWorkers;
  const masterBind = flags.masterBind ?? yaml.masterBind;

  const config: LoadctlConfig = {
    dataDir: resolvePath(cwd, resolveDataDir({ flag: flags.dataDir, env, homeDir })),
    ...(file ? { configFile: file } : {}),
    ...(mongoUri === undefined
      ? {}
      : {
          mongodb: {
            uri: validateMongoUri(mongoUri, sourceOf(flags.mongoUri, '--mongo-uri', fromEnv('LOADCTL_MONGODB_URI'), 'LOADCTL_MONGODB_URI', `${file}: mongodb.uri`)),
            database: validateString(flags.mongoDatabase ?? mongo.database ?? DEFAULTS.mongoDatabase, sourceName(flags.mongoDatabase, '--mongo-database', 'mongodb.database')),
            ...optional({
              connectTimeoutSeconds: mongo.connectTimeoutSeconds === undefined ? undefined : validatePositiveNumber(mongo.connectTimeoutSeconds, `${file}: mongodb.connectTimeoutSeconds`, 3600),
              maxPoolSize: mongo.maxPoolSize === undefined ? undefined : validatePositiveInteger(mongo.maxPoolSize, `${file}: mongodb.maxPoolSize`, 10_000),
            }),
          },
        }),
    server: {
      host: validateString(flags.host ?? server.host ?? DEFAULTS.serverHost, sourceName(flags.host, '--host', 'server.host')),
      port: validatePort(flags.port ?? server.port ?? DEFAULTS.serverPort, sourceName(flags.port, '--port', 'server.port')),
      allowedHosts: readAllowedHosts(server.allowedHosts, file),
    },
    security: optional({
      apiToken: flags.token ?? fromEnv('LOADCTL_TOKEN') ?? stringOrUndefined(security.apiToken, `${file}: security.apiToken`),
      launchSecret: readLaunchSecret(fromEnv('LOADCTL_LAUNCH_SECRET'), security.launchSecret, file),
      locustCallbackToken: emptyAsAbsent(security.locustCallbackToken, `${file}: security.locustCallbackToken`),
    }),
    locust: optional({ bin: locustBin }),
    run: {
      ...optional({
        script: script === undefined ? undefined : resolvePath(cwd, script),
        host: targetHost === undefined ? undefined : validateHttpUrl(targetHost, flags.targetHost !== undefined ? '--host' : `${file}: host`),
        name: name === undefined ? undefined : validateString(name, flags.name !== undefined ? '--name' : `${file}: name`),
        spawnRate: spawnRate === undefined ? undefined : validatePositiveNumber(spawnRate, flags.spawnRate !== undefined ? '--spawn-rate' : `${file}: spawnRate`),
        workers: workers === undefined ? undefined : located(flags.workers !== undefined ? '--workers' : `${file}: workers`, () => resolveWorkerCount(workers as string | number, cores)),
        expectRemoteWorkers:
          remoteWorkers === undefined ? undefined : located(flags.expectRemoteWorkers !== undefined ? '--expect-remote-workers' : `${file}: expectRemoteWorkers`, () => resolveWorkerCount(remoteWorkers as string | number, 0)),
        masterBind:
          masterBind === undefined
            ? undefined
            : located(flags.masterBind !== undefined ? '--master-bind' : `${file}: masterBind`, () => (parseMasterBind(validateString(masterBind, 'masterBind')), String(masterBind))),
      }),
      users: validatePositiveInteger(flags.users ?? yaml.users ?? DEFAULTS.users, flags.users !== undefined ? '--users' : `${file}: users`),
      durationSeconds: validateDuration(flags.duration ?? yaml.duration ?? DEFAULTS.durationSeconds, flags.duration !== undefined ? '--duration' : `${file}: duration`),
      metricsIntervalSeconds: validatePositiveNumber(
        flags.metricsInterval ?? yaml.metricsInterval ?? DEFAULTS.metricsIntervalSeconds,
        flags.metricsInterval !== undefined ? '--metrics-interval' : `${file}: metricsInterval`,
        3600,
      ),
      thresholds: readThresholds(flags.thresholds, yaml.thresholds, file),
      ...optional({ stages: readStages(flags.stages, yaml.stages, file) }),
      given: {
        users: flags.users !== undefined || yaml.users !== undefined,
        spawnRate: spawnRate !== undefined,
        duration: flags.duration !== undefined || yaml.duration !== undefined,
      },
      defaultThresholds: flags.defaultThresholds === false ? false : validateBoolean(yaml.defaultThresholds ?? true, `${file}: defaultThresholds`),
      ...optional({ requirements: readRequirements({ flag: flags.requirements, inFile: yaml.requirements, file, cwd, fileDir, readFile }) }),
      bundle: readBundleSettings(flags.bundle, yaml.bundle, file, fileDir, cwd),
    },
    ...(remoteServer === undefined ? {} : { remoteServer: validateHttpUrl(remoteServer, flags.server !== undefined ? '--server' : 'LOADCTL_SERVER') }),
    locustClusters: readClusters(yaml.locustClusters, file),
    ...noticesOf(orchestrator, file),
  };
  return deepFreeze(config);
}

/** --stage (each "30s:10") beats `stages:` (a list of "30s:10" or {duration, users}); undefined: none. */
function readStages(flagStages: readonly string[] | undefined, yamlStages: unknown, file: string | undefined): Stage[] | undefined {
  if (flagStages !== undefined && flagStages.length > 0) return parseStages(flagStages, () => '--stage');
  if (yamlStages === undefined || yamlStages === null) return undefined;
  if (!Array.isArray(yamlStages) || yamlStages.length === 0) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${file}: stages must be a list such as ["30s:10", "1m:10", "20s:0"]`);
  }
  const texts = yamlStages.map((entry, index) => {
    if (typeof entry === 'string') return entry;
    const record = entry as Record<string, unknown> | null;
    if (record && typeof record === 'object' && (typeof record.duration === 'string' || typeof record.duration === 'number') && record.users !== undefined) {
      return `${String(record.duration)}:${String(record.users)}`;
    }
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${file}: stages[${index}]: expected "DURATION:USERS" (e.g. "30s:10") or {duration: 30s, users: 10}`);
  });
  return parseStages(texts, (index) => `${file}: stages[${index}]`);
}

function readYaml(explicit: string | undefined, cwd: string, readFile: ConfigSources['readFile']): { file?: string; yaml: Record<string, unknown> } {
  const file = resolvePath(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  const text = readFile(file);
  if (text === null) {
    if (explicit) throw new LoadctlError('LOADCTL_CONFIG_MISSING', `Config file ${file} does not exist. Create one with \`loadctl init\` or fix the --config path.`);
    return { yaml: {} };
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (cause) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${file} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  return { file, yaml: asRecord(parsed ?? {}, file) };
}

/**
 * --requirements FILE, else `requirements:` of the YAML: a requirements file's path (relative to
 * the YAML) or a list of requirements. Read and checked here, so a typo exits 3 before anything starts.
 */
function readRequirements(options: { flag: string | undefined; inFile: unknown; file: string | undefined; cwd: string; fileDir: string; readFile: ConfigSources['readFile'] }): RunRequirements | undefined {
  const { flag, inFile, file, cwd, fileDir, readFile } = options;
  const key = `${file ?? 'config'}: requirements`;
  const fromFile = (path: string, source: string): RunRequirements | undefined => {
    const text = readFile(path);
    if (text === null) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source}: the requirements file ${path} does not exist`, { details: { field: 'requirements' } });
    return parseRequirements(text, `${source} (${path})`) ?? undefined;
  };
  if (flag !== undefined) return fromFile(resolvePath(cwd, validateString(flag, '--requirements')), '--requirements');
  if (inFile === undefined || inFile === null) return undefined;
  if (typeof inFile === 'string') return fromFile(resolvePath(fileDir, validateString(inFile, key)), key);
  if (!Array.isArray(inFile)) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${key}: expected a requirements file's path or a list of requirements such as [inflection==0.5.1]`, { details: { field: 'requirements' } });
  }
  const lines = inFile.map((entry, index) => {
    const line = validateString(entry, `${key}[${index}]`);
    if (/[\r\n]/.test(line)) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${key}[${index}]: one requirement per entry`, { details: { field: 'requirements' } });
    return line;
  });
  return parseRequirements(lines.join('\n'), key) ?? undefined;
}

/** The file's thresholds and then the flags' (both apply); a message names where the bad one came from. */
/** Runs `read`; its LoadctlError names where the bad value came from. */
function located<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof LoadctlError)) throw error;
    throw new LoadctlError(error.code, `${where}: ${error.message}`, { cause: error, ...(error.details ? { details: error.details } : {}) });
  }
}

function readThresholds(flagged: readonly string[] | undefined, inFile: unknown, file: string | undefined): Threshold[] {
  return [
    ...located(file ?? 'config', () => parseThresholdConfig(inFile)),
    ...(flagged ?? []).map((text) => located('--threshold', () => parseThreshold(text))),
  ];
}

function readClusters(value: unknown, file: string | undefined): LoadctlConfig['locustClusters'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${file}: locustClusters must be a list of {id, baseUrl}`);
  return value.map((entry, index) => {
    const record = asRecord(entry, `${file}: locustClusters[${index}]`);
    const where = `${file}: locustClusters[${index}]`;
    validateKnownKeys(record, [...CLUSTER_KEYS, 'plugin'], `${where}.`);
    return {
      id: validateString(record.id, `${where}.id`),
      baseUrl: validateHttpUrl(record.baseUrl, `${where}.baseUrl`),
      ...optional(Object.fromEntries(CLUSTER_OPTIONAL_TEXT.map((key) => [key, emptyAsAbsent(record[key], `${where}.${key}`)]))),
      ...(record.plugin === undefined ? {} : { plugin: validatePlugin(record.plugin, `${where}.plugin`) }),
    };
  });
}

/** server.allowedHosts: host names without a port (`loadctl.internal`), compared case-insensitively. */
function readAllowedHosts(value: unknown, file: string | undefined): string[] {
  if (value === undefined || value === null) return [];
  const source = `${file ?? 'config'}: server.allowedHosts`;
  if (!Array.isArray(value)) throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source}: expected a list of host names, e.g. [loadctl.internal]`);
  return value.map((entry, index) => {
    const host = validateString(entry, `${source}[${index}]`).trim().toLowerCase();
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)$/.test(host)) {
      throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source}[${index}]: "${String(entry)}" is not a host name; give the name alone, without scheme or port (e.g. loadctl.internal)`);
    }
    return host;
  });
}

/** security.launchSecret (or LOADCTL_LAUNCH_SECRET): long enough that launch tokens cannot be guessed. */
function readLaunchSecret(fromEnvironment: string | undefined, inFile: unknown, file: string | undefined): string | undefined {
  const source = fromEnvironment !== undefined ? 'LOADCTL_LAUNCH_SECRET' : `${file ?? 'config'}: security.launchSecret`;
  const secret = fromEnvironment ?? stringOrUndefined(inFile, source);
  if (secret !== undefined && secret.length < 32) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source}: the launch secret must be at least 32 characters (e.g. \`openssl rand -hex 32\`)`);
  }
  return secret;
}

/**
 * The replaced system polled Locust every `metricsPollIntervalSeconds`; loadctl's plugin pushes
 * instead, so the key is accepted (its files load unchanged) and said to be unused at start-up.
 */
function noticesOf(orchestrator: Record<string, unknown>, file: string | undefined): { notices?: string[] } {
  if (orchestrator.metricsPollIntervalSeconds === undefined) return {};
  validatePositiveNumber(orchestrator.metricsPollIntervalSeconds, `${file}: orchestrator.metricsPollIntervalSeconds`, 86_400);
  return {
    notices: [
      `${file}: orchestrator.metricsPollIntervalSeconds is not needed and is ignored: Locust's plugin pushes metrics to loadctl (loadctl's plugin every metricsInterval seconds, the replaced system's every METRICS_PUSH_INTERVAL).`,
    ],
  };
}

/** The replaced system's files write `authToken: ""` for "none": an empty text counts as absent. */
function emptyAsAbsent(value: unknown, source: string): string | undefined {
  return value === '' ? undefined : stringOrUndefined(value, source);
}

function validatePlugin(value: unknown, source: string): LocustPlugin {
  if (value === 'loadctl' || value === 'harness') return value;
  throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source} must be loadctl or harness (the replaced system's locust_harness_plugin.py), not ${JSON.stringify(value)}`);
}

function asRecord(value: unknown, source: string | undefined): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LoadctlError('LOADCTL_CONFIG_INVALID', `${source ?? 'config'}: expected a mapping of keys to values`);
  }
  return value as Record<string, unknown>;
}

function stringOrUndefined(value: unknown, source: string): string | undefined {
  return value === undefined || value === null ? undefined : validateString(value, source);
}

function sourceOf(...pairs: unknown[]): string {
  for (let index = 0; index < pairs.length - 1; index += 2) if (pairs[index] !== undefined) return String(pairs[index + 1]);
  return String(pairs[pairs.length - 1]);
}

function resolvePath(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

/** Drops keys whose value is undefined, so optional fields are absent rather than undefined. */
function optional<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as never;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
