import type { LoadctlConfig } from '../../config/config.js';
import type { LocustRuntime } from '../../locust/runtime.js';
import type { ScriptChecker } from '../../locust/syntax-check.js';
import type { LocustHeadStart } from '../../orchestrator/locust-head-start.js';
import type { CliIo } from '../io.js';

export interface RunHeadStart {
  runtime: () => Promise<LocustRuntime>;
  headStart: LocustHeadStart;
  checkScript: ScriptChecker;
}

/**
 * What `loadctl run` starts before its control plane: the script's syntax check and Locust
 * itself, so both run while Fastify and the store load (issue 14: start → first request).
 */
export async function startRunHeadStart(config: LoadctlConfig, io: CliIo, cleanScript: string, host: string, locustArgs?: readonly string[]): Promise<RunHeadStart> {
  const [{ lazyLocustRuntime }, { startLocustHeadStart }, { spawnLocust }, { findFreePort }, { injectPlugin }, { createPythonSyntaxChecker }] = await Promise.all([
    import('../ensure-runtime.js'),
    import('../../orchestrator/locust-head-start.js'),
    import('../../locust/locust-process.js'),
    import('../../locust/free-port.js'),
    import('../../domain/inject-plugin.js'),
    import('../../locust/syntax-check.js'),
  ]);
  const runtime = lazyLocustRuntime(config, io);
  // The check of a script is asked once and its answer (or its syntax error) kept for the upload.
  const checks = new Map<string, Promise<void>>();
  const checkScript: ScriptChecker = (script) => {
    let check = checks.get(script);
    if (!check) checks.set(script, (check = runtime().then((found) => createPythonSyntaxChecker(found.python)(script))));
    return check;
  };
  checkScript(cleanScript).catch(() => undefined); // its error is thrown where the upload awaits it
  const headStart = startLocustHeadStart({
    injectedScript: injectPlugin(cleanScript),
    targetUrl: host,
    runtime,
    spawn: spawnLocust,
    findPort: () => findFreePort('127.0.0.1'),
    ...(locustArgs ? { extraArgs: locustArgs } : {}),
  });
  return { runtime, headStart, checkScript };
}
