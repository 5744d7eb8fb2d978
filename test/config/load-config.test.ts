import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigFlags } from '../../src/config/load-config.js';
import { LoadctlError } from '../../src/domain/errors.js';

const CWD = '/work/shop';
const HOME = '/home/dev';

/** loadConfig over in-memory files; `read` lists every path it asked for. */
function load(options: { flags?: ConfigFlags; env?: NodeJS.ProcessEnv; files?: Record<string, string> } = {}) {
  const read: string[] = [];
  const files = options.files ?? {};
  const config = loadConfig({
    flags: options.flags ?? {},
    env: options.env ?? {},
    cwd: CWD,
    homeDir: HOME,
    readFile: (path) => {
      read.push(path);
      return files[path] ?? null;
    },
  });
  return { config, read };
}

function errorOf(call: () => unknown): LoadctlError {
  try {
    call();
  } catch (error) {
    if (error instanceof LoadctlError) return error;
    throw error;
  }
  throw new Error('expected a LoadctlError, but nothing was thrown');
}

const yamlFile = (text: string): Record<string, string> => ({ [`${CWD}/loadctl.yaml`]: text });

describe('loadConfig', () => {
  it('gives the documented defaults when there is no file, no environment and no flag', () => {
    const { config, read } = load();
    expect(read).toEqual([`${CWD}/loadctl.yaml`]);
    expect(config).toEqual({
      dataDir: `${HOME}/.local/share/loadctl`,
      server: { host: '127.0.0.1', port: 8080, allowedHosts: [] },
      security: {},
      locust: {},
      run: { users: 5, durationSeconds: 30, metricsIntervalSeconds: 2, thresholds: [], defaultThresholds: true, bundle: { mode: 'auto', maxFiles: 200, maxBytes: 10 * 1024 * 1024 }, given: { users: false, spawnRate: false, duration: false } },
      locustClusters: [],
    });
  });

  it('reads every setting of ./loadctl.yaml', () => {
    const { config } = load({
      files: yamlFile(`
script: scripts/shop.py
host: https://shop.test/
users: 20
spawnRate: 2.5
duration: 5m
name: checkout
metricsInterval: 0.5
defaultThresholds: false
bundle: { dir: ., maxFiles: 50, maxSizeMiB: 2.5 }
server: { host: 0.0.0.0, port: 9000, allowedHosts: [Loadctl.Internal, '[fd00::1]'] }
security: { apiToken: s3cret, launchSecret: 0123456789abcdef0123456789abcdef }
locust: { bin: /opt/locust/bin/locust }
mongodb: { uri: "mongodb://db:27017/", database: perf }
`),
    });
    expect(config).toEqual({
      dataDir: `${HOME}/.local/share/loadctl`,
      configFile: `${CWD}/loadctl.yaml`,
      mongodb: { uri: 'mongodb://db:27017/', database: 'perf' },
      server: { host: '0.0.0.0', port: 9000, allowedHosts: ['loadctl.internal', '[fd00::1]'] },
      security: { apiToken: 's3cret', launchSecret: '0123456789abcdef0123456789abcdef' },
      locust: { bin: '/opt/locust/bin/locust' },
      run: { script: `${CWD}/scripts/shop.py`, host: 'https://shop.test', name: 'checkout', spawnRate: 2.5, users: 20, durationSeconds: 300, metricsIntervalSeconds: 0.5, thresholds: [], defaultThresholds: false, bundle: { mode: 'dir', dir: CWD, maxFiles: 50, maxBytes: 2.5 * 1024 * 1024 }, given: { users: true, spawnRate: true, duration: true } },
      locustClusters: [],
    });
  });

  it('lets the environment beat the file', () => {
    const { config } = load({
      files: yamlFile('mongodb: { uri: "mongodb://file/" }\nsecurity: { apiToken: from-file }\nlocust: { bin: /file/locust }\n'),
      env: { LOADCTL_MONGODB_URI: 'mongodb://env/', LOADCTL_TOKEN: 'from-env', LOADCTL_LOCUST: '/env/locust', LOADCTL_SERVER: 'http://env:8080', LOADCTL_DATA_DIR: '/env/data' },
    });
    expect(config.mongodb?.uri).toBe('mongodb://env/');
    expect(config.security.apiToken).toBe('from-env');
    expect(config.locust.bin).toBe('/env/locust');
    expect(config.remoteServer).toBe('http://env:8080');
    expect(config.dataDir).toBe('/env/data');
  });

  it('lets flags beat the environment and the file', () => {
    const { config } = load({
      files: yamlFile('users: 3\nduration: 10\nhost: http://file\nscript: file.py\nname: file\nspawnRate: 1\nmetricsInterval: 5\nserver: { port: 9000 }\nmongodb: { uri: "mongodb://file/", database: filedb }\n'),
      env: { LOADCTL_MONGODB_URI: 'mongodb://env/', LOADCTL_TOKEN: 'from-env', LOADCTL_LOCUST: '/env/locust', LOADCTL_SERVER: 'http://env:8080', LOADCTL_DATA_DIR: '/env/data' },
      flags: {
        users: '7',
        duration: '1m',
        targetHost: 'http://flag:8000',
        script: 'flag.py',
        name: 'flag',
        spawnRate: '4',
        metricsInterval: '1',
        port: '7000',
        mongoUri: 'mongodb://flag/',
        mongoDatabase: 'flagdb',
        token: 'from-flag',
        locustBin: '/flag/locust',
        server: 'http://flag:9999/',
        dataDir: '/flag/data',
        defaultThresholds: false,
        bundle: false,
      },
    });
    expect(config.run).toEqual({ users: 7, durationSeconds: 60, host: 'http://flag:8000', script: `${CWD}/flag.py`, name: 'flag', spawnRate: 4, metricsIntervalSeconds: 1, thresholds: [], defaultThresholds: false, bundle: { mode: 'off', maxFiles: 200, maxBytes: 10 * 1024 * 1024 }, given: { users: true, spawnRate: true, duration: true } });
    expect(config.server.port).toBe(7000);
    expect(config.mongodb).toEqual({ uri: 'mongodb://flag/', database: 'flagdb' });
    expect(config.security.apiToken).toBe('from-flag');
    expect(config.locust.bin).toBe('/flag/locust');
    expect(config.remoteServer).toBe('http://flag:9999');
    expect(config.dataDir).toBe('/flag/data');
  });

  it('treats an empty environment variable as unset (a CI secret that is not defined)', () => {
    const { config } = load({
      files: yamlFile('mongodb: { uri: "mongodb://file/" }\nsecurity: { apiToken: from-file }\n'),
      env: { LOADCTL_MONGODB_URI: '', LOADCTL_TOKEN: '', LOADCTL_LOCUST: '', LOADCTL_SERVER: '' },
    });
    expect(config.mongodb?.uri).toBe('mongodb://file/');
    expect(config.security.apiToken).toBe('from-file');
    expect(config).not.toHaveProperty('remoteServer');
    expect(config.locust).toEqual({});
  });

  describe('paths', () => {
    it('resolves the script of a YAML file against the file’s folder, and --script against the working directory', () => {
      const files = { '/work/shop/ci/perf/loadctl.yaml': 'script: ../scripts/shop.py\n' };
      expect(load({ files, flags: { config: 'ci/perf/loadctl.yaml' } }).config.run.script).toBe('/work/shop/ci/scripts/shop.py');
      expect(load({ files, flags: { config: 'ci/perf/loadctl.yaml', script: 'other.py' } }).config.run.script).toBe('/work/shop/other.py');
      expect(load({ files: { '/etc/loadctl.yaml': 'script: /srv/shop.py\n' }, flags: { config: '/etc/loadctl.yaml' } }).config.run.script).toBe('/srv/shop.py');
    });

    it('reads the file --config names, relative to the working directory', () => {
      const { config, read } = load({ files: { '/work/shop/perf.yaml': 'users: 9\n' }, flags: { config: 'perf.yaml' } });
      expect(read).toEqual(['/work/shop/perf.yaml']);
      expect(config.configFile).toBe('/work/shop/perf.yaml');
      expect(config.run.users).toBe(9);
    });

    it('makes a relative data dir and Locust binary absolute, since Locust runs in another folder', () => {
      const { config } = load({ flags: { dataDir: '.loadctl', locustBin: 'venv/bin/locust' } });
      expect(config.dataDir).toBe('/work/shop/.loadctl');
      expect(config.locust.bin).toBe('/work/shop/venv/bin/locust');
      const fromFile = load({ files: { '/work/shop/ci/loadctl.yaml': 'locust: { bin: ../venv/bin/locust }\n' }, flags: { config: 'ci/loadctl.yaml' } });
      expect(fromFile.config.locust.bin).toBe('/work/shop/venv/bin/locust');
    });
  });

  describe('errors', () => {
    it('says LOADCTL_CONFIG_MISSING when --config names a missing file', () => {
      const error = errorOf(() => load({ flags: { config: 'nope.yaml' } }));
      expect(error.code).toBe('LOADCTL_CONFIG_MISSING');
      expect(error.message).toContain('/work/shop/nope.yaml');
    });

    it('says LOADCTL_CONFIG_INVALID with the file name for YAML that does not parse', () => {
      const error = errorOf(() => load({ files: yamlFile('users: [5\nhost: x\n') }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message).toContain('/work/shop/loadctl.yaml');
      expect(error.message).toMatch(/not valid YAML/);
    });

    it.each([
      ['bundle: yes\n', 'bundle must be a mapping'],
      ['bundle: { maxFiles: 5000 }\n', 'bundle.maxFiles'],
      ['bundle: { maxSizeMiB: 0 }\n', 'bundle.maxSizeMiB'],
      ['bundle: { limit: 3 }\n', 'bundle.limit'],
    ])('refuses %j, naming the key', (text, named) => {
      const error = errorOf(() => load({ files: yamlFile(text) }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message).toContain(named);
    });

    it('--bundle DIR beats bundle: enabled: false of the file, and is relative to the working directory', () => {
      expect(load({ files: yamlFile('bundle: { enabled: false }\n') }).config.run.bundle.mode).toBe('off');
      expect(load({ files: yamlFile('bundle: { enabled: false }\n'), flags: { bundle: 'project' } }).config.run.bundle).toMatchObject({ mode: 'dir', dir: `${CWD}/project` });
    });

    it('refuses a file that is a list rather than a mapping', () => {
      const error = errorOf(() => load({ files: yamlFile('- users: 5\n') }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message).toContain('/work/shop/loadctl.yaml');
    });

    it.each(['abc', '0', '-1', '1.5', ''])('refuses --users %j, naming the flag', (users) => {
      const error = errorOf(() => load({ flags: { users } }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message).toMatch(/^--users: /);
      expect(error.details).toEqual({ field: '--users' });
    });

    it.each(['abc', '0', '-1', '1.5', 'true'])('refuses users: %s in the file, naming file and key', (users) => {
      const error = errorOf(() => load({ files: yamlFile(`users: ${users}\n`) }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message).toMatch(/^\/work\/shop\/loadctl\.yaml: users: /);
    });

    it.each([
      [{ duration: '10x' }, '--duration'],
      [{ duration: '0' }, '--duration'],
      [{ duration: '8d' }, '--duration'],
      [{ targetHost: 'localhost:8000' }, '--host'],
      [{ targetHost: 'ftp://files.test' }, '--host'],
      [{ spawnRate: '0' }, '--spawn-rate'],
      [{ metricsInterval: '7200' }, '--metrics-interval'],
      [{ port: '70000' }, '--port'],
      [{ server: '127.0.0.1:8080' }, '--server'],
      [{ mongoUri: 'postgres://db' }, '--mongo-uri'],
      [{ mongoUri: 'mongodb://db', mongoDatabase: '' }, '--mongo-database'],
    ] as [ConfigFlags, string][])('refuses the flags %j, naming %s', (flags, flag) => {
      const error = errorOf(() => load({ flags }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message.startsWith(`${flag}: `)).toBe(true);
    });

    it.each([
      ['duration: 10x', 'duration'],
      ['host: localhost:8000', 'host'],
      ['server: { port: http }', 'server.port'],
      ['server: { host: "" }', 'server.host'],
      ['security: { apiToken: 42 }', 'security.apiToken'],
      ['security: { launchSecret: too-short }', 'security.launchSecret'],
      ['server: { allowedHosts: evil.example }', 'server.allowedHosts'],
      ['server: { allowedHosts: ["http://evil.example:80"] }', 'server.allowedHosts[0]'],
      ['locust: { bin: "" }', 'locust.bin'],
      ['mongodb: { uri: "mysql://db" }', 'mongodb.uri'],
      ['mongodb: { uri: "mongodb://db", database: 7 }', 'mongodb.database'],
      ['script: 12', 'script'],
    ])('refuses `%s` in the file, naming file and key', (line, key) => {
      const error = errorOf(() => load({ files: yamlFile(`${line}\n`) }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message.startsWith(`/work/shop/loadctl.yaml: ${key}: `)).toBe(true);
    });

    it('names the environment variable when an environment value is bad', () => {
      expect(errorOf(() => load({ env: { LOADCTL_MONGODB_URI: 'localhost:27017' } })).message).toMatch(/^LOADCTL_MONGODB_URI: /);
      expect(errorOf(() => load({ env: { LOADCTL_SERVER: 'localhost:8080' } })).message).toMatch(/^LOADCTL_SERVER: /);
    });

    it('refuses a section that is not a mapping', () => {
      const error = errorOf(() => load({ files: yamlFile('mongodb: mongodb://db:27017/\n') }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message).toContain('loadctl.yaml: mongodb');
    });
  });

  describe('mongodb', () => {
    it.each([
      ['the flag', { flags: { mongoUri: 'mongodb://flag/' } }, 'mongodb://flag/'],
      ['the environment', { env: { LOADCTL_MONGODB_URI: 'mongodb+srv://cluster.example.net/' } }, 'mongodb+srv://cluster.example.net/'],
      ['the file', { files: yamlFile('mongodb:\n  uri: mongodb://file:27017/\n') }, 'mongodb://file:27017/'],
    ])('takes the URI from %s, with the default database', (_from, options, uri) => {
      expect(load(options).config.mongodb).toEqual({ uri, database: 'load_testing' });
    });

    it('has no mongodb section without a URI (the embedded store is used)', () => {
      expect(load({ files: yamlFile('mongodb: { database: perf }\n') }).config).not.toHaveProperty('mongodb');
    });
  });

  describe('locustClusters', () => {
    it('reads the list, trimming a trailing slash from each URL', () => {
      const { config } = load({ files: yamlFile('locustClusters:\n  - id: eu\n    baseUrl: http://eu-master:8089/\n  - { id: us, baseUrl: "https://us-master" }\n') });
      expect(config.locustClusters).toEqual([
        { id: 'eu', baseUrl: 'http://eu-master:8089' },
        { id: 'us', baseUrl: 'https://us-master' },
      ]);
    });

    it('reads which plugin a cluster runs, its scope and the static callback token of the replaced system', () => {
      const yaml = 'security: { locustCallbackToken: secure-token }\nlocustClusters:\n  - { id: vm, baseUrl: "http://vm:8089", plugin: harness, accountId: acc, envId: env, tenantId: t, authToken: tok }\n';
      const { config } = load({ files: yamlFile(yaml) });
      expect(config.security.locustCallbackToken).toBe('secure-token');
      expect(config.locustClusters).toEqual([{ id: 'vm', baseUrl: 'http://vm:8089', plugin: 'harness', accountId: 'acc', envId: 'env', tenantId: 't', authToken: 'tok' }]);
    });

    it.each([
      ['locustClusters: [{ id: a, baseUrl: "http://a", plugin: go }]', 'locustClusters[0].plugin'],
      ['locustClusters: { id: eu }', 'locustClusters'],
      ['locustClusters: [eu]', 'locustClusters[0]'],
      ['locustClusters: [{ baseUrl: "http://x" }]', 'locustClusters[0].id'],
      ['locustClusters: [{ id: a, baseUrl: "http://a" }, { id: b, baseUrl: "b-master:8089" }]', 'locustClusters[1].baseUrl'],
    ])('refuses `%s`, naming %s', (line, key) => {
      const error = errorOf(() => load({ files: yamlFile(`${line}\n`) }));
      expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
      expect(error.message.startsWith(`/work/shop/loadctl.yaml: ${key}`)).toBe(true);
    });
  });

  it('returns a deeply frozen object', () => {
    const { config } = load({ files: yamlFile('locustClusters: [{ id: eu, baseUrl: "http://eu" }]\nmongodb: { uri: "mongodb://db/" }\n') });
    for (const part of [config, config.server, config.run, config.security, config.locust, config.mongodb, config.locustClusters, config.locustClusters[0]]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(() => {
      (config.run as { users: number }).users = 1000;
    }).toThrow(TypeError);
    expect(() => {
      (config.locustClusters as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });
});

describe('thresholds', () => {
  it('reads thresholds: from the file, then adds each --threshold', () => {
    const { config } = load({
      files: yamlFile('thresholds:\n  - p95<500ms\n  - { threshold: "error_rate<1%", abortOnFail: true, graceSeconds: 5 }\n'),
      flags: { thresholds: ['GET /api/products: p99<=1.2s'] },
    });
    expect(config.run.thresholds).toEqual([
      { text: 'p95<500ms', metric: 'p95', operator: '<', limit: 500, abortOnFail: false },
      { text: 'error_rate<1%', metric: 'error_rate', operator: '<', limit: 0.01, abortOnFail: true, graceSeconds: 5 },
      { text: 'GET /api/products: p99<=1.2s', metric: 'p99', endpoint: 'GET /api/products', operator: '<=', limit: 1200, abortOnFail: false },
    ]);
  });

  it('names the flag or the file entry a bad threshold came from (exit 3)', () => {
    const flagged = errorOf(() => load({ flags: { thresholds: ['p59<1ms'] } }));
    expect(flagged.code).toBe('LOADCTL_THRESHOLD_INVALID');
    expect(flagged.exitCategory).toBe('usage');
    expect(flagged.message).toMatch(/^--threshold: "p59<1ms": unknown metric "p59"; did you mean/);

    const inFile = errorOf(() => load({ files: yamlFile('thresholds: ["p95<1s", {threshold: "rps>5", abortOnFail: true}]\n') }));
    expect(inFile.code).toBe('LOADCTL_THRESHOLD_INVALID');
    expect(inFile.message).toMatch(new RegExp(`^${CWD}/loadctl.yaml: thresholds\\[1\\]: "rps>5": abortOnFail needs`));
    expect(inFile.details).toMatchObject({ index: 1, threshold: 'rps>5' });
  });

  it('keeps the default thresholds unless the file or --no-default-thresholds turns them off', () => {
    expect(load({ files: yamlFile('users: 2\n') }).config.run.defaultThresholds).toBe(true);
    expect(load({ files: yamlFile('defaultThresholds: false\n') }).config.run.defaultThresholds).toBe(false);
    // commander gives true when the flag is absent: that must not beat the file
    expect(load({ files: yamlFile('defaultThresholds: false\n'), flags: { defaultThresholds: true } }).config.run.defaultThresholds).toBe(false);
    expect(load({ files: yamlFile('defaultThresholds: true\n'), flags: { defaultThresholds: false } }).config.run.defaultThresholds).toBe(false);
    const bad = errorOf(() => load({ files: yamlFile('defaultThresholds: "no"\n') }));
    expect(bad.code).toBe('LOADCTL_CONFIG_INVALID');
    expect(bad.message).toMatch(/defaultThresholds: expected true or false, got "no"/);
  });
});

describe('loadConfig refuses settings it does not know', () => {
  it('names a misspelt top-level key and suggests the right one', () => {
    const error = errorOf(() => load({ files: yamlFile('duraton: 5m\n') }));
    expect(error.code).toBe('LOADCTL_CONFIG_INVALID');
    expect(error.message).toContain(`${CWD}/loadctl.yaml: duraton`);
    expect(error.message).toContain('Did you mean "duration"?');
  });

  it('checks keys inside sections and cluster entries too', () => {
    expect(errorOf(() => load({ files: yamlFile('mongodb:\n  url: mongodb://x/\n') })).message).toContain('mongodb.url');
    const cluster = errorOf(() => load({ files: yamlFile('locustClusters:\n  - id: a\n    baseUrl: http://127.0.0.1:8089\n    token: x\n') }));
    expect(cluster.message).toContain('locustClusters[0].token');
  });

  it('lists the known keys when nothing is close', () => {
    expect(errorOf(() => load({ files: yamlFile('zzzzzzzzzz: 1\n') })).message).toContain('Known keys: script, host');
  });
});

describe('stages (issue 12)', () => {
  it('reads --stage flags and a stages: list of texts or {duration, users}; flags beat the file', () => {
    const fromFile = load({ files: yamlFile('stages:\n  - 30s:10\n  - {duration: 1m, users: 10}\n  - "20s:0"\n') }).config.run.stages;
    expect(fromFile).toEqual([{ durationSeconds: 30, users: 10 }, { durationSeconds: 60, users: 10 }, { durationSeconds: 20, users: 0 }]);
    const fromFlags = load({ flags: { stages: ['1m30s:4'] }, files: yamlFile('stages: ["30s:10"]\n') }).config.run.stages;
    expect(fromFlags).toEqual([{ durationSeconds: 90, users: 4 }]);
    expect(load().config.run.stages).toBeUndefined();
  });

  it('names the bad stage: the flag with its text, or the file and the entry', () => {
    const flag = errorOf(() => load({ flags: { stages: ['30s:10', '10:x'] } }));
    expect(flag.code).toBe('LOADCTL_CONFIG_INVALID');
    expect(flag.message).toContain('--stage "10:x"');
    const file = errorOf(() => load({ files: yamlFile('stages:\n  - 30s:10\n  - 0s:3\n') }));
    expect(file.message).toContain(`${CWD}/loadctl.yaml: stages[1] "0s:3"`);
    expect(errorOf(() => load({ files: yamlFile('stages: 30s:10\n') })).message).toContain('stages must be a list');
  });
});

describe('config/loadctl.example.yaml', () => {
  it('is a config loadctl accepts, so the documented keys stay true', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../../config/loadctl.example.yaml', import.meta.url), 'utf8');
    const { config } = load({ flags: { config: '/etc/loadctl/example.yaml' }, files: { '/etc/loadctl/example.yaml': example } });
    expect(config.run).toMatchObject({ users: 5, spawnRate: 5, durationSeconds: 30, name: 'products-api', metricsIntervalSeconds: 2 });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, allowedHosts: [] });
    expect(config.run.thresholds.map((threshold) => [threshold.text, threshold.abortOnFail])).toEqual([
      ['p95<500ms', false],
      ['error_rate<1%', false],
      ['GET /api/products: p95<300ms', false],
      ['p99<2s', true],
    ]);
  });
});

describe('workers (Locust distributed mode)', () => {
  it('takes --workers over workers: in the file; auto is one per core of this machine', () => {
    expect(load({ files: yamlFile('workers: 3\nexpectRemoteWorkers: 2\nmasterBind: 0.0.0.0:5557\n') }).config.run).toMatchObject({ workers: 3, expectRemoteWorkers: 2, masterBind: '0.0.0.0:5557' });
    expect(load({ flags: { workers: '1' }, files: yamlFile('workers: 3\n') }).config.run.workers).toBe(1);
    expect(load({ flags: { workers: 'auto' } }).config.run.workers).toBe(availableParallelism());
  });

  it('names where a bad value came from', () => {
    expect(errorOf(() => load({ flags: { workers: 'many' } })).message).toMatch(/^--workers: workers must be a whole number/);
    expect(errorOf(() => load({ files: yamlFile('masterBind: "host:99999"\n') })).message).toMatch(/masterBind: master bind must be HOST:PORT/);
  });
});
