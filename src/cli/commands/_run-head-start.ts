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
 * What `loadctl run` starts before its control plane: Locust itself, so it starts while Fastify
 * and the store load (issue 14: start → first request), and the check of the script's syntax.
 * Locust compiles the script it is started with anyway: the check of that script waits for the
 * plugin's word that it compiled, and starts a separate Python only when Locust ended (or could
 * not start) without it — to name the syntax error's line and column, or find there is none.
 */
export async function startRunHeadStart(config: LoadctlConfig, io: CliIo, cleanScript: string, host: string, locustArgs?: readonly string[]): Promise<RunHeadStart> {
  const [{ lazyLocustRuntime }, { startLocustHeadStart }, { spawnLocust }, { findFreePort }, { injectPlugin }] = await Promise.all([
    import('../ensure-runtime.js'),
    import('../../orchestrator/locust-head-start.js'),
    import('../../locust/locust-process.js'),
    import('../../locust/free-port.js'),
    import('../../domain/inject-plugin.js'),
  ]);
  const runtime = lazyLocustRuntime(config, io);
  const headStart = startLocustHeadStart({
    injectedScript: injectPlugin(cleanScript),
    targetUrl: host,
    runtime,
    spawn: spawnLocust,
    findPort: () => findFreePort('127.0.0.1'),
    ...(locustArgs ? { extraArgs: locustArgs } : {}),
  });
  const pythonCheck = async (script: string): Promise<void> => {
    const [found, { createPythonSyntaxChecker }] = await Promise.all([runtime(), import('../../locust/syntax-check.js')]);
    return createPythonSyntaxChecker(found.python)(script);
  };
  // The check of a script is asked once and its answer (or its syntax error) kept for the upload.
  const checks = new Map<string, Promise<void>>();
  const checkScript: ScriptChecker = (script) => {
    let check = checks.get(script);
    if (!check) checks.set(script, (check = script === cleanScript ? headStart.compiled().then((compiled) => (compiled ? undefined : pythonCheck(script))) : pythonCheck(script)));
    return check;
  };
  checkScript(cleanScript).catch(() => undefined); // its error is thrown where the upload awaits it
  return { runtime, headStart, checkScript };
}
